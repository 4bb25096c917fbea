import ReelCore

/// One fuzz target: a name, what it covers, and its entry.
///
/// An entry takes any bytes and returns, or throws a `ReelError` for input Reel refuses (the
/// code and message a user would get). A trap, a hang or a sanitizer report is a bug: the
/// fuzzer reports it, and the input goes to `Tests/Fuzz/<name>/regressions/`.
public struct FuzzTarget: Sendable {
    /// As `make fuzz` and `reel-fuzz` name it, and the folder under `Tests/Fuzz`.
    public let name: String
    public let summary: String
    public let entry: @Sendable ([UInt8]) throws(ReelError) -> Void

    /// Every target, in the order `make fuzz` runs them.
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "scene-yaml", summary: "reel validate on a YAML scene, then frames evaluated", entry: Fuzz.sceneYAML),
        FuzzTarget(name: "scene-json", summary: "reel validate on a JSON scene, then frames evaluated", entry: Fuzz.sceneJSON),
        FuzzTarget(name: "svg-path", summary: "SVG path data parsed, flattened, trimmed, dashed, stroked and sampled", entry: Fuzz.svgPath),
        FuzzTarget(name: "isf", summary: "an ISF or Shadertoy file read, translated to GLSL ES and used in a scene", entry: Fuzz.isf),
        FuzzTarget(name: "cube-lut", summary: "a .cube LUT parsed, turned into a texture and applied", entry: Fuzz.cubeLUT),
        FuzzTarget(name: "worker-request", summary: "a worker's render request body checked as the worker does, then frames evaluated",
                   entry: Fuzz.workerRequest),
        FuzzTarget(name: "worker-assets", summary: "a worker request with asset files (pictures, clips, playlists, junk): admitted, pre-flighted, decoded",
                   entry: Fuzz.workerAssets),
    ]

    /// The target called `name`, if there is one.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// The fuzz targets' entries, one per target (see `FuzzTarget.all`).
public enum Fuzz {
    /// `error` as an entry throws it. Reel's reportable errors (`ReelError`, `SceneError`) keep
    /// their code, summary and detail; shader-file and path-syntax errors, which the decoder
    /// turns into diagnostics, keep their codes. Any other error is one no user message was
    /// written for: a bug, so it traps and the fuzzer reports it.
    static func refusal(_ error: any Error) -> ReelError {
        switch error {
        case let error as ReelError:
            return error
        case let error as any ReportableError:
            return ReelError(error.reportCode, error.reportSummary, detail: error.reportDetails.joined(separator: "\n"))
        case let error as ShaderFileError:
            return ReelError(error.code, "line \(error.line), column \(error.column): \(error.message)")
        case let error as PathSyntaxError:
            return ReelError(.pathData, "bad SVG path data: \(error.message) at character \(error.offset + 1)")
        default:
            fatalError("an error of type \(type(of: error)), which no Reel message explains: \(error)")
        }
    }

    /// Keeps a result alive, so the optimiser cannot drop the work that made it.
    @inline(never) @_optimize(none)
    static func keep<T>(_ value: T) { _ = value }
}
