/// The error every Reel module throws for a failure a user can act on.
///
/// Modelled on swift-nio's errors: a struct with an extensible `code` (new codes never break
/// callers that switch on old ones), a human message, optional native code and cause.
/// The CLI prints it as one line (`error[E-…]: message`) followed by `detail`.
public struct ReelError: Error, Sendable, CustomStringConvertible {
    /// A stable identifier such as `E-GL-NO-DISPLAY`. Tests and scripts match on it;
    /// messages may improve freely.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    /// What went wrong, by stable identifier.
    public var code: Code
    /// One line for a person: what failed and, where known, what to do.
    public var message: String
    /// Further lines: a driver log, the list of devices tried, a hint.
    public var detail: String?
    /// The native error number (an `eglGetError` value, an `errno`, an `AVERROR`).
    public var nativeCode: Int?
    /// Where in Reel the failure was caught, e.g. the C function that returned it.
    public var context: String?
    /// The error this one reports, when it wraps another (a system error, a decoder's own).
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, detail: String? = nil, nativeCode: Int? = nil, context: String? = nil,
                cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.detail = detail
        self.nativeCode = nativeCode
        self.context = context
        self.cause = cause
    }

    /// The same error told from further out: `what` goes in front of the message
    /// ("layer 'logo': cannot decode …"), and the code (unless `code` replaces it), detail,
    /// native code, the place it happened and its cause are all kept. Callers that catch an
    /// error to say which layer, pass or asset it came from use this rather than building a
    /// new error, which used to drop the native code.
    public func adding(context what: String, code: Code? = nil) -> ReelError {
        var error = self
        error.message = "\(what): \(message)"
        if let code { error.code = code }
        return error
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let detail { text += "\n" + detail }
        return text
    }
}

/// An error that knows how to present itself on the command line: a stable code, one summary
/// line and optional detail lines. `ReelError` and `SceneError` both conform.
public protocol ReportableError: Error {
    var reportCode: ReelError.Code { get }
    var reportSummary: String { get }
    var reportDetails: [String] { get }
}

extension ReelError: ReportableError {
    public var reportCode: Code { code }
    public var reportSummary: String { message }
    public var reportDetails: [String] {
        var lines = detail.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } ?? []
        if let nativeCode, let context { lines.append("(\(context) returned \(nativeCode))") }
        return lines
    }
}

// MARK: - Codes used across modules

extension ReelError.Code {
    /// A file could not be read.
    public static let fileUnreadable = Self("E-IO-READ")
    /// An output could not be written or moved into place.
    public static let fileUnwritable = Self("E-IO-WRITE")
    /// A command-line value is out of range or malformed.
    public static let badArgument = Self("E-CLI-ARGUMENT")
}
