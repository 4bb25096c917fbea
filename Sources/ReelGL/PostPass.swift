import ReelCore

/// The drawing contributions of the plugin API: post passes (scene-level `passes:` and
/// per-layer `effects:`) and shader layers (`shader:` layers). They draw through `PassGL`,
/// which compiles, pools and binds for them, so a pass is a few lines of GLSL and the
/// Swift that feeds it.

/// A post pass: turns a picture into another picture.
///
/// ```swift
/// struct Invert: PostPass {
///     let descriptor = ContributionDescriptor(plugin: "demo", name: "invert", kind: .pass,
///                                             summary: "inverts colours", parameters: [])
///     func apply(_ input: PassInput, gl: PassGL) throws -> PassImage {
///         let program = try gl.program("demo.invert", fragment: PassGL.fragment("""
///             vec4 c = texture(uSource, vUV);
///             fragColor = vec4(c.a - c.rgb, c.a);
///             """))
///         return try gl.render(program, like: input, textures: ["uSource": try input.source()])
///     }
/// }
/// ```
///
/// Pure in the same sense as an animation pass: the result may depend only on the input
/// pictures, the parameters, the frame and time, and what the pass itself left in
/// `PassGL.persistentTarget` on earlier frames (which makes it stateful: declare a
/// `warmUp`).
public protocol PostPass: PluginContribution {
    /// Draws the pass and returns its result: a target from `gl`, or the source itself when
    /// the pass has nothing to do (strength 0). Targets from `gl` are returned to its pool
    /// when the frame ends, so a pass never frees what it draws into.
    func apply(_ input: PassInput, gl: PassGL) throws -> PassImage

    /// How many earlier frames a frame depends on (nil: none). Passes that read their own
    /// last result say so, and a render of frames a…b first renders the window before a.
    func warmUp(_ parameters: [String: ResolvedValue]) -> WarmUp?
}

/// A layer kind drawn by a shader: generators (ISF generators, Shadertoy files, procedural
/// fills) used as `shader:` layers.
public protocol LayerShader: PluginContribution {
    /// Draws the layer's picture at `input.width × input.height` pixels (the layer's box at
    /// its on-screen scale); the painter places it like an image, centred on the layer's
    /// origin. `input.source()` is a transparent picture of that size.
    func draw(_ input: PassInput, gl: PassGL) throws -> PassImage

    func warmUp(_ parameters: [String: ResolvedValue]) -> WarmUp?
}

extension PostPass {
    public func warmUp(_ parameters: [String: ResolvedValue]) -> WarmUp? { nil }
}

extension LayerShader {
    public func warmUp(_ parameters: [String: ResolvedValue]) -> WarmUp? { nil }
}

/// How much of the past a stateful pass needs to reproduce a frame exactly.
public enum WarmUp: Sendable, Hashable {
    /// Every frame from the scene's first: the state is a fold over the whole history.
    case fromStart
    /// The `n` frames before: older history has faded out of the state.
    case frames(Int)
}

/// A picture a pass reads or returns: premultiplied RGBA, texture coordinate (0, 0) at the
/// canvas's top-left corner (rows top to bottom, like the frame).
public struct PassImage {
    public let texture: GLTexture
    public var width: Int { texture.width }
    public var height: Int { texture.height }

    public init(_ texture: GLTexture) { self.texture = texture }
}

/// Everything a pass knows about the frame it runs in.
public struct PassInput: ParameterReading {
    public var frame: Int
    /// Seconds since the scene's start.
    public var time: Double
    public var fps: Double
    /// The size of the pictures the pass works on, in pixels.
    public var width: Int
    public var height: Int
    /// Pixels per scene unit: 1 normally, 0.5 under `--scale 0.5`. Multiply lengths given in
    /// scene units (a blur radius) by it so a scaled render looks the same, only smaller.
    public var pixelScale: Double
    public var seed: UInt64
    /// Says which use this is (`passes[1]`, `layer:title.effects[0]`), for keys of
    /// persistent targets and random streams that must not collide between uses.
    public var useKey: String
    /// Every declared parameter at this frame, defaults filled in.
    public var parameters: [String: ResolvedValue]
    /// The scene's assets (pictures and, for loaders that provide them, raw bytes).
    public var assets: AssetLoader?
    /// How many parts `part(_:)` offers: the children of the group an effect is on (0 for
    /// scene-level passes and other layers).
    public var partCount: Int

    let sourceProvider: () throws -> PassImage
    let partProvider: (Int) throws -> PassImage

    public init(frame: Int, time: Double, fps: Double, width: Int, height: Int, pixelScale: Double, seed: UInt64,
                useKey: String, parameters: [String: ResolvedValue], assets: AssetLoader?, partCount: Int = 0,
                source: @escaping () throws -> PassImage, part: @escaping (Int) throws -> PassImage = { _ in
                    throw ReelError(.passInput, "this pass has no parts to read")
                }) {
        (self.frame, self.time, self.fps, self.width, self.height) = (frame, time, fps, width, height)
        (self.pixelScale, self.seed, self.useKey, self.parameters) = (pixelScale, seed, useKey, parameters)
        (self.assets, self.partCount, sourceProvider, partProvider) = (assets, partCount, source, part)
    }

    /// The picture the pass filters: the frame so far, or the layer it is an effect of.
    /// Drawn on first request, so a pass that only reads parts never pays for it.
    public func source() throws -> PassImage { try sourceProvider() }

    /// Part `index` (0-based) drawn alone on transparent, the same size as the source.
    /// - Throws: `E-PASS-INPUT` when `index` is not below `partCount`.
    public func part(_ index: Int) throws -> PassImage {
        guard index >= 0, index < partCount else {
            throw ReelError(.passInput, "\(useKey): part \(index) was asked for, but there are \(partCount)",
                            detail: "use this pass as an effect of a group whose children are the parts")
        }
        return try partProvider(index)
    }

    /// A deterministic random stream for this use at `frame` (another frame for noise that
    /// must agree between frames).
    public func random(stream: UInt64 = 0, frame: Int? = nil) -> SeededRandom {
        SeededRandom(seed: seed, layer: useKey, frame: frame ?? self.frame, stream: stream)
    }
}

extension ReelError.Code {
    /// A pass asked for an input its use does not provide.
    public static let passInput = Self("E-PASS-INPUT")
    /// A pass failed while drawing (a bad asset for it, a driver that rejects its shader).
    public static let passFailed = Self("E-PASS-FAILED")
}
