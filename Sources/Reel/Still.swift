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
        if frame == count { return count - 1 }  // the scene's end shows its last frame
        guard frame < count else {
            throw ReelError(.badArgument, "\(time) is past the end of the scene",
                            detail: "the scene lasts \(SceneTime.seconds(scene.canvas.duration)) (\(count) frames at \(scene.canvas.fps.clean) fps); pick a time from 0s up to that")
        }
        return frame
    }

    /// Frame number `frame`, checked against the scene: unlike a time, a frame number past the
    /// last is a mistake, not the end of the scene.
    /// - Throws: `E-CLI-ARGUMENT` naming the last frame.
    public static func frame(number frame: Int, in scene: Scene) throws -> Int {
        let count = scene.canvas.frameCount
        guard frame >= 0, frame < count else {
            throw ReelError(.badArgument, "frame \(frame) is not in the scene, whose frames are 0-\(count - 1)",
                            detail: "the scene has \(count) frames at \(scene.canvas.fps.clean) fps (\(SceneTime.seconds(scene.canvas.duration))); --at \(SceneTime.seconds(scene.canvas.duration)) also picks the last frame")
        }
        return frame
    }

    /// Fails fast, before any rendering, when `path` cannot be written: its folder is missing
    /// or not writable, it exists and `overwrite` is not set, or it is a link or a device.
    /// - Throws: `E-IO-WRITE` naming what is wrong, `E-IO-EXISTS`.
    /// Makes the folders `path` needs (and returns them, for `AtomicFile.removeIfEmpty` if the
    /// render then fails).
    @discardableResult
    public static func checkOutput(_ path: String, overwrite: Bool = false) throws -> [String] {
        let made = try AtomicFile.makeFolders(for: path)
        do {
            try AtomicFile.checkWritable(path)
            AtomicFile.removeAbandoned(besides: path)
            try AtomicFile.checkTarget(path, overwrite: overwrite)
        } catch {
            AtomicFile.removeIfEmpty(made)
            throw error
        }
        return made
    }

    /// A rendered frame and the scene features this build could not draw in it.
    public struct Output: Sendable {
        /// Premultiplied RGBA, rows top to bottom.
        public var image: RGBAImage
        /// Features present but not drawn, e.g. "text layers", sorted.
        public var skippedFeatures: [String]
    }

    /// The size of a still drawn at `scale` times the canvas: rounded, at least a pixel a side.
    public static func size(of scene: Scene, scale: Double) -> (width: Int, height: Int) {
        guard scale != 1 else { return (scene.canvas.width, scene.canvas.height) }
        return (max(1, Int((Double(scene.canvas.width) * scale).rounded())), max(1, Int((Double(scene.canvas.height) * scale).rounded())))
    }

    /// Draws frame `frame` of `scene`, at `scale` times the canvas size (everything drawn
    /// larger or smaller, not cropped).
    /// - Throws: `E-SCENE-LIMIT` for a frame over the drawing limits; GL, media and text errors.
    public static func render(_ scene: Scene, frame: Int, gl: HeadlessGL, plugins: PluginRegistry = .standard, scale: Double = 1) throws -> Output {
        let size = size(of: scene, scale: scale)
        let state = Timeline.evaluate(scene, frame: frame, plugins: plugins)
        try FrameCost.check(state, of: scene, width: size.width, height: size.height)
        return try gl.sync { context in
            let renderer = try SceneRenderer.make(scene, plugins: plugins, context: context, first: frame, size: size)
            defer { renderer.release() }
            let image = try renderer.render(state.resized(width: size.width, height: size.height))
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
                                plugins: PluginRegistry = .standard, overwrite: Bool = false, scale: Double = 1) throws -> [String] {
        let made = try checkOutput(path, overwrite: overwrite)
        do {
            let output = try render(scene, frame: frame, gl: gl, plugins: plugins, scale: scale)
            // Checked again: the render took a while, and what is at the path may have changed.
            try AtomicFile.checkTarget(path, overwrite: overwrite)
            try AtomicFile.write(try PNGCodec.encode(output.image), to: path)
            return output.skippedFeatures
        } catch {
            AtomicFile.removeIfEmpty(made)
            throw error
        }
    }
}
