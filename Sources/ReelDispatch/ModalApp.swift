import Foundation
import Reel
import ReelCore

/// The checked settings of a Modal app for reel workers, and the Python file they make
/// (`reel modal init`; deployment is in MODAL.md).
public struct ModalApp: Sendable {
    /// What `reel modal init` uses for an option it is not given.
    public enum Defaults {
        /// `--app-name`.
        public static let appName = "reel-worker"
        /// `--gpu`.
        public static let gpu = "H100"
        /// `--max-containers`.
        public static let maxContainers = 10
        /// `--concurrency`.
        public static let concurrency = 1
        /// `--timeout`, seconds.
        public static let timeout = 3600
        /// `--port`.
        public static let port = 8000
        /// `--bundle`: where `make bundle` writes it.
        public static let bundle = "dist/reel-bundle.tgz"
        /// `--cuda-image`: Ubuntu 24.04 (glibc 2.39). The bundle is built on Debian 12 and needs
        /// glibc 2.36 or newer, which rules out the Ubuntu 22.04 images (2.35).
        public static let cudaImage = "nvidia/cuda:12.6.3-base-ubuntu24.04"
        /// `--secret`.
        public static let secret = "reel-worker-token"
    }

    /// The name of the file `reel modal init` writes.
    public static let fileName = "reel_modal.py"
    /// Modal's GPU types (https://modal.com/docs/guide/gpu); `A10G` is the older name of `A10`.
    public static let gpuTypes = ["T4", "L4", "A10", "A10G", "L40S", "A100", "A100-40GB", "A100-80GB", "RTX-PRO-6000",
                                  "H100", "H100!", "H200", "B200", "B200+"]
    /// The function's name in the app, the last part of its URL's label.
    public static let functionName = "serve"

    /// The Modal app's name; part of the worker's URL.
    public let appName: String
    /// A Modal GPU type in Modal's spelling, with `:N` for N GPUs.
    public let gpu: String
    /// The most containers (GPUs) Modal runs at once.
    public let maxContainers: Int
    /// Chunks one container renders at once.
    public let concurrency: Int
    /// Seconds a request (one chunk) may run.
    public let timeout: Int
    /// The worker's port inside the container.
    public let port: Int
    /// The container's base image.
    public let cudaImage: String
    /// The Modal secret that holds `REEL_WORKER_TOKEN`.
    public let secret: String
    /// The bundle's path as the app file records it: relative to the app's folder, or absolute.
    public let bundle: String

    /// Checks every setting.
    /// - Throws: `E-CLI-ARGUMENT` naming the option, what it must be, and the nearest GPU type
    ///   for a misspelt `--gpu`.
    public init(appName: String, gpu: String, maxContainers: Int, concurrency: Int, timeout: Int, port: Int,
         cudaImage: String, secret: String, bundle: String) throws(ReelError) {
        self.appName = try Self.checkName(appName, option: "--app-name")
        self.gpu = try Self.canonicalGPU(gpu)
        self.maxContainers = try Self.check(maxContainers, in: 1...1000, option: "--max-containers")
        self.concurrency = try Self.check(concurrency, in: 1...1000, option: "--concurrency")
        self.timeout = try Self.check(timeout, in: 10...86400, option: "--timeout", unit: " seconds")
        self.port = try Self.check(port, in: 1...65535, option: "--port")
        guard cudaImage.range(of: "^[A-Za-z0-9][A-Za-z0-9._/:@-]*$", options: .regularExpression) != nil else {
            throw ReelError(.badArgument, "--cuda-image '\(cudaImage)' is not an image reference",
                            detail: "for example: \(Defaults.cudaImage)")
        }
        self.cudaImage = cudaImage
        self.secret = try Self.checkName(secret, option: "--secret")
        self.bundle = bundle
    }

    /// Where `modal deploy` serves the worker, with the workspace left to fill in.
    public var exampleURL: String { "https://<workspace>--\(appName)-\(Self.functionName).modal.run" }

    // MARK: Checks

    /// `h100` → `H100`, `a100-80gb:2` → `A100-80GB:2`.
    /// - Throws: `E-CLI-ARGUMENT` when the type is not Modal's or the count is not 1…8.
    public static func canonicalGPU(_ text: String) throws(ReelError) -> String {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let type = gpuTypes.first(where: { $0.caseInsensitiveCompare(parts[0]) == .orderedSame }) else {
            let hint = nearestName(to: parts[0], in: gpuTypes).map { " (did you mean \"\($0)\"?)" } ?? ""
            throw ReelError(.badArgument, "--gpu '\(text)' is not a Modal GPU type\(hint)",
                            detail: "one of: \(gpuTypes.joined(separator: ", ")); add :N for N GPUs, e.g. H100:2")
        }
        guard parts.count == 2 else { return type }
        guard let count = Int(parts[1]), (1...8).contains(count) else {
            throw ReelError(.badArgument, "--gpu '\(text)': the GPU count after ':' must be 1 to 8")
        }
        return "\(type):\(count)"
    }

    /// Modal's rule for app and secret names: letters, digits, `-`, `_` and `.`, under 64 characters.
    private static func checkName(_ name: String, option: String) throws(ReelError) -> String {
        guard name.range(of: "^[A-Za-z0-9._-]{1,63}$", options: .regularExpression) != nil else {
            throw ReelError(.badArgument, "\(option) '\(name)' is not a Modal name",
                            detail: "use letters, digits, '-', '_' and '.', at most 63 characters")
        }
        return name
    }

    private static func check(_ value: Int, in range: ClosedRange<Int>, option: String, unit: String = "") throws(ReelError) -> Int {
        guard range.contains(value) else {
            throw ReelError(.badArgument, "\(option) \(value) is out of range",
                            detail: "it must be \(range.lowerBound) to \(range.upperBound)\(unit)")
        }
        return value
    }

    /// `target` as a path relative to `folder` (both absolute), e.g. `../dist/reel-bundle.tgz`.
    public static func relativePath(of target: URL, from folder: URL) -> String {
        let to = target.standardizedFileURL.pathComponents, from = folder.standardizedFileURL.pathComponents
        var common = 0
        while common < min(to.count, from.count), to[common] == from[common] { common += 1 }
        let path = Array(repeating: "..", count: from.count - common) + to[common...]
        return path.joined(separator: "/")
    }

    /// `text` as a Python string literal.
    public static func python(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": literal += "\\\\"
            case "\"": literal += "\\\""
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                literal += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }

    // MARK: The file

    /// The app file's text: settings at the top, then the image and the worker function.
    public var python: String {
        """
        # reel_modal.py: Reel render workers on Modal GPUs, written by `reel modal init` (reel \(ReelVersion.string)).
        #
        # Each container runs `reel worker` from Reel's portable bundle on its GPU, behind Modal's
        # proxy auth, and renders the frame ranges `reel render --dispatch` sends it. Modal starts
        # containers as requests arrive, up to MAX_CONTAINERS, and stops them when they are idle.
        #
        # Deploy (and again after editing this file or rebuilding the bundle):
        #   make bundle                          # in the Reel checkout: dist/reel-bundle.tgz
        #   pip install modal && modal setup     # Modal's client and your Modal token
        #   export REEL_WORKER_TOKEN=$(openssl rand -hex 32)
        #   modal secret create \(secret) REEL_WORKER_TOKEN=$REEL_WORKER_TOKEN
        #   modal deploy reel_modal.py           # prints the URL below, with your workspace's name
        #
        # Dispatch a render from any machine with reel, with the same REEL_WORKER_TOKEN and a proxy
        # auth token (wk-… and ws-…) from https://modal.com/settings/proxy-auth-tokens:
        #   REEL_WORKER_TOKEN=$REEL_WORKER_TOKEN REEL_MODAL_KEY=wk-... REEL_MODAL_SECRET=ws-... reel render scene.yaml -o out.mp4 --dispatch modal:\(exampleURL)
        #
        # Every container prints `reel doctor` as it starts (modal app logs \(appName)): GL_RENDERER
        # must name the NVIDIA GPU; the worker refuses to serve from a software renderer.
        #
        # Change the settings below here, or write the file again: reel modal init --overwrite [options].

        import json
        import os
        import shlex
        import subprocess
        from pathlib import Path

        import modal

        # --- Settings ----------------------------------------------------------------------------
        APP_NAME = \(Self.python(appName))
        GPU = \(Self.python(gpu))  # a Modal GPU type; TYPE:N for N GPUs
        MAX_CONTAINERS = \(maxContainers)  # containers (GPUs) at most, across all renders
        CONCURRENCY = \(concurrency)  # chunks one container renders at once
        TIMEOUT = \(timeout)  # seconds one request (one chunk) may run (past 150 s Modal's proxy redirects, see below)
        PORT = \(port)  # the worker's port inside the container
        STARTUP_TIMEOUT = 120  # seconds a new container has to start listening
        SECRET_NAME = \(Self.python(secret))  # the Modal secret that holds REEL_WORKER_TOKEN
        CUDA_IMAGE = \(Self.python(cudaImage))  # needs glibc 2.36 or newer
        PYTHON_VERSION = "3.12"  # for Modal's own runtime in the container; reel does not use it
        BUNDLE = \(Self.python(bundle))  # from `make bundle`; relative to this file, or absolute
        INSTALL_DIR = "/opt/reel"

        # What the bundle leaves to the machine: the GL dispatch libraries (libglvnd), libdrm,
        # fontconfig's configuration and a font for text layers; and Mesa, so that without the NVIDIA
        # libraries `reel doctor` reports a software renderer instead of no renderer at all. The NVIDIA
        # driver's own libraries (libEGL_nvidia.so.0, …) come from the host with the "graphics" capability.
        APT_PACKAGES = [
            "libglvnd0",
            "libegl1",
            "libgles2",
            "libegl-mesa0",
            "libdrm2",
            "fontconfig-config",
            "fonts-dejavu-core",
        ]

        # glvnd's vendor file for NVIDIA's EGL library (where the host mounts the driver's own, that one wins).
        EGL_VENDOR_JSON = "/usr/share/glvnd/egl_vendor.d/10_nvidia.json"
        IMAGE_ENV = {
            # Containers get the "compute" and "utility" driver capabilities by default; EGL needs "graphics".
            "NVIDIA_DRIVER_CAPABILITIES": "all",
            # NVIDIA's EGL first, Mesa's (software) last.
            "__EGL_VENDOR_LIBRARY_FILENAMES": EGL_VENDOR_JSON + ":/usr/share/glvnd/egl_vendor.d/50_mesa.json",
        }

        RUN = INSTALL_DIR + "/run"
        WORKER_COMMAND = [RUN, "worker", "--listen", f"0.0.0.0:{PORT}", "--require-hardware"]
        BUNDLE_PATH = (Path(__file__).resolve().parent / BUNDLE).resolve()  # an absolute BUNDLE stays as it is

        # --- Image -------------------------------------------------------------------------------
        if modal.is_local() and not BUNDLE_PATH.is_file():
            raise SystemExit(f"reel_modal.py: no bundle at {BUNDLE_PATH}: run `make bundle` in the Reel checkout, or reel modal init --bundle PATH")

        NVIDIA_EGL_VENDOR = {"file_format_version": "1.0.0", "ICD": {"library_path": "libEGL_nvidia.so.0"}}

        image = (
            modal.Image.from_registry(CUDA_IMAGE, add_python=PYTHON_VERSION)
            .env({"DEBIAN_FRONTEND": "noninteractive"})  # no package may stop the build with a question
            .apt_install(*APT_PACKAGES)
            .run_commands(
                "mkdir -p " + shlex.quote(os.path.dirname(EGL_VENDOR_JSON)),
                "echo " + shlex.quote(json.dumps(NVIDIA_EGL_VENDOR)) + " > " + shlex.quote(EGL_VENDOR_JSON),
            )
            .add_local_file(BUNDLE_PATH, "/tmp/reel-bundle.tgz", copy=True)
            .run_commands(
                f"mkdir -p {INSTALL_DIR} && tar xzf /tmp/reel-bundle.tgz -C {INSTALL_DIR} && rm /tmp/reel-bundle.tgz",
                f"{RUN} --version",  # a bundle that cannot load here fails the deploy, not the first render
            )
            .env(IMAGE_ENV)
        )

        app = modal.App(APP_NAME, image=image)


        # --- The worker --------------------------------------------------------------------------
        # Modal's proxy holds a request for at most 150 s, then answers 303 with a URL that waits for
        # the same request's result; the caller follows it (with its headers) until TIMEOUT.
        @app.function(
            gpu=GPU,
            timeout=TIMEOUT,
            max_containers=MAX_CONTAINERS,
            secrets=[modal.Secret.from_name(SECRET_NAME)],
        )
        @modal.concurrent(max_inputs=CONCURRENCY)
        @modal.web_server(PORT, startup_timeout=STARTUP_TIMEOUT, requires_proxy_auth=True)
        def serve():
            # Runs once as each container starts: report the GPU, then start the worker on PORT.
            if not os.environ.get("REEL_WORKER_TOKEN"):
                raise RuntimeError(f"the Modal secret {SECRET_NAME!r} has no REEL_WORKER_TOKEN (see the top of reel_modal.py)")
            subprocess.run([RUN, "doctor"], check=False)
            subprocess.Popen(WORKER_COMMAND)

        """
    }
}
