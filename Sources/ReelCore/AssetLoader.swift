/// Supplies decoded pictures for image layers. The engine provides one that reads the
/// scene's asset files; a worker may provide one backed by blobs received by hash.
public protocol AssetLoader: Sendable {
    /// The picture of asset `name` (straight alpha, rows top to bottom).
    /// - Throws: `ReelError` naming the asset and its file when it is missing or undecodable.
    func image(named name: String) throws -> RGBAImage
}

extension ReelError.Code {
    /// An image asset could not be read or decoded.
    public static let imageAsset = Self("E-MEDIA-IMAGE")
}
