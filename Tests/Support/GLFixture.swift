import CEGL
import Testing
import ReelGL

/// Runs `body` on a fresh headless context and fails if GL reports an error before or
/// after it (ModernGL's fixture: a test that leaves GL dirty fails, and so does one that
/// inherited dirt). The context is closed afterwards.
public func withGL<T>(sourceLocation: SourceLocation = #_sourceLocation, _ body: (GLContext) throws -> T) throws -> T {
    let gl = try HeadlessGL.open(device: .automatic, label: "reel.test")
    defer { gl.close() }
    return try gl.sync { context in
        #expect(throws: Never.self, "GL was dirty before the test", sourceLocation: sourceLocation) {
            try context.checkError("starting a test")
        }
        let result = try body(context)
        #expect(throws: Never.self, "the test left a GL error behind", sourceLocation: sourceLocation) {
            try context.checkError("finishing a test")
        }
        return result
    }
}
