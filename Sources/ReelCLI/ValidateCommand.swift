import ArgumentParser
import Foundation
import Reel
import ReelCore
import ReelGL

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check scene files and report every problem with its file, line and column.",
        discussion: """
        A full pre-flight: what would fail a render fails here, located. Besides the scene's syntax, types, names and limits: asset files must exist and be regular files, pictures and clips self-contained formats within the pixel limits (read from their headers); fonts must be installed; a few frames must be within the drawing limits; shader files must compile (a GL context is opened only then). An odd canvas size is a warning: video needs even sizes, pictures do not. Exits 0 when every file is valid, 1 otherwise.

        A folder stands for the scene files under it.

        Examples:
          reel validate Scenes/*
          reel validate --json Scenes/hello.yaml
        """
    )

    @Argument(help: ArgumentHelp("Scene files to check, or folders of them.", valueName: "scene"))
    var scenes: [String]

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a scene parameter (repeatable).", valueName: "name=value"))
    var overrides: [String] = []

    @Flag(help: "Print one JSON object per file: {file, ok, diagnostics: [{code, message, file, line, column, path, suggestion}]}.")
    var json = false

    func run() throws {
        let decoder = SceneDecoder(plugins: ReelCLI.plugins, overrides: try parseOverrides(overrides))
        var failed = false
        var reports: [JSONValue] = []
        // Opened once, and only when a scene has shader files to compile.
        var gl: HeadlessGL?
        defer { gl?.close() }
        for path in try Self.sceneFiles(scenes) {
            do {
                // The scene; its asset files (regular, self-contained, within the pixel limits)
                // and fonts, each problem at its line; the drawing limits of a few frames; its
                // shader files compiled by the driver, at the shader's own line.
                func check() throws -> Scene {
                    let scene = try decoder.load(path: path)
                    var problems = AssetPreflight.diagnostics(scene) + ScenePreflight.fontDiagnostics(scene)
                    if problems.isEmpty {
                        do { try FrameCost.checkSampleFrames(scene, plugins: ReelCLI.plugins) } catch { problems += error.diagnostics }
                    }
                    if !problems.isEmpty { throw SceneError(problems) }
                    if !scene.shaders.isEmpty {
                        if gl == nil { gl = try HeadlessGL.open(label: "reel.validate", faults: TestFaults.gl) }
                        if let gl { try ScenePreflight.compileShaders(scene, gl: gl) }
                    }
                    return scene
                }
                let scene = json ? try check() : try reportingErrors { try check() }
                let warnings = [ScenePreflight.videoSizeWarning(scene, file: path)].compactMap { $0 } + ScenePreflight.shaderWarnings(scene)
                let c = scene.canvas
                let count = scene.allLayers.count
                if json {
                    reports.append(.object([("file", .string(path)), ("ok", true), ("diagnostics", []), ("warnings", .array(warnings.map(\.json)))]))
                } else {
                    print("\(path): ok (\(c.width)×\(c.height), \(c.fps.clean) fps, \(c.frameCount) frames, \(count) layer\(count == 1 ? "" : "s"))")
                    for warning in warnings { printError("warning: \(warning.location.map { "\($0): " } ?? "")\(warning.path.isEmpty ? "" : warning.path + ": ")\(warning.message)") }
                }
            } catch let error as SceneError {
                failed = true
                reports.append(.object([("file", .string(path)), ("ok", false), ("diagnostics", .array(error.diagnostics.map(\.json)))]))
            } catch let error as ReelError {
                failed = true
                reports.append(.object([("file", .string(path)), ("ok", false), ("diagnostics", [.object([
                    ("code", .string(error.code.rawValue)), ("message", .string(error.message)), ("file", .string(path)),
                    ("line", .null), ("column", .null), ("path", ""), ("suggestion", .null),
                ])])]))
            } catch {
                failed = true
            }
        }
        if json { print(JSONValue.array(reports).serialized(pretty: true)) }
        if failed { throw ExitCode.failure }
    }

    /// The scene files named: files as given; a folder stands for the .yaml, .yml and .json files
    /// under it (subfolders too), so `reel validate Scenes/*` checks what a shell expands, folders
    /// and all. A folder with none is noted and skipped.
    static func sceneFiles(_ arguments: [String]) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder), isFolder.boolValue else {
                files.append(argument)
                continue
            }
            let found = (FileManager.default.subpaths(atPath: argument) ?? [])
                .filter { [".yaml", ".yml", ".json"].contains(("." + ($0 as NSString).pathExtension).lowercased()) }
                .sorted()
                .map { (argument.hasSuffix("/") ? argument : argument + "/") + $0 }
            if found.isEmpty { printError("note: \(argument) holds no scene files (.yaml, .yml, .json); skipped") }
            files += found
        }
        return files
    }
}
