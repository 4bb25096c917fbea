/// What a plugin is handed at a frame (animation contexts, pass inputs): every declared
/// parameter's value. Read one through its declaration, `context[Self.strength]` (see
/// `Param`), never by its name.
public protocol ParameterReading {
    /// Every declared parameter at this frame, keyed by name; the decoder fills in defaults.
    var parameters: [String: ResolvedValue] { get }
}

extension ParameterReading {
    /// The parameter's value when the use holds one of its type, else nil. Only a use built
    /// in code, without the decoder, can hold another (a word outside a choice's words): a
    /// pass that must not draw with the default then reports it, as `postfx.transition` does.
    public func value<Value>(of param: Param<Value>) -> Value? {
        param.value(in: parameters)
    }
}
