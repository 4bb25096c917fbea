import ArgumentParser

/// `reel render`'s options for remote dispatch, handed to the `RenderDispatcher` as parsed.
/// They belong to ReelCLI, not to the dispatch module, so that a reel built without dispatch
/// still parses them and refuses `--dispatch` with a sentence saying why, rather than as an
/// unknown option; there `--help` hides them.
package struct RenderDispatchOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Render on workers: local:N (N worker processes here), http://host:port[,…] (`reel worker`s; token from REEL_WORKER_TOKEN) or modal:https://… (see `reel modal init`). Chunks are joined without re-encoding.", valueName: "target"))
    package var dispatch: String?

    @Option(name: .customLong("chunk-frames"), help: ArgumentHelp("Frames per chunk with --dispatch. The default is planned from a few frames rendered here: long chunks first, short ones at the end.", valueName: "n"))
    package var chunkFrames: Int?

    @Option(name: .customLong("max-in-flight"), help: ArgumentHelp("Chunks sent at once with --dispatch (for modal: how far Modal scales out; the default is 16; for URLs: spread over them).", valueName: "n"))
    package var maxInFlight: Int?

    @Option(help: ArgumentHelp("Failed tries a chunk may have before the job fails (--dispatch).", valueName: "n"))
    package var retries = 4

    @Option(name: .customLong("chunk-timeout"), help: ArgumentHelp("Seconds a chunk may take on a worker before it is tried elsewhere (--dispatch).", valueName: "s"))
    package var chunkTimeout = 600.0

    @Flag(help: "With --dispatch: print the chunks, the expected time and cost, and stop without rendering (a few frames are rendered here to measure).")
    package var plan = false

    @Option(name: .customLong("price"), help: ArgumentHelp("With --plan: price of one GPU-second, for the expected cost (e.g. 0.00111 for $4/h).", valueName: "per-s"))
    package var pricePerSecond: Double?

    @Flag(name: .customLong("allow-mixed-renderers"), help: "With --dispatch: use hardware and software renderers in one job (their frames differ slightly).")
    package var allowMixedRenderers = false

    @Option(name: .customLong("chunk-cache"), help: ArgumentHelp("Where finished chunks are kept by content, so a re-run renders only what changed. The default is ~/.cache/reel/chunks.", valueName: "path"))
    package var chunkCache: String?

    package init() {}

    /// The checks `reel render` makes of these options, after its own.
    /// - Throws: `ValidationError` (a usage error) naming the option.
    func check() throws {
        if dispatch != nil, ReelCLI.extensions.dispatcher == nil {
            throw ValidationError("this reel was built without remote dispatch, so it has no --dispatch; render without it, or with a reel made by ReelCLIDispatch.main(plugins:) (the ReelCLIDispatch product) instead of ReelCLI.main")
        }
        if dispatch == nil, chunkFrames != nil || maxInFlight != nil || plan || pricePerSecond != nil {
            throw ValidationError("--chunk-frames, --max-in-flight, --plan and --price go with --dispatch")
        }
        if let chunkFrames, chunkFrames < 1 { throw ValidationError("--chunk-frames must be at least 1") }
        if let maxInFlight, !(1...4096).contains(maxInFlight) { throw ValidationError("--max-in-flight must be 1…4096") }
        if !(0...20).contains(retries) { throw ValidationError("--retries must be 0…20") }
        if !(chunkTimeout > 0) { throw ValidationError("--chunk-timeout must be more than 0 seconds") }
    }
}
