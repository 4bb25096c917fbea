// reel-fuzz: Reel's fuzz targets (see Sources/ReelFuzzing and `make fuzz`).
//
// Built with -DREEL_FUZZING and libFuzzer (scripts/fuzz), it is a libFuzzer binary: libFuzzer
// provides main and calls LLVMFuzzerTestOneInput with each input, for the target named by
// REEL_FUZZ_TARGET. Built normally, it replays files through a target without sanitizers:
// `reel-fuzz TARGET FILE...`, to reproduce a crash under a debugger or with a backtrace.
import Foundation
import ReelCore
import ReelFuzzing

#if REEL_FUZZING

/// The target REEL_FUZZ_TARGET names; LLVMFuzzerInitialize has checked it.
private let selected = ProcessInfo.processInfo.environment["REEL_FUZZ_TARGET"].flatMap(FuzzTarget.named)

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    guard selected != nil else {
        let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
        FileHandle.standardError.write(Data("reel-fuzz: set REEL_FUZZ_TARGET to one of \(names)\n".utf8))
        exit(2)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // A thrown error is Reel refusing the input, which is fine; anything else traps.
    try? selected?.entry(bytes)
    return 0
}

#else

@main
struct ReelFuzz {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard arguments.count >= 2, let target = FuzzTarget.named(arguments[0]) else {
            print("""
                usage: reel-fuzz TARGET FILE|FOLDER...
                Runs each file (each file in each folder) through a fuzz target without sanitizers and says
                what Reel made of it; a crash crashes here too, with a backtrace. Targets:
                """)
            for target in FuzzTarget.all { print("  \(target.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(target.summary)") }
            exit(2)
        }
        var missing = false
        for path in arguments.dropFirst() {
            guard let files = inputs(at: path) else {
                write("\(path): no such file or folder\n")
                missing = true
                continue
            }
            for file in files { replay(file, through: target) }
        }
        exit(missing ? 1 : 0)
    }

    static func write(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }

    /// `path` itself, or the files in it (sorted); nil when it does not exist.
    static func inputs(at path: String) -> [String]? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        guard isFolder.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }.filter { file in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) && !isFolder.boolValue
        }
    }

    static func replay(_ file: String, through target: FuzzTarget) {
        guard let data = FileManager.default.contents(atPath: file) else {
            write("\(file): cannot be read\n")
            return
        }
        // Unbuffered, so a crash still shows which file it was.
        write("\(file): ")
        do {
            try target.entry([UInt8](data))
            write("accepted\n")
        } catch {
            let summary = error.message.split(separator: "\n").first.map(String.init) ?? ""
            write("refused, \(error.code): \(summary.count > 160 ? summary.prefix(160) + "…" : summary)\n")
        }
    }
}

#endif
