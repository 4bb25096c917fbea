import ArgumentParser
import Foundation
import ReelCLI
import ReelCore
import ReelDispatch
import ReelMedia

struct ModalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modal",
        abstract: "Serve reel workers from Modal's GPUs (modal.com).",
        subcommands: [ModalInitCommand.self]
    )
}

struct ModalInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write reel_modal.py: a Modal app that runs `reel worker` on GPUs, for `reel render --dispatch modal:URL`.",
        discussion: """
        The app installs Reel's portable bundle (`make bundle`) in an NVIDIA CUDA image with the EGL libraries, and serves `reel worker --require-hardware` on each container's GPU behind Modal's proxy auth. Every setting is a constant at the top of the file, to edit there or to write again with --overwrite.

        Examples:
          make bundle && reel modal init
          reel modal init deploy --gpu L40S --max-containers 20
          modal secret create reel-worker-token REEL_WORKER_TOKEN=$REEL_WORKER_TOKEN
          modal deploy reel_modal.py
        """
    )

    @Argument(help: "The folder to write reel_modal.py into (made if missing).")
    var folder = "."

    @Option(help: "The Modal app's name; the worker's URL is https://<workspace>--<app-name>-serve.modal.run.")
    var appName = ModalApp.Defaults.appName

    @Option(help: "Modal GPU type, with :N for N GPUs (\(ModalApp.gpuTypes.joined(separator: ", "))).")
    var gpu = ModalApp.Defaults.gpu

    @Option(help: "The most containers (GPUs) Modal runs at once.")
    var maxContainers = ModalApp.Defaults.maxContainers

    @Option(help: "Chunks one container renders at once.")
    var concurrency = ModalApp.Defaults.concurrency

    @Option(help: "Seconds a request (one chunk) may run before Modal stops it (at most 86400).")
    var timeout = ModalApp.Defaults.timeout

    @Option(help: "The port the worker listens on inside the container.")
    var port = ModalApp.Defaults.port

    @Option(help: "The bundle tarball from `make bundle`; the app records it relative to itself (or absolute, as given).")
    var bundle = ModalApp.Defaults.bundle

    @Option(help: "The container's base image: an NVIDIA CUDA image with glibc 2.36 or newer (the bundle's need).")
    var cudaImage = ModalApp.Defaults.cudaImage

    @Option(help: "The Modal secret that holds REEL_WORKER_TOKEN.")
    var secret = ModalApp.Defaults.secret

    @Flag(help: "Replace an existing reel_modal.py.")
    var overwrite = false

    func run() throws {
        try reportingErrors {
            let folderURL = URL(fileURLWithPath: folder).standardizedFileURL
            let bundleURL = URL(fileURLWithPath: bundle).standardizedFileURL
            let app = try ModalApp(appName: appName, gpu: gpu, maxContainers: maxContainers, concurrency: concurrency,
                                   timeout: timeout, port: port, cudaImage: cudaImage, secret: secret,
                                   bundle: bundle.hasPrefix("/") ? bundleURL.path : ModalApp.relativePath(of: bundleURL, from: folderURL))
            let target = folderURL.appendingPathComponent(ModalApp.fileName)
            let shown = folder == "." ? ModalApp.fileName : URL(fileURLWithPath: folder).appendingPathComponent(ModalApp.fileName).relativePath
            if FileManager.default.fileExists(atPath: target.path), !overwrite {
                throw ReelError(.outputExists, "'\(shown)' already exists", detail: "pass --overwrite to replace it")
            }
            do {
                try FileManager.default.createDirectory(at: folderURL, withIntermediateDirectories: true)
            } catch {
                throw ReelError(.fileUnwritable, "cannot make the folder '\(folder)': \(error.localizedDescription)")
            }
            try AtomicFile.checkWritable(target.path)
            try AtomicFile.write(Data(app.python.utf8), to: target.path)

            print("wrote \(shown) (app \(app.appName): \(app.gpu), at most \(app.maxContainers) containers × \(app.concurrency) chunk\(app.concurrency == 1 ? "" : "s"), worker on port \(app.port))")
            if !FileManager.default.fileExists(atPath: bundleURL.path) {
                print("note: there is no bundle at '\(bundle)' yet; make it with `make bundle` in the Reel checkout before deploying")
            }
            print("""
            next:
              export REEL_WORKER_TOKEN=$(openssl rand -hex 32)
              modal secret create \(app.secret) REEL_WORKER_TOKEN=$REEL_WORKER_TOKEN
              modal deploy \(shown)
              REEL_MODAL_KEY=wk-… REEL_MODAL_SECRET=ws-… reel render scene.yaml -o out.mp4 --dispatch modal:\(app.exampleURL)
            (proxy auth tokens, wk-… and ws-…: https://modal.com/settings/proxy-auth-tokens)
            """)
        }
    }
}
