import Foundation
import Testing

/// Every command example in the README and in `reel … --help`, run as written by a shell in a
/// fresh folder holding the repository's Scenes and Assets, with this build's `reel` first on
/// PATH: each must succeed. The few that need what no test machine has (a GPU, a Modal
/// account, a cluster of the names they give) or that are other test targets' work are
/// skipped with the reason printed, by rules below that name them one by one.
@Suite struct DocumentedExamplesTests {
    struct Example: Sendable, CustomTestStringConvertible {
        var source: String
        var command: String
        var testDescription: String { "\(source): \(command)" }
    }

    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("reel")

    /// Shell lines of the README's `sh` blocks, comments removed, continuations joined.
    static let readme: [Example] = {
        guard let text = try? String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8) else { return [] }
        var examples: [Example] = []
        for block in text.components(separatedBy: "```sh\n").dropFirst() {
            guard let body = block.components(separatedBy: "```").first else { continue }
            var pending = ""
            for raw in body.split(separator: "\n", omittingEmptySubsequences: false) {
                var line = String(raw)
                if line.hasSuffix("\\") { pending += line.dropLast() + " "; continue }
                line = pending + line
                pending = ""
                let command = stripComment(line)
                if !command.isEmpty { examples.append(Example(source: "README", command: command)) }
            }
        }
        return examples
    }()

    /// The "Examples:" lines of every command's --help.
    static let help: [Example] = {
        let commands = ["", "render", "still", "validate", "info", "schema", "plugins", "plugins list", "plugins describe",
                        "plugin", "plugin new", "doctor", "worker", "modal", "modal init"]
        var examples: [Example] = []
        for command in commands {
            let arguments = command.split(separator: " ").map(String.init) + ["--help"]
            guard let result = try? run(binary, arguments) else { continue }
            var inExamples = false
            for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
                if line == "Examples:" { inExamples = true; continue }
                if inExamples && !line.hasPrefix("  ") { inExamples = false }
                if inExamples {
                    let example = stripComment(String(line))
                    if !example.isEmpty { examples.append(Example(source: "reel \(command) --help", command: example)) }
                }
            }
        }
        return examples
    }()

    static func stripComment(_ line: String) -> String {
        var text = line.trimmingCharacters(in: .whitespaces)
        // A comment starts at " #" outside quotes (a PNG pattern's #### is not one).
        var quote: Character?
        var previous: Character = " "
        for index in text.indices {
            let c = text[index]
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c }
            else if c == "#", previous == " " { text = String(text[..<index]); break }
            previous = c
        }
        text = text.trimmingCharacters(in: .whitespaces)
        return text.hasPrefix("#") ? "" : text
    }

    /// Why an example cannot run on a test machine, or nil when it must run and succeed.
    static func reasonToSkip(_ command: String) -> String? {
        if command.contains("…") || command.range(of: #"\b(PORT|TOKEN|WORKER_PID)\b"#, options: .regularExpression) != nil {
            return "a template with placeholders to fill in"
        }
        if command.hasPrefix("make ") { return "a make target: CI's own entry points (make test runs this test; demo, bench, bundle, fuzz and soak take minutes to hours)" }
        if command.hasPrefix("modal ") || command.contains("modal deploy") { return "needs a Modal account" }
        if command.contains("http://gpu1") { return "needs the GPU boxes it names" }
        if command.contains("--require-hardware") { return "needs a GPU: --require-hardware refuses llvmpipe on purpose" }
        if command.contains("_nvenc"), !doctorEncoders.contains("h264_nvenc") { return "needs NVENC, which this machine does not have" }
        if command.contains("reel-sparkle") || command.hasPrefix("cd sparkle") || command.contains("reel-fuzz") {
            return "builds another package (PluginNewTests and FuzzRegressionTests run these steps)"
        }
        if command.hasPrefix("swift ") { return "builds with SwiftPM (make fuzz runs it)" }
        return nil
    }

    static let doctorEncoders: String = (try? run(binary, ["doctor"]).stdout) ?? ""

    /// A folder for one example: links to the repository's Scenes and Assets, a token file,
    /// and `reel` on PATH.
    static func sandbox() throws -> URL {
        let folder = try makeScratchFolder()
        for name in ["Scenes", "Assets"] {
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(name), withDestinationURL: repositoryRoot.appendingPathComponent(name))
        }
        try Data("s3cret\n".utf8).write(to: folder.appendingPathComponent("token"))
        let bin = folder.appendingPathComponent(".bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("reel"), withDestinationURL: binary)
        return folder
    }

    static func environment(_ folder: URL) -> [String: String] {
        ["PATH": folder.path + "/.bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")]
    }

    static var all: [Example] { readme + help }
    static var commands: [Example] { all.filter { !$0.command.contains("reel worker") } }
    static var servers: [Example] { all.filter { $0.command.contains("reel worker") } }

    @Test func theExamplesAreFound() {
        #expect(Self.readme.count >= 40, "README examples: \(Self.readme.count)")
        #expect(Self.help.count >= 25, "--help examples: \(Self.help.count)")
        let skipped = Self.all.filter { Self.reasonToSkip($0.command) != nil }
        for example in skipped { print("skipped: \(example.testDescription) — \(Self.reasonToSkip(example.command) ?? "")") }
        #expect(skipped.count * 3 < Self.all.count, "most examples must run here: \(skipped.count) of \(Self.all.count) skipped")
    }

    @Test(arguments: commands)
    func runsAsWritten(_ example: Example) throws {
        if let reason = Self.reasonToSkip(example.command) {
            print("skipped \(example.testDescription): \(reason)")
            return
        }
        let folder = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try run(URL(fileURLWithPath: "/bin/sh"), ["-c", example.command], in: folder, environment: Self.environment(folder), limit: 300)
        #expect(result.status == 0, "\(example.testDescription) exited \(result.status): \(result.stderr.suffix(800))")
        #expect(!result.stderr.contains("error["), "\(example.testDescription): \(result.stderr.prefix(800))")
    }

    /// `reel worker` examples serve until stopped: each must come up and say where it listens.
    @Test(.serialized, arguments: servers)
    func serversStartAsWritten(_ example: Example) throws {
        if let reason = Self.reasonToSkip(example.command) {
            print("skipped \(example.testDescription): \(reason)")
            return
        }
        let folder = try Self.sandbox()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // exec, so the stop signal reaches the worker itself; env carries leading VAR=value words.
        let leadingAssignment = example.command.range(of: #"^[A-Z_][A-Z0-9_]*="#, options: .regularExpression) != nil
        process.arguments = ["-c", (leadingAssignment ? "exec env " : "exec ") + example.command]
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(Self.environment(folder)) { $1 }
        let log = folder.appendingPathComponent("out.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var text = ""
        while Date() < deadline, process.isRunning {
            text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if text.contains("listening on") { break }
            usleep(50_000)
        }
        let wasRunning = process.isRunning
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let stop = Date().addingTimeInterval(10)
        while process.isRunning, Date() < stop { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        #expect(wasRunning && text.contains("listening on"), "\(example.testDescription): \(text.suffix(800))")
    }
}
