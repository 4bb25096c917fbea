import Foundation
import ReelCore

/// JSON decoding that refuses fields the type does not know: a misspelt option on the wire
/// must fail loudly, as a misspelt key in a scene file does.
enum StrictJSON {
    /// - Throws: `E-WORKER-REQUEST` naming the first unknown field, or what is malformed.
    static func decode<T: Codable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try decode(type, from: Data(bytes))
    }

    /// `redacting` empties what cannot hold a field name (a request's scene text) before the
    /// value is encoded again to find the fields it knows: a 16 MiB request is not copied
    /// twice more only to compare its keys.
    /// - Throws: as above.
    static func decode<T: Codable>(_ type: T.Type, from data: Data, redacting: ((inout T) -> Void)? = nil) throws -> T {
        let original: Any
        do {
            original = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ReelError(.workerRequest, "the request body is not JSON", detail: "send Content-Type: application/json with a render request")
        }
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw ReelError(.workerRequest, "the request lacks '\(path(context.codingPath + [key]))'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw ReelError(.workerRequest, "'\(path(context.codingPath))' has the wrong type: \(context.debugDescription)")
        } catch let DecodingError.valueNotFound(_, context) {
            throw ReelError(.workerRequest, "'\(path(context.codingPath))' is null")
        } catch {
            throw ReelError(.workerRequest, "the request is malformed: \(error)")
        }
        var redacted = value
        redacting?(&redacted)
        let known = try JSONSerialization.jsonObject(with: JSONEncoder().encode(redacted))
        if let unknown = firstUnknown(original, known, at: "") {
            throw ReelError(.workerRequest, "unknown field '\(unknown)' in the request", detail: "the coordinator and worker may be different versions of Reel")
        }
        return value
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// The first key of `original` that re-encoding the decoded value did not produce
    /// (a `null` field counts as known: optional values are left out when encoded).
    private static func firstUnknown(_ original: Any, _ known: Any, at path: String) -> String? {
        if let o = original as? [String: Any] {
            let k = known as? [String: Any] ?? [:]
            for key in o.keys.sorted() {
                let here = path.isEmpty ? key : path + "." + key
                guard let next = k[key] else {
                    if o[key] is NSNull { continue }
                    return here
                }
                if let found = firstUnknown(o[key]!, next, at: here) { return found }
            }
        } else if let o = original as? [Any], let k = known as? [Any] {
            for (i, item) in o.enumerated() where i < k.count {
                if let found = firstUnknown(item, k[i], at: "\(path)[\(i)]") { return found }
            }
        }
        return nil
    }
}
