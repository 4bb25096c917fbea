import CEGL
import ReelTestSupport
import Testing
import ReelCore
@testable import ReelGL

@Suite("GL objects")
struct GLObjectTests {
    static let vertex = """
    #version 300 es
    layout(location = 0) in vec2 p;
    void main() { gl_Position = vec4(p, 0.0, 1.0); }
    """
    static let fragment = """
    #version 300 es
    precision mediump float;
    out vec4 color;
    void main() { color = vec4(1.0); }
    """

    @Test func shaderCompileErrorsCarryTheNameAndTheDriversLog() throws {
        let error = try withGL { context in
            #expect(throws: ReelError.self) {
                _ = try context.makeProgram(label: "test.broken", vertex: Self.vertex, fragment: "#version 300 es\nvoid main() { oops; }\n")
            }
        }
        #expect(error?.code == .shaderCompile)
        #expect(error?.message.contains("test.broken.frag") == true, "message: \(error?.message ?? "")")
        #expect((error?.detail ?? "").contains("oops") || !(error?.detail ?? "").isEmpty, "the driver's log travels in the detail")
    }

    @Test func linkErrorsCarryTheProgramName() throws {
        // The fragment stage reads a varying the vertex stage never writes.
        let fragment = """
        #version 300 es
        precision mediump float;
        in vec3 missing;
        out vec4 color;
        void main() { color = vec4(missing, 1.0); }
        """
        let error = try withGL { context in
            #expect(throws: ReelError.self) { _ = try context.makeProgram(label: "test.unlinked", vertex: Self.vertex, fragment: fragment) }
        }
        #expect(error?.code == .shaderCompile)
        #expect(error?.message.contains("test.unlinked") == true)
    }

    @Test(arguments: GLObjectKind.allCases)
    func releaseDeletesAndIsIdempotent(kind: GLObjectKind) throws {
        try withGL { context in
            let before = context.liveObjects[kind] ?? 0
            let object = try Self.make(kind, context)
            #expect(context.liveObjects[kind] == before + 1)
            object.release()
            object.release()
            #expect(object.isReleased)
            #expect((context.liveObjects[kind] ?? 0) == before)
        }
    }

    @Test func objectsDroppedOffTheGLThreadAreDeletedOnIt() throws {
        let gl = try HeadlessGL.open(device: .automatic)
        defer { gl.close() }
        var buffer: GLBuffer? = try gl.sync { try $0.makeBuffer(label: "test.dropped") }
        #expect(try gl.sync { $0.liveObjects[.buffer] } == 1)
        buffer = nil  // deinit here, on the test's thread: only queues the name
        _ = buffer
        let live = try gl.sync { context -> Int in
            context.assertOnThread()
            return context.liveObjects[.buffer] ?? 0
        }
        #expect(live == 0, "the next job on the GL thread deletes what deinit queued")
    }

    @Test func oversizedTexturesFailWithAnError() throws {
        let error = try withGL { context in
            #expect(throws: ReelError.self) { _ = try context.makeTexture(label: "test.huge", width: 1 << 20, height: 4) }
        }
        #expect(error?.message.contains("test.huge") == true)
    }

    static func make(_ kind: GLObjectKind, _ context: GLContext) throws -> GLObject {
        switch kind {
        case .buffer: return try context.makeBuffer(label: "t")
        case .texture: return try context.makeTexture(label: "t", width: 4, height: 4)
        case .renderbuffer: return try context.makeRenderbuffer(label: "t", width: 4, height: 4, samples: 4)
        case .framebuffer:
            let texture = try context.makeTexture(label: "t", width: 4, height: 4)
            return try context.makeFramebuffer(label: "t", attachment: texture)
        case .vertexArray: return try context.makeVertexArray(label: "t")
        case .program: return try context.makeProgram(label: "t", vertex: vertex, fragment: fragment)
        case .shader: return try context.makeShader(stage: GLenum(GL_VERTEX_SHADER), source: vertex, label: "t")
        }
    }
}
