import Foundation
import ReelCore
import ReelGL
import ReelMedia

/// Renders single frames of a scene: the `reel still` command as a library call.
public enum Still {
    /// The frame shown at `time`. A time exactly at the scene's end selects the last frame.
    /// - Throws: `E-CLI-ARGUMENT` when the time lies past the end of the scene.
    public static func frame(at time: SceneTime, in scene: Scene) throws -> Int {
        let frame = time.frame(fps: scene.canvas.fps)
        let count = scene.canvas.frameCount
        if frame == count { return count - 1 }
        guard frame < count else {
            throw ReelError(.badArgument, "\(time) is past the end of the scene",
                            detail: "the scene lasts \(SceneTime.seconds(scene.canvas.duration)) (\(count) frames at \(scene.canvas.fps.clean) fps); pick a time from 0s up to that")
        }
        return frame
    }

    /// Fails fast, before any rendering, when `path` cannot be written: its folder is missing
    /// or not writable, it exists and `overwrite` is not set, or it is a link or a device.
    /// - Throws: `E-IO-WRITE` naming what is wrong, `E-IO-EXISTS`.
    public static func checkOutput(_ path: String, overwrite: Bool = false) throws {
        try AtomicFile.checkWritable(path)
        AtomicFile.removeAbandoned(besides: path)
        try AtomicFile.checkTarget(path, overwrite: overwrite)
    }

    /// A rendered frame and the scene features this build could not draw in it.
    public struct Output: Sendable {
        /// Premultiplied RGBA, rows top to bottom.
        public var image: RGBAImage
        /// Features present but not drawn, e.g. "text layers", sorted.
        public var skippedFeatures: [String]
    }

    /// Draws frame `frame` of `scene`.
    public static func render(_ scene: Scene, frame: Int, gl: HeadlessGL, plugins: PluginRegistry = .standard) throws -> Output {
        let state = Timeline.evaluate(scene, frame: frame, plugins: plugins)
        try FrameCost.check(state, of: scene, width: scene.canvas.width, height: scene.canvas.height)
        return try gl.sync { context in
            let renderer = try SceneRenderer.make(scene, plugins: plugins, context: context, first: frame)
            defer { renderer.release() }
            let image = try renderer.render(state)
            return Output(image: image, skippedFeatures: renderer.skippedFeatures.sorted())
        }
    }

    /// Renders frame `frame` of `scene` to a PNG at `path`, atomically: the file appears
    /// complete or not at all, and an existing file is replaced only when `overwrite` is set,
    /// and then only on success.
    /// - Throws: `E-IO-EXISTS`, or `E-IO-WRITE` before rendering when `path` cannot be
    ///   written; GL and PNG errors as they come.
    /// - Returns: the features present but not drawn.
    @discardableResult
    public static func writePNG(_ scene: Scene, frame: Int, to path: String, gl: HeadlessGL,
                                plugins: PluginRegistry = .standard, overwrite: Bool = false) throws -> [String] {
        try checkOutput(path, overwrite: overwrite)
        let output = try render(scene, frame: frame, gl: gl, plugins: plugins)
        // Checked again: the render took a while, and what is at the path may have changed.
        try AtomicFile.checkTarget(path, overwrite: overwrite)
        try AtomicFile.write(try PNGCodec.encode(output.image), to: path)
        return output.skippedFeatures
    }
}
