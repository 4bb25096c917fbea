import CEGL
import ReelCore

/// Composites isolated layers onto what is under them: opacity, blend mode and mask in one
/// full-screen pass that reads a copy of the backdrop.
final class Compositor {
    private let context: GLContext
    private let program: GLProgram
    private let vertexArray: GLVertexArray
    private let locations: [String: GLint]

    init(context: GLContext) throws {
        self.context = context
        program = try context.makeProgram(label: "reel.composite", vertex: PaintShaders.compositeVertex, fragment: PaintShaders.compositeFragment)
        var found: [String: GLint] = [:]
        for name in ["uSource", "uBackdrop", "uMask", "uSize", "uOpacity", "uMode", "uMaskMode", "uInvert"] {
            found[name] = program.uniformLocation(name)
        }
        locations = found
        vertexArray = try context.makeVertexArray(label: "reel.composite")
    }

    static func modeIndex(_ mode: BlendMode) -> GLint {
        switch mode {
        case .normal: return 0
        case .add: return 1
        case .multiply: return 2
        case .screen: return 3
        case .overlay: return 4
        case .darken: return 5
        case .lighten: return 6
        }
    }

    /// Draws `source` over `destination` (which must be bound for drawing), reading the
    /// backdrop from `backdrop` (a resolved copy of the destination).
    func composite(_ source: GLTexture, backdrop: GLTexture, mask: GLTexture?, maskMode: MaskMode, invert: Bool,
                   opacity: Double, blend: BlendMode, size: (Int, Int)) {
        context.assertOnThread()
        program.use()
        let textures = [source, backdrop, mask ?? source]
        for (unit, texture) in textures.enumerated() {
            glActiveTexture(GLenum(GL_TEXTURE0 + Int32(unit)))
            glBindTexture(GLenum(GL_TEXTURE_2D), texture.name)
        }
        glUniform1i(locations["uSource"] ?? -1, 0)
        glUniform1i(locations["uBackdrop"] ?? -1, 1)
        glUniform1i(locations["uMask"] ?? -1, 2)
        glUniform2f(locations["uSize"] ?? -1, GLfloat(size.0), GLfloat(size.1))
        glUniform1f(locations["uOpacity"] ?? -1, GLfloat(opacity))
        glUniform1i(locations["uMode"] ?? -1, Self.modeIndex(blend))
        glUniform1i(locations["uMaskMode"] ?? -1, mask == nil ? 0 : (maskMode == .alpha ? 1 : 2))
        glUniform1i(locations["uInvert"] ?? -1, invert ? 1 : 0)
        glDisable(GLenum(GL_BLEND))
        glBindVertexArray(vertexArray.name)
        glDrawArrays(GLenum(GL_TRIANGLES), 0, 3)
        glBindVertexArray(0)
        for unit in (0..<3).reversed() {
            glActiveTexture(GLenum(GL_TEXTURE0 + Int32(unit)))
            glBindTexture(GLenum(GL_TEXTURE_2D), 0)
        }
    }

    func release() {
        program.release()
        vertexArray.release()
    }
}

/// Offscreen targets reused from frame to frame, so isolating a layer allocates nothing
/// after the first frame.
final class TargetPool {
    private let context: GLContext
    private var free: [FrameTarget] = []
    private var all: [FrameTarget] = []

    init(context: GLContext) { self.context = context }

    func acquire(width: Int, height: Int, samples: Int) throws -> FrameTarget {
        if let index = free.firstIndex(where: { $0.width == width && $0.height == height && $0.samples == min(max(samples, 1), max(context.info.maxSamples, 1)) }) {
            return free.remove(at: index)
        }
        let target = try FrameTarget(context: context, width: width, height: height, samples: samples, label: "reel.layer\(all.count)")
        all.append(target)
        return target
    }

    func recycle(_ target: FrameTarget) { free.append(target) }

    func release() {
        for target in all { target.release() }
        all.removeAll()
        free.removeAll()
    }
}
