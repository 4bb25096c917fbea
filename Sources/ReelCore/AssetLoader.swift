/// Supplies decoded pictures for image layers. The engine provides one that reads the
/// scene's asset files; a worker may provide one backed by blobs received by hash.
public protocol AssetLoader: Sendable {
    /// The picture of asset `name` (straight alpha, rows top to bottom).
    /// - Throws: `ReelError` naming the asset and its file when it is missing or undecodable.
    func image(named name: String) throws -> RGBAImage

    /// The frame of video asset `name` shown at `time` seconds into the clip; past the end
    /// the clip loops when `loop` is set and holds its last frame otherwise.
    /// - Throws: `ReelError` naming the asset and its file when it cannot be decoded.
    func videoFrame(named name: String, at time: Double, loop: Bool) throws -> RGBAImage
}

extension AssetLoader {
    public func videoFrame(named name: String, at time: Double, loop: Bool) throws -> RGBAImage {
        throw ReelError(.imageAsset, "video asset '\(name)': this asset loader does not decode video")
    }
}

extension ReelError.Code {
    /// An image asset could not be read or decoded.
    public static let imageAsset = Self("E-MEDIA-IMAGE")
    /// A data asset (a LUT, a shader's file) could not be read.
    public static let assetData = Self("E-ASSET-READ")
}

/// Raw asset bytes, for plugins that read files other than pictures (a `.cube` LUT, an
/// ISF shader's imported image list). Separate from `AssetLoader` so existing loaders need
/// not change; the engine's loader provides both.
public protocol AssetDataLoader: AssetLoader {
    /// The bytes of asset `name`.
    /// - Throws: `ReelError` naming the asset and its file when it cannot be read.
    func data(named name: String) throws -> [UInt8]
}
