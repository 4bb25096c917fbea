import Foundation
import Testing

/// The repository's root, found from this file's path so tests run from any folder.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// What one run of a command printed and how it ended.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the `reel` built beside this test runner (the test target depends on it, so SwiftPM
/// builds it first) with `arguments`, in `directory`.
func reel(_ arguments: [String], in directory: URL = repositoryRoot, environment: [String: String] = [:]) throws -> CommandResult {
    let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    let binary = runner.deletingLastPathComponent().appendingPathComponent("reel")
    return try run(binary, arguments, in: directory, environment: environment)
}

/// Runs a program to completion, with a guard (120 s unless `limit` says otherwise) so a
/// hang fails the test, not CI.
func run(_ executable: URL, _ arguments: [String], in directory: URL = repositoryRoot,
         environment: [String: String] = [:], limit: Int = 120) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Drain the pipes on their own threads so a chatty child cannot block on a full pipe,
    // while this thread watches the clock.
    let drained = DispatchGroup()
    let output = OutputBox()
    for (pipe, isError) in [(out, false), (err, true)] {
        drained.enter()
        DispatchQueue.global().async {
            output.set(pipe.fileHandleForReading.readDataToEndOfFile(), isError: isError)
            drained.leave()
        }
    }
    if drained.wait(timeout: .now() + .seconds(limit)) == .timedOut {
        process.terminate()
        Issue.record("\(executable.lastPathComponent) \(arguments.joined(separator: " ")) did not finish in \(limit) s")
        drained.wait()
    }
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus,
                         stdout: String(decoding: output.stdout, as: UTF8.self),
                         stderr: String(decoding: output.stderr, as: UTF8.self))
}

/// The two pipes' bytes, filled from two threads.
private final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data: (Data, Data) = (Data(), Data())
    var stdout: Data { lock.withLock { data.0 } }
    var stderr: Data { lock.withLock { data.1 } }
    func set(_ bytes: Data, isError: Bool) {
        lock.withLock { if isError { data.1 = bytes } else { data.0 = bytes } }
    }
}

/// A fresh empty folder under the system's temporary folder.
func makeScratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("reel-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Decodes a PNG with an independent decoder (Python's zlib and the PNG spec; see
/// Support/png_probe.py) and samples pixels at (x, y), y from the top.
struct ProbedPNG {
    var width: Int
    var height: Int
    var samples: [String: [Int]]

    init(_ file: URL, points: [(Int, Int)]) throws {
        let script = repositoryRoot.appendingPathComponent("Tests/ReelCLITests/Support/png_probe.py")
        let result = try run(URL(fileURLWithPath: "/usr/bin/env"),
                             ["python3", script.path, file.path] + points.map { "\($0.0),\($0.1)" })
        guard result.status == 0 else { throw ProbeError(message: result.stderr) }
        var lines = result.stdout.split(separator: "\n").map { $0.split(separator: " ") }
        let size = lines.removeFirst()
        width = Int(size[0]) ?? 0
        height = Int(size[1]) ?? 0
        samples = [:]
        for line in lines { samples[String(line[0])] = line.dropFirst().compactMap { Int($0) } }
    }

    subscript(x: Int, y: Int) -> [Int] { samples["\(x),\(y)"] ?? [] }

    struct ProbeError: Error { var message: String }
}

/// True when every channel of `actual` is within `tolerance` of `expected`.
func close(_ actual: [Int], _ expected: [Int], tolerance: Int = 2) -> Bool {
    actual.count == expected.count && zip(actual, expected).allSatisfy { abs($0 - $1) <= tolerance }
}
