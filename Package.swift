// swift-tools-version:6.1
// Reel: scene files to pictures and video, headless, on Linux. See README.md.
import PackageDescription

let package = Package(
    name: "Reel",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "reel", targets: ["reel"]),
        .library(name: "Reel", targets: ["Reel"]),
        // The command line as a library: `ReelCLI.main(plugins:)` is `reel` with more plugins and
        // no remote dispatch, so a plugin's package builds without the HTTP stack;
        // `ReelCLIDispatch.main(plugins:)` adds `worker`, `modal init` and `render --dispatch`.
        .library(name: "ReelCLI", targets: ["ReelCLI"]),
        .library(name: "ReelCLIDispatch", targets: ["ReelCLIDispatch"]),
        .library(name: "ReelDispatch", targets: ["ReelDispatch"]),
        .library(name: "ReelCore", targets: ["ReelCore"]),
        .library(name: "ReelGL", targets: ["ReelGL"]),
        .library(name: "ReelMedia", targets: ["ReelMedia"]),
        // Fuzz targets: a libFuzzer binary under `make fuzz`, a replay tool in a normal build.
        .executable(name: "reel-fuzz", targets: ["reel-fuzz"]),
    ],
    traits: [
        // SwiftPM resolves every dependency a package declares, whichever of its products are
        // used; a trait is what keeps the HTTP stack out of a package that needs no dispatch.
        // `reel plugin new` writes `.package(…, traits: [])`: its graph has no SwiftNIO, and
        // ReelDispatch and ReelCLIDispatch are not for it (they stop with an #error that says so).
        .trait(name: "RemoteDispatch", description: "ReelDispatch and ReelCLIDispatch: reel worker, modal init, render --dispatch (Hummingbird, AsyncHTTPClient, SwiftNIO)"),
        .default(enabledTraits: ["RemoteDispatch"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        // The worker's HTTP server and the coordinator's client: ReelDispatch's alone, under the
        // RemoteDispatch trait. Hummingbird's optional traits (swift-configuration, full
        // Foundation) are left off: Reel needs neither.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // MARK: - System libraries (module map + shim header, no logic)
        .systemLibrary(
            name: "CEGL",
            pkgConfig: "egl",
            providers: [.apt(["libegl-dev", "libgles-dev", "libegl-mesa0", "libgl1-mesa-dri"])]
        ),
        .systemLibrary(
            name: "CText",
            pkgConfig: "harfbuzz",
            providers: [.apt(["libfreetype-dev", "libharfbuzz-dev", "libfontconfig-dev", "fonts-dejavu-core"])]
        ),
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev"])]
        ),
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),

        // MARK: - Modules
        .target(
            name: "ReelCore",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        .target(name: "ReelGL", dependencies: ["ReelCore", "CEGL"]),
        .target(name: "ReelMedia", dependencies: ["ReelCore", "CPNG", "CDeflate", "CText", "CFFmpeg"]),
        .target(name: "Reel", dependencies: ["ReelCore", "ReelGL", "ReelMedia", "Motion", "PostFX", "Shaders"]),

        // MARK: - First-party plugins (the same API a third-party plugin uses)
        .target(name: "Motion", dependencies: ["ReelCore"], path: "Plugins/Motion", exclude: ["README.md"]),
        .target(name: "PostFX", dependencies: ["ReelCore", "ReelGL"], path: "Plugins/PostFX", exclude: ["README.md"]),
        .target(name: "Shaders", dependencies: ["ReelCore", "ReelGL"], path: "Plugins/Shaders", exclude: ["README.md"]),

        // MARK: - Features beside the engine
        // Remote dispatch: chunk jobs, the worker, the coordinator, the Modal app (see its README).
        // Not a plugin: it adds nothing to scenes, and it is the only module with the HTTP stack.
        .target(
            name: "ReelDispatch",
            dependencies: [
                "Reel", "ReelCore", "ReelGL", "ReelMedia",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["RemoteDispatch"])),
                .product(name: "AsyncHTTPClient", package: "async-http-client", condition: .when(traits: ["RemoteDispatch"])),
            ],
            exclude: ["README.md", "MODAL.md"]
        ),
        .executableTarget(name: "reel-bench", dependencies: ["Reel", "CFFmpeg", "ReelDispatch"]),

        // MARK: - The command line
        // reel → ReelCLIDispatch → {ReelCLI, ReelDispatch}; ReelCLI → Reel. Nothing points back up.
        .target(
            name: "ReelCLI",
            dependencies: ["Reel", "ReelCore", "ReelGL", "ReelMedia", "Shaders", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(
            name: "ReelCLIDispatch",
            dependencies: ["ReelCLI", "ReelDispatch", "Reel", "ReelCore", "ReelGL", "ReelMedia",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(name: "reel", dependencies: ["ReelCLIDispatch"]),

        // MARK: - Fuzzing (make fuzz; see README.md)
        // One entry per fuzz target; built with sanitizers by `make fuzz`, without by `swift build`.
        .target(name: "ReelFuzzing", dependencies: ["Reel", "ReelCore", "ReelGL", "ReelMedia", "Motion", "PostFX", "Shaders", "ReelDispatch"]),
        // libFuzzer's driver with -DREEL_FUZZING; otherwise `reel-fuzz TARGET FILE...` replays inputs.
        .executableTarget(name: "reel-fuzz", dependencies: ["ReelFuzzing", "ReelCore"]),

        // MARK: - Tests
        // Shared by the test targets: the GL fixture and golden-image comparison.
        .target(name: "ReelTestSupport", dependencies: ["ReelGL", "ReelMedia"], path: "Tests/Support"),
        .testTarget(name: "ReelCoreTests", dependencies: ["ReelCore", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "ReelGLTests", dependencies: ["ReelGL", "ReelMedia", "ReelTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "ReelMediaTests", dependencies: ["ReelMedia"], exclude: ["Fixtures"]),
        .testTarget(name: "MotionTests", dependencies: ["Motion", "Reel", "ReelGL", "ReelMedia", "ReelTestSupport"], exclude: ["Golden"]),
        .testTarget(name: "ShadersTests", dependencies: ["Shaders", "Reel", "ReelMedia", "ReelGL", "ReelTestSupport"],
                    exclude: ["Golden", "ISF"]),
        .testTarget(name: "PostFXTests", dependencies: ["PostFX", "Reel", "ReelMedia", "ReelGL", "ReelTestSupport"], exclude: ["Golden", "Fixtures"]),
        .testTarget(name: "ReelTests", dependencies: ["Reel", "ReelMedia"]),
        // Starts real `reel worker` processes and `reel render --dispatch`, so it needs the binary.
        .testTarget(name: "ReelDispatchTests", dependencies: [
            "ReelDispatch", "Reel", "ReelCore", "ReelGL", "ReelMedia", "reel",
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ], exclude: ["Support"]),
        // The commands run as processes of `reel`; ReelCLI is imported too, for the command line
        // without dispatch that a plugin's reel has.
        .testTarget(name: "ReelCLITests", dependencies: ["reel", "ReelCLI", "ReelMedia"], exclude: ["Support", "Corpus"]),
        // Replays the committed fuzz seeds and regressions (Tests/Fuzz) without sanitizers.
        .testTarget(name: "FuzzRegressionTests", dependencies: ["ReelFuzzing"]),
    ],
    swiftLanguageModes: [.v6]
)
