import CEGL
import ReelCore

/// Draws `ShapeItem`s (rects, rounded rects, ellipses, with fill and stroke) in one
/// instanced draw call per frame: painter's order is kept because instances rasterize in
/// order.
public final class ShapeRenderer {
    private let context: GLContext
    private let program: GLProgram
    private let vertexArray: GLVertexArray
    private let quad: GLBuffer
    private let instances: GLBuffer
    private var instanceCapacity = 0
    private var staging: [Float] = []
    private let canvasUniform: GLint

    /// Floats per instance: matrix 4, translate + half size 4, params 4, fill 4, stroke 4.
    static let floatsPerInstance = 20

    /// - Throws: `E-GL-SHADER` if the driver rejects the shape shaders.
    public init(context: GLContext) throws {
        self.context = context
        program = try context.makeProgram(label: "reel.shapes", vertex: ShapeShaders.vertex, fragment: ShapeShaders.fragment)
        canvasUniform = program.uniformLocation("uCanvas")
        let corners: [Float] = [-1, -1, 1, -1, -1, 1, 1, 1]
        quad = try corners.withUnsafeBytes { try context.makeBuffer(label: "reel.shapes.quad", bytes: $0) }
        instances = try context.makeBuffer(label: "reel.shapes.instances")
        vertexArray = try context.makeVertexArray(label: "reel.shapes")

        glBindVertexArray(vertexArray.name)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), quad.name)
        glEnableVertexAttribArray(0)
        glVertexAttribPointer(0, 2, GLenum(GL_FLOAT), GLboolean(GL_FALSE), 0, reel_gl_offset(0))
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), instances.name)
        let stride = GLsizei(Self.floatsPerInstance * MemoryLayout<Float>.size)
        for attribute in 1...5 {
            let index = GLuint(attribute)
            glEnableVertexAttribArray(index)
            glVertexAttribPointer(index, 4, GLenum(GL_FLOAT), GLboolean(GL_FALSE), stride,
                                  reel_gl_offset((attribute - 1) * 4 * MemoryLayout<Float>.size))
            glVertexAttribDivisor(index, 1)
        }
        glBindVertexArray(0)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), 0)
        try context.checkError("setting up the shape renderer")
    }

    /// Draws `items` into the bound target of a `canvasWidth`×`canvasHeight` canvas.
    /// Call inside `FrameTarget.withPass`.
    public func draw(_ items: [ShapeItem], canvasWidth: Int, canvasHeight: Int) throws {
        context.assertOnThread()
        guard !items.isEmpty else { return }
        fillStaging(items)

        glBindBuffer(GLenum(GL_ARRAY_BUFFER), instances.name)
        let bytes = staging.count * MemoryLayout<Float>.size
        staging.withUnsafeBytes { raw in
            if bytes > instanceCapacity {
                glBufferData(GLenum(GL_ARRAY_BUFFER), GLsizeiptr(bytes), raw.baseAddress, GLenum(GL_STREAM_DRAW))
                instanceCapacity = bytes
            } else {
                // Orphan the old storage so the driver need not wait for the previous frame.
                glBufferData(GLenum(GL_ARRAY_BUFFER), GLsizeiptr(instanceCapacity), nil, GLenum(GL_STREAM_DRAW))
                glBufferSubData(GLenum(GL_ARRAY_BUFFER), 0, GLsizeiptr(bytes), raw.baseAddress)
            }
        }
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), 0)

        program.use()
        glUniform2f(canvasUniform, GLfloat(canvasWidth), GLfloat(canvasHeight))
        glEnable(GLenum(GL_BLEND))
        glBlendFunc(GLenum(GL_ONE), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        glBindVertexArray(vertexArray.name)
        glDrawArraysInstanced(GLenum(GL_TRIANGLE_STRIP), 0, 4, GLsizei(items.count))
        glBindVertexArray(0)
        glDisable(GLenum(GL_BLEND))
        glUseProgram(0)
        try context.checkError("drawing \(items.count) shapes")
    }

    private func fillStaging(_ items: [ShapeItem]) {
        staging.removeAll(keepingCapacity: true)
        staging.reserveCapacity(items.count * Self.floatsPerInstance)
        for item in items {
            let t = item.transform
            let kind: Float, half: Vec2, radius: Double
            switch item.geometry {
            case let .rect(halfSize, cornerRadius): (kind, half, radius) = (0, halfSize, cornerRadius)
            case let .ellipse(radii): (kind, half, radius) = (1, radii, 0)
            }
            // Two pixels of margin, converted to local units by the transform's scale.
            let scale = max(abs(t.determinant).squareRoot(), 1e-6)
            let margin = 2 / scale
            let fill = item.fill?.premultiplied ?? (0, 0, 0, 0)
            let stroke = item.stroke?.color.premultiplied ?? (0, 0, 0, 0)
            staging.append(contentsOf: [
                Float(t.a), Float(t.b), Float(t.c), Float(t.d),
                Float(t.tx), Float(t.ty), Float(half.x), Float(half.y),
                kind, Float(radius), Float(item.stroke?.width ?? 0), Float(margin),
                Float(fill.0), Float(fill.1), Float(fill.2), Float(fill.3),
                Float(stroke.0), Float(stroke.1), Float(stroke.2), Float(stroke.3),
            ])
        }
    }

    /// Deletes the renderer's GL objects now. Idempotent.
    public func release() {
        for object in [program, vertexArray, quad, instances] as [GLObject] { object.release() }
    }
}
