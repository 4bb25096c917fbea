import Foundation
import ReelMedia

/// The only files fuzzed input may read: a few of the repository's own, under made-up paths.
///
/// A fuzzed scene names files like any scene; the decoder's `files` map (as on a worker)
/// refuses every path but these, so no input can make the fuzzer read the machine's files.
/// Seeds from `Scenes/` resolve against `sceneFolder` as they do at home, so their shader
/// files are read (from this checkout) and their assets are found (assets are not read
/// while decoding or evaluating).
enum FuzzFiles {
    /// The checkout this was built from: `Sources/ReelFuzzing/FuzzFiles.swift`, three up.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// Where fuzzed scenes are said to be; relative paths resolve against it.
    static let sceneFolder = "/reel-fuzz/Scenes"

    /// Repository files, relative to its root, that a fuzzed scene or request may name.
    static let shared = [
        "Scenes/shaders/aurora.fs", "Scenes/shaders/rings.glsl", "Scenes/shaders/ripple.fs", "Scenes/shaders/trails.fs",
        "Scenes/looks/teal-orange.cube", "Assets/reel-logo.png", "Assets/clip.mp4",
    ]

    /// `SceneDecoder.files` for fuzzed scenes: `/reel-fuzz/<path>` reads the repository's file.
    static let sceneFiles = Dictionary(uniqueKeysWithValues: shared.map { ("/reel-fuzz/" + $0, repository + "/" + $0) })

    /// A worker's blobs: each shared file by the SHA-256 of its bytes (a missing file has none).
    static let blobs: [String: String] = {
        var blobs: [String: String] = [:]
        for file in shared {
            let path = repository + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            blobs[SHA256Hasher.hex([UInt8](data))] = path
        }
        return blobs
    }()

    /// The local path of a blob, as a worker's blob store answers.
    static func blob(_ digest: String) -> String? { blobs[digest] }
}
