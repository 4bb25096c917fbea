import Testing
@testable import ReelGL

/// The fault switch is a value a caller hands to `HeadlessGL.open(faults:)`; it reads and writes
/// `REEL_GL_FAULT`'s syntax, so a worker can pass on exactly what it was given.
@Suite("GL faults")
struct GLFaultsTests {
    @Test func parsesEveryKindAndWritesThemBack() {
        let faults = GLFaults(parsing: "lose-context@20,reject-shader:reel.shapes")
        #expect(faults == GLFaults(loseContextAtFrame: 20, rejectShaderLabel: "reel.shapes"))
        #expect(GLFaults(parsing: faults.description) == faults)
    }

    @Test func unknownItemsAreIgnoredAndNothingIsNone() {
        #expect(GLFaults(parsing: "") == .none)
        #expect(GLFaults(parsing: "melt-gpu,lose-context@x") == .none)
        #expect(GLFaults.none.description.isEmpty)
    }

    @Test func aContextOpenedWithoutFaultsHasNone() throws {
        let gl = try HeadlessGL.open(device: .automatic)
        defer { gl.close() }
        #expect(try gl.sync { $0.faults } == .none)
    }
}
