import Foundation
import Testing

/// `reel modal init` end to end: the app file it writes is imported by the real `modal` package
/// (from PyPI, in a virtual environment under .build/pytools made on first use; importing needs
/// no network and no Modal account), and asks Modal for what the options said. Support/modal_probe.py
/// reads the app's objects: the function's GPU, timeout, concurrency, containers, secret and web
/// server, and the image recipe as Dockerfile lines.
@Suite("reel modal init", .serialized)
struct ModalInitTests {
    @Test(.timeLimit(.minutes(20)))
    func theAppAsksModalForWhatTheOptionsSay() throws {
        let python = try ModalPackage.python()
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try makePlaceholderBundle(at: folder.appendingPathComponent("dist/reel-bundle.tgz"))

        let made = try reel(["modal", "init", "deploy", "--app-name", "reel-test", "--gpu", "l40s:2", "--max-containers", "3",
                             "--concurrency", "2", "--timeout", "900", "--port", "7600", "--secret", "render-token",
                             "--cuda-image", "nvidia/cuda:12.8.1-base-ubuntu24.04"], in: folder)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout.contains("modal deploy deploy/reel_modal.py"), "\(made.stdout)")
        #expect(made.stdout.contains("--dispatch modal:https://<workspace>--reel-test-serve.modal.run"), "\(made.stdout)")

        // Imported from another folder: the bundle is found relative to the app file, not the cwd.
        let app = try ModalProbe(python: python, app: folder.appendingPathComponent("deploy/reel_modal.py"), in: repositoryRoot)
        #expect(app.apps == ["reel-test"])
        #expect(app.functions == ["serve"])
        #expect(app.function.app == "reel-test")
        #expect(app.function.gpus == ["L40S:2"])
        #expect(app.function.timeout == 900)
        #expect(app.function.maxInputs == 2)
        #expect(app.function.maxContainers == 3)
        #expect(app.function.secrets == ["modal.Secret.from_name('render-token')"])
        #expect(app.function.isWeb && app.function.requiresProxyAuth)
        #expect(app.function.webServerPort == 7600)
        #expect(app.function.usesModuleImage)
        #expect(app.constants.workerCommand == ["/opt/reel/run", "worker", "--listen", "0.0.0.0:7600", "--require-hardware"])

        #expect(app.dockerfile.first == "FROM nvidia/cuda:12.8.1-base-ubuntu24.04")
        #expect(app.copiedFiles == [[folder.appendingPathComponent("dist/reel-bundle.tgz").path, "/tmp/reel-bundle.tgz"]])
        #expect(app.constants.bundle == "../dist/reel-bundle.tgz")
    }

    @Test(.timeLimit(.minutes(20)))
    func theDefaultAppServesTheWorkerOnAnH100WithEGL() throws {
        let python = try ModalPackage.python()
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try makePlaceholderBundle(at: folder.appendingPathComponent("dist/reel-bundle.tgz"))

        let made = try reel(["modal", "init"], in: folder)
        #expect(made.status == 0, "\(made.stderr)")
        let app = try ModalProbe(python: python, app: folder.appendingPathComponent("reel_modal.py"), in: folder)

        #expect(app.constants.appName == "reel-worker" && app.apps == ["reel-worker"])
        #expect(app.constants.gpu == "H100" && app.function.gpus == ["H100:1"])
        #expect(app.constants.maxContainers == 10 && app.function.maxContainers == 10)
        #expect(app.constants.concurrency == 1 && app.function.maxInputs == 1)
        #expect(app.constants.timeout == 3600 && app.function.timeout == 3600)
        #expect(app.constants.port == 8000 && app.function.webServerPort == 8000)
        #expect(app.function.requiresProxyAuth)
        #expect(app.function.secrets == ["modal.Secret.from_name('reel-worker-token')"])
        #expect(app.constants.bundle == "dist/reel-bundle.tgz")

        // The image: the pinned CUDA base, the EGL/GLES dispatch libraries, the NVIDIA vendor file,
        // the bundle copied in and unpacked to /opt/reel, and the graphics driver capability.
        #expect(app.constants.cudaImage == "nvidia/cuda:12.6.3-base-ubuntu24.04")
        #expect(app.dockerfile.first == "FROM \(app.constants.cudaImage)")
        for package in ["libglvnd0", "libegl1", "libgles2", "libdrm2"] {
            #expect(app.constants.aptPackages.contains(package), "\(package)")
        }
        let install = app.dockerfile.first { $0.hasPrefix("RUN apt-get install") } ?? ""
        #expect(app.constants.aptPackages.allSatisfy { install.split(separator: " ").contains(Substring($0)) }, "\(install)")
        #expect(app.dockerfile.contains { $0.contains("libEGL_nvidia.so.0") && $0.contains("> /usr/share/glvnd/egl_vendor.d/10_nvidia.json") })
        #expect(app.copiedFiles == [[folder.appendingPathComponent("dist/reel-bundle.tgz").path, "/tmp/reel-bundle.tgz"]])
        let unpack = app.dockerfile.firstIndex { $0.contains("tar xzf /tmp/reel-bundle.tgz -C /opt/reel") }
        let copy = app.dockerfile.firstIndex(of: "COPY . /")
        #expect(unpack != nil && copy != nil && copy! < unpack!, "the bundle is copied in, then unpacked")
        #expect(app.dockerfile.contains("RUN /opt/reel/run --version"), "a bundle that cannot load fails the image build")
        #expect(app.dockerfile.contains("ENV NVIDIA_DRIVER_CAPABILITIES=all"))
        #expect(app.dockerfile.contains { $0.hasPrefix("ENV __EGL_VENDOR_LIBRARY_FILENAMES=/usr/share/glvnd/egl_vendor.d/10_nvidia.json") })
    }

    @Test func anExistingAppFileIsKeptUnlessOverwriteIsGiven() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("reel_modal.py")
        try Data("# mine\n".utf8).write(to: file)

        let refused = try reel(["modal", "init", folder.path, "--gpu", "T4"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("error[E-IO-EXISTS]") && refused.stderr.contains("--overwrite"), "\(refused.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "# mine\n")

        let replaced = try reel(["modal", "init", folder.path, "--gpu", "T4", "--overwrite"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("GPU = \"T4\""))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != "reel_modal.py" }
        #expect(leftovers.isEmpty, "no temporary files are left: \(leftovers)")
    }

    @Test func aGPUModalDoesNotOfferIsRefusedWithTheNearestName() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }

        let misspelt = try reel(["modal", "init", folder.path, "--gpu", "H1000"])
        #expect(misspelt.status == 1)
        #expect(misspelt.stderr.contains("error[E-CLI-ARGUMENT]: --gpu 'H1000' is not a Modal GPU type (did you mean \"H100\"?)"),
                "\(misspelt.stderr)")
        #expect(misspelt.stderr.contains("A100-80GB"), "the detail lists the types")

        let tooMany = try reel(["modal", "init", folder.path, "--gpu", "H100:9"])
        #expect(tooMany.status == 1 && tooMany.stderr.contains("E-CLI-ARGUMENT"), "\(tooMany.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "nothing was written")
    }

    /// The app refuses to import without its bundle (`modal deploy` would fail later, less clearly);
    /// the test's bundle only has to exist.
    private func makePlaceholderBundle(at url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("placeholder, never unpacked".utf8).write(to: url)
    }
}

// MARK: - The modal package

/// The real `modal` client from PyPI, pinned (the probe reads some of its private fields), in a
/// virtual environment of its own under .build/pytools.
enum ModalPackage {
    static let version = "1.6.4"
    static let environment = repositoryRoot.appendingPathComponent(".build/pytools")

    /// The environment's python, with `modal==version` importable; made on first use.
    /// Cancels (skips) the calling test when pip cannot reach PyPI, and says so.
    /// - Throws: `SetupError` when Python cannot make the environment, or pip fails otherwise.
    static func python() throws -> URL {
        let python = environment.appendingPathComponent("bin/python")
        let check = ["-c", "import sys, modal; sys.exit(modal.__version__ != '\(version)')"]
        if FileManager.default.isExecutableFile(atPath: python.path), try run(python, check).status == 0 {
            return python
        }
        if !FileManager.default.isExecutableFile(atPath: python.path) {
            let made = try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-m", "venv", "--clear", environment.path], limit: 300)
            guard made.status == 0 else {
                throw SetupError(message: "python3 -m venv \(environment.path) failed:\n\(made.stderr.suffix(1500))")
            }
        }
        let pip = try run(environment.appendingPathComponent("bin/pip"),
                          ["install", "--disable-pip-version-check", "--quiet", "--retries", "2", "--timeout", "30", "modal==\(version)"],
                          limit: 900)
        guard pip.status == 0 else {
            let reason = pip.stderr.split(separator: "\n").last.map(String.init) ?? "no output"
            if cannotReachPyPI(pip.stderr) {
                try Test.cancel("skipped: pip cannot reach PyPI to install modal==\(version), so the app was not imported (\(reason))")
            }
            throw SetupError(message: "pip install modal==\(version) failed:\n\(pip.stderr.suffix(1500))")
        }
        return python
    }

    private static func cannotReachPyPI(_ output: String) -> Bool {
        ["NewConnectionError", "Failed to establish a new connection", "Temporary failure in name resolution",
         "Name or service not known", "Network is unreachable", "timed out", "ProxyError", "SSLError",
         "(from versions: none)"].contains { output.contains($0) }
    }

    struct SetupError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// What Support/modal_probe.py read from an imported app file.
struct ModalProbe: Decodable {
    struct Function: Decodable {
        var app: String?
        var gpus: [String]
        var timeout: Int?
        var maxInputs: Int?
        var maxContainers: Int?
        var secrets: [String]
        var isWeb: Bool
        var webServerPort: Int
        var webServerStartupTimeout: Double
        var requiresProxyAuth: Bool
        var usesModuleImage: Bool

        enum CodingKeys: String, CodingKey {
            case app, gpus, timeout, secrets, maxInputs = "max_inputs", maxContainers = "max_containers", isWeb = "is_web"
            case webServerPort = "web_server_port", webServerStartupTimeout = "web_server_startup_timeout"
            case requiresProxyAuth = "requires_proxy_auth", usesModuleImage = "uses_module_image"
        }
    }

    /// The module's settings, as `reel modal init` wrote them.
    struct Constants: Decodable {
        var appName: String
        var gpu: String
        var maxContainers: Int
        var concurrency: Int
        var timeout: Int
        var port: Int
        var secretName: String
        var cudaImage: String
        var bundle: String
        var aptPackages: [String]
        var imageEnv: [String: String]
        var workerCommand: [String]

        enum CodingKeys: String, CodingKey {
            case appName = "APP_NAME", gpu = "GPU", maxContainers = "MAX_CONTAINERS", concurrency = "CONCURRENCY"
            case timeout = "TIMEOUT", port = "PORT", secretName = "SECRET_NAME", cudaImage = "CUDA_IMAGE", bundle = "BUNDLE"
            case aptPackages = "APT_PACKAGES", imageEnv = "IMAGE_ENV", workerCommand = "WORKER_COMMAND"
        }
    }

    var modalVersion: String
    var apps: [String]
    var functions: [String]
    var constants: Constants
    var function: Function
    var dockerfile: [String]
    var copiedFiles: [[String]]

    enum CodingKeys: String, CodingKey {
        case apps, functions, constants, function, dockerfile, modalVersion = "modal_version", copiedFiles = "copied_files"
    }

    /// Imports `app` with `python` (which has modal) from `directory`, and reads it.
    init(python: URL, app: URL, in directory: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let script = repositoryRoot.appendingPathComponent("Tests/ReelCLITests/Support/modal_probe.py")
        let result = try run(python, [script.path, app.path], in: directory)
        guard result.status == 0 else {
            Issue.record("modal could not import \(app.lastPathComponent):\n\(result.stderr.suffix(3000))", sourceLocation: sourceLocation)
            throw ModalPackage.SetupError(message: "import failed")
        }
        self = try JSONDecoder().decode(ModalProbe.self, from: Data(result.stdout.utf8))
    }
}
