import CEGL
import ReelCore

/// Fills and strokes arbitrary outlines with stencil-then-cover: the outline's triangles
/// mark the stencil buffer (winding counts for nonzero, parity for even-odd, coverage for
/// strokes), then one quad over the bounds paints where the stencil is set and clears it.
/// Multisampling antialiases the edges; overlapping stroke triangles never double-blend.
final class PathRenderer {
    private let context: GLContext
    private let program: GLProgram
    private let vertexArray: GLVertexArray
    private let buffer: GLBuffer
    private var capacity = 0
    private let locations: [String: GLint]

    init(context: GLContext) throws {
        self.context = context
        program = try context.makeProgram(label: "reel.paint", vertex: PaintShaders.vertex, fragment: PaintShaders.paintFragment)
        var found: [String: GLint] = [:]
        for name in ["uLinear", "uTranslate", "uCanvas", "uKind", "uColor", "uGeometry", "uStopCount", "uOffsets", "uColors", "uOpacity", "uImage", "uImageRect", "uRegion", "uCornerRadius"] {
            found[name] = program.uniformLocation(name)
        }
        locations = found
        buffer = try context.makeBuffer(label: "reel.paint.vertices")
        vertexArray = try context.makeVertexArray(label: "reel.paint")
        glBindVertexArray(vertexArray.name)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), buffer.name)
        glEnableVertexAttribArray(0)
        glVertexAttribPointer(0, 2, GLenum(GL_FLOAT), GLboolean(GL_FALSE), 0, reel_gl_offset(0))
        glBindVertexArray(0)
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), 0)
        try context.checkError("setting up the path renderer")
    }

    /// Fills `lines` (already flattened) with `paint`.
    func fill(_ lines: [Polyline], rule: FillRule, paint: Paint, opacity: Double, transform: Affine2D, canvas: (Int, Int)) {
        var fan: [Vec2] = []
        var bounds = Bounds()
        for line in lines where line.points.count >= 3 {
            let origin = line.points[0]
            for i in 1..<(line.points.count - 1) {
                fan += [origin, line.points[i], line.points[i + 1]]
            }
            for p in line.points { bounds.add(p) }
        }
        guard !fan.isEmpty, !bounds.isEmpty else { return }
        begin(transform: transform, canvas: canvas)
        glEnable(GLenum(GL_STENCIL_TEST))
        glColorMask(GLboolean(GL_FALSE), GLboolean(GL_FALSE), GLboolean(GL_FALSE), GLboolean(GL_FALSE))
        glStencilFunc(GLenum(GL_ALWAYS), 0, 0xFF)
        if rule == .evenodd {
            glStencilOp(GLenum(GL_KEEP), GLenum(GL_KEEP), GLenum(GL_INVERT))
        } else {
            glStencilOpSeparate(GLenum(GL_FRONT), GLenum(GL_KEEP), GLenum(GL_KEEP), GLenum(GL_INCR_WRAP))
            glStencilOpSeparate(GLenum(GL_BACK), GLenum(GL_KEEP), GLenum(GL_KEEP), GLenum(GL_DECR_WRAP))
        }
        draw(fan)
        cover(bounds, paint: paint, opacity: opacity)
    }

    /// Paints the triangles of a tessellated stroke.
    func stroke(_ triangles: [Vec2], color: Color, opacity: Double, transform: Affine2D, canvas: (Int, Int)) {
        guard !triangles.isEmpty else { return }
        var bounds = Bounds()
        for p in triangles { bounds.add(p) }
        begin(transform: transform, canvas: canvas)
        glEnable(GLenum(GL_STENCIL_TEST))
        glColorMask(GLboolean(GL_FALSE), GLboolean(GL_FALSE), GLboolean(GL_FALSE), GLboolean(GL_FALSE))
        glStencilFunc(GLenum(GL_ALWAYS), 1, 0xFF)
        glStencilOp(GLenum(GL_KEEP), GLenum(GL_KEEP), GLenum(GL_REPLACE))
        draw(triangles)
        cover(bounds, paint: .solid(color), opacity: opacity)
    }

    /// Draws `texture` mapped onto `imageRect`, showing only the part inside `region` (both
    /// in local units).
    func image(_ texture: GLTexture, region: (Vec2, Vec2), imageRect: (Vec2, Vec2), radius: Double, opacity: Double,
               transform: Affine2D, canvas: (Int, Int)) {
        let (lo, hi) = region
        guard hi.x > lo.x, hi.y > lo.y else { return }
        begin(transform: transform, canvas: canvas)
        glUniform1i(locations["uKind"] ?? -1, 3)
        glUniform1f(locations["uOpacity"] ?? -1, GLfloat(opacity))
        glUniform4f(locations["uImageRect"] ?? -1, GLfloat(imageRect.0.x), GLfloat(imageRect.0.y), GLfloat(imageRect.1.x), GLfloat(imageRect.1.y))
        glUniform4f(locations["uRegion"] ?? -1, GLfloat(lo.x), GLfloat(lo.y), GLfloat(hi.x), GLfloat(hi.y))
        glUniform1f(locations["uCornerRadius"] ?? -1, GLfloat(radius))
        glActiveTexture(GLenum(GL_TEXTURE0))
        glBindTexture(GLenum(GL_TEXTURE_2D), texture.name)
        glUniform1i(locations["uImage"] ?? -1, 0)
        glEnable(GLenum(GL_BLEND))
        glBlendFunc(GLenum(GL_ONE), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        draw([lo, Vec2(hi.x, lo.y), hi, lo, hi, Vec2(lo.x, hi.y)])
        glDisable(GLenum(GL_BLEND))
        glBindTexture(GLenum(GL_TEXTURE_2D), 0)
        glBindVertexArray(0)
    }

    private func begin(transform t: Affine2D, canvas: (Int, Int)) {
        context.assertOnThread()
        program.use()
        glUniform4f(locations["uLinear"] ?? -1, GLfloat(t.a), GLfloat(t.b), GLfloat(t.c), GLfloat(t.d))
        glUniform2f(locations["uTranslate"] ?? -1, GLfloat(t.tx), GLfloat(t.ty))
        glUniform2f(locations["uCanvas"] ?? -1, GLfloat(canvas.0), GLfloat(canvas.1))
        glBindVertexArray(vertexArray.name)
    }

    private func cover(_ bounds: Bounds, paint: Paint, opacity: Double) {
        setPaint(paint, opacity: opacity)
        glColorMask(GLboolean(GL_TRUE), GLboolean(GL_TRUE), GLboolean(GL_TRUE), GLboolean(GL_TRUE))
        glStencilFunc(GLenum(GL_NOTEQUAL), 0, 0xFF)
        glStencilOp(GLenum(GL_ZERO), GLenum(GL_ZERO), GLenum(GL_ZERO))
        glEnable(GLenum(GL_BLEND))
        glBlendFunc(GLenum(GL_ONE), GLenum(GL_ONE_MINUS_SRC_ALPHA))
        // One pixel of slack so no edge sample escapes the cover.
        let (lo, hi) = (Vec2(bounds.min.x - 1, bounds.min.y - 1), Vec2(bounds.max.x + 1, bounds.max.y + 1))
        draw([lo, Vec2(hi.x, lo.y), hi, lo, hi, Vec2(lo.x, hi.y)])
        glDisable(GLenum(GL_BLEND))
        glDisable(GLenum(GL_STENCIL_TEST))
        glBindVertexArray(0)
    }

    private func setPaint(_ paint: Paint, opacity: Double) {
        glUniform1f(locations["uOpacity"] ?? -1, GLfloat(opacity))
        func upload(_ stops: [GradientStop]) {
            let stops = Self.fitting(stops)
            var offsets = stops.map { GLfloat($0.offset) }
            var colors = stops.flatMap { stop -> [GLfloat] in
                let (r, g, b, a) = stop.color.premultiplied
                return [GLfloat(r), GLfloat(g), GLfloat(b), GLfloat(a)]
            }
            glUniform1i(locations["uStopCount"] ?? -1, GLint(stops.count))
            glUniform1fv(locations["uOffsets"] ?? -1, GLsizei(stops.count), &offsets)
            glUniform4fv(locations["uColors"] ?? -1, GLsizei(stops.count), &colors)
        }
        switch paint {
        case let .solid(color):
            let (r, g, b, a) = color.premultiplied
            glUniform1i(locations["uKind"] ?? -1, 0)
            glUniform4f(locations["uColor"] ?? -1, GLfloat(r), GLfloat(g), GLfloat(b), GLfloat(a))
        case let .linear(from, to, stops):
            glUniform1i(locations["uKind"] ?? -1, 1)
            glUniform4f(locations["uGeometry"] ?? -1, GLfloat(from.x), GLfloat(from.y), GLfloat(to.x), GLfloat(to.y))
            upload(stops)
        case let .radial(center, radius, stops):
            glUniform1i(locations["uKind"] ?? -1, 2)
            glUniform4f(locations["uGeometry"] ?? -1, GLfloat(center.x), GLfloat(center.y), GLfloat(radius), 0)
            upload(stops)
        }
    }

    /// At most `PaintShaders.maxStops` stops: longer lists are resampled evenly.
    static func fitting(_ stops: [GradientStop]) -> [GradientStop] {
        guard stops.count > PaintShaders.maxStops else { return stops }
        let n = PaintShaders.maxStops
        return (0..<n).map { i in
            let t = Double(i) / Double(n - 1)
            guard let upper = stops.firstIndex(where: { $0.offset >= t }) else { return GradientStop(offset: t, color: stops[stops.count - 1].color) }
            guard upper > 0 else { return GradientStop(offset: t, color: stops[0].color) }
            let a = stops[upper - 1], b = stops[upper]
            let f = b.offset > a.offset ? (t - a.offset) / (b.offset - a.offset) : 0
            let ca = a.color.premultiplied, cb = b.color.premultiplied
            let alpha = ca.3 + (cb.3 - ca.3) * f
            func channel(_ x: Double, _ y: Double) -> Double { alpha > 0 ? (x + (y - x) * f) / alpha : 0 }
            return GradientStop(offset: t, color: Color(red: channel(ca.0, cb.0), green: channel(ca.1, cb.1), blue: channel(ca.2, cb.2), alpha: alpha))
        }
    }

    private func draw(_ points: [Vec2]) {
        var floats: [Float] = []
        floats.reserveCapacity(points.count * 2)
        for p in points { floats.append(Float(p.x)); floats.append(Float(p.y)) }
        glBindBuffer(GLenum(GL_ARRAY_BUFFER), buffer.name)
        let bytes = floats.count * MemoryLayout<Float>.size
        floats.withUnsafeBytes { raw in
            if bytes > capacity {
                capacity = max(bytes, capacity * 2)
                glBufferData(GLenum(GL_ARRAY_BUFFER), GLsizeiptr(capacity), nil, GLenum(GL_STREAM_DRAW))
            }
            glBufferSubData(GLenum(GL_ARRAY_BUFFER), 0, GLsizeiptr(bytes), raw.baseAddress)
        }
        glDrawArrays(GLenum(GL_TRIANGLES), 0, GLsizei(points.count))
    }

    func release() {
        for object in [program, vertexArray, buffer] as [GLObject] { object.release() }
    }
}

/// An axis-aligned box grown point by point.
struct Bounds {
    var min = Vec2(.infinity, .infinity)
    var max = Vec2(-.infinity, -.infinity)
    var isEmpty: Bool { min.x > max.x }

    mutating func add(_ p: Vec2) {
        min = Vec2(Swift.min(min.x, p.x), Swift.min(min.y, p.y))
        max = Vec2(Swift.max(max.x, p.x), Swift.max(max.y, p.y))
    }
}
