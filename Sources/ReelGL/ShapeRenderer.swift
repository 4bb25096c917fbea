import CEGL
import ReelCore

/// Draws `ShapeItem`s (rects, rounded rects, ellipses, with fill and stroke) in one
/// instanced draw call per frame: painter's order is kept because instances rasterize in
/// order.
public final class ShapeRenderer {
    private let context: GLContext
    private let programs: [ShapeShaders.Variant: GLProgram]
    private let canvasUniforms: [ShapeShaders.Variant: GLint]
    private let vertexArray: GLVertexArray
    /// Circles draw as one triangle around them instead of a quad: a CPU rasterizer pays
    /// per triangle, and small circles are mostly edge.
    private let triangleArray: GLVertexArray
    private let quad: GLBuffer
    private let triangle: GLBuffer
    private let instances: GLBuffer
    private var instanceCapacity = 0
    private var staging: [Float] = []

    /// Floats per instance: matrix 4, translate + half size 4, params 4, fill 4, stroke 4.
    static let floatsPerInstance = 20

    /// - Throws: `E-GL-SHADER` if the driver rejects the shape shaders.
    public init(context: GLContext) throws {
        self.context = context
        var programs: [ShapeShaders.Variant: GLProgram] = [:]
        var uniforms: [ShapeShaders.Variant: GLint] = [:]
        for variant in ShapeShaders.Variant.allCases {
            let program = try context.makeProgram(label: "reel.shapes.\(variant)", vertex: ShapeShaders.vertex,
                                                  fragment: ShapeShaders.fragment(variant))
            programs[variant] = program
            uniforms[variant] = program.uniformLocation("uCanvas")
        }
        self.programs = programs
        canvasUniforms = uniforms
        let corners: [Float] = [-1, -1, 1, -1, -1, 1, 1, 1]
        quad = try corners.withUnsafeBytes { try context.makeBuffer(label: "reel.shapes.quad", bytes: $0) }
        instances = try context.makeBuffer(label: "reel.shapes.instances")
        // An equilateral triangle whose inscribed circle has radius 1.
        let root3 = Float(3.0.squareRoot())
        let corners3: [Float] = [0, -2, root3, 1, -root3, 1]
        triangle = try corners3.withUnsafeBytes { try context.makeBuffer(label: "reel.shapes.triangle", bytes: $0) }
        vertexArray = try context.makeVertexArray(label: "reel.shapes")
        triangleArray = try context.makeVertexArray(label: "reel.shapes.triangles")
        for (array, corners) in [(vertexArray, quad), (triangleArray, triangle)] {
            glBindVertexArray(array.name)
            glBindBuffer(GLenum(GL_ARRAY_BUFFER), corners.name)
            glEnableVertexAttribArray(0)
            glVertexAttribPointer(0, 2, GLenum(GL_FLOAT), GLboolean(GL_FALSE), 0, reel_gl_offset(0))
            for attribute in 1...5 {
                glEnableVertexAttribArray(GLuint(attribute))
                glVertexAttribDivisor(GLuint(attribute), 1)
            }
            pointInstances(at: 0)
        }
        glBindVertexArray(0)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), 0)
        try context.checkError("setting up the shape renderer")
    }

    /// Points the instance attributes at instance `first` of the instance buffer (GLES 3.0
    /// has no base-instance draw, so runs of instances are drawn by moving the pointers).
    private func pointInstances(at first: Int) {
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), instances.name)
        let stride = Self.floatsPerInstance * MemoryLayout<Float>.size
        for attribute in 1...5 {
            glVertexAttribPointer(GLuint(attribute), 4, GLenum(GL_FLOAT), GLboolean(GL_FALSE), GLsizei(stride),
                                  reel_gl_offset(first * stride + (attribute - 1) * 4 * MemoryLayout<Float>.size))
        }
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

        glEnable(GLenum(GL_BLEND))
        glBlendFunc(GLenum(GL_ONE), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        // Consecutive items of one variant draw together; painter's order is kept.
        var start = 0
        while start < items.count {
            let variant = variants[start]
            var end = start + 1
            while end < items.count && variants[end] == variant { end += 1 }
            if let program = programs[variant] {
                program.use()
                glUniform2f(canvasUniforms[variant] ?? -1, GLfloat(canvasWidth), GLfloat(canvasHeight))
                let circles = variant == .circleFill
                glBindVertexArray((circles ? triangleArray : vertexArray).name)
                pointInstances(at: start)
                glDrawArraysInstanced(GLenum(circles ? GL_TRIANGLES : GL_TRIANGLE_STRIP), 0, circles ? 3 : 4, GLsizei(end - start))
            }
            start = end
        }
        glBindVertexArray(0)
        glDisable(GLenum(GL_BLEND))
        glUseProgram(0)
        try context.checkError("drawing \(items.count) shapes")
    }

    private var variants: [ShapeShaders.Variant] = []

    private func fillStaging(_ items: [ShapeItem]) {
        staging.removeAll(keepingCapacity: true)
        variants.removeAll(keepingCapacity: true)
        staging.reserveCapacity(items.count * Self.floatsPerInstance)
        for item in items {
            let t = item.transform
            let kind: Float, half: Vec2, radius: Double
            switch item.geometry {
            case let .rect(halfSize, cornerRadius): (kind, half, radius) = (0, halfSize, cornerRadius)
            case let .ellipse(radii): (kind, half, radius) = (1, radii, 0)
            }
            // One pixel of margin (coverage reaches half a pixel past the edge), in local units.
            let scale = max(abs(t.determinant).squareRoot(), 1e-6)
            let margin = 1 / scale
            variants.append(Self.variant(item))
            let fill = item.fill?.premultiplied ?? (0, 0, 0, 0)
            let stroke = item.stroke?.color.premultiplied ?? (0, 0, 0, 0)
            // Appended one by one: an array literal here would allocate for every shape.
            staging.append(Float(t.a)); staging.append(Float(t.b)); staging.append(Float(t.c)); staging.append(Float(t.d))
            staging.append(Float(t.tx)); staging.append(Float(t.ty)); staging.append(Float(half.x)); staging.append(Float(half.y))
            staging.append(kind)
            staging.append(Float(radius))
            staging.append(Float(item.stroke?.width ?? 0))
            staging.append(Float(margin))
            staging.append(Float(fill.0)); staging.append(Float(fill.1)); staging.append(Float(fill.2)); staging.append(Float(fill.3))
            staging.append(Float(stroke.0)); staging.append(Float(stroke.1)); staging.append(Float(stroke.2)); staging.append(Float(stroke.3))
        }
    }

    /// The cheapest shader that draws `item` exactly.
    static func variant(_ item: ShapeItem) -> ShapeShaders.Variant {
        guard item.stroke == nil, item.fill != nil else { return .general }
        let t = item.transform
        let l0 = (t.a * t.a + t.b * t.b).squareRoot(), l1 = (t.c * t.c + t.d * t.d).squareRoot()
        let conformal = abs(l0 - l1) <= 1e-4 * max(l0, l1) && abs(t.a * t.c + t.b * t.d) <= 1e-4 * l0 * l1
        guard conformal else { return .general }
        switch item.geometry {
        case let .ellipse(radii) where radii.x == radii.y: return .circleFill
        case .rect: return .rectFill
        default: return .general
        }
    }

    /// Deletes the renderer's GL objects now. Idempotent.
    public func release() {
        for object in Array(programs.values) + [vertexArray, triangleArray, quad, triangle, instances] as [GLObject] { object.release() }
    }
}
