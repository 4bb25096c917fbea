import Foundation
import ReelCore
import Synchronization

/// A worker's render process (`reel worker-render`), seen from the worker: started with
/// `posix_spawn` in a process group of its own, with a pipe to its stdin and one from its
/// stdout and no other descriptor of the worker's (no client socket stays open in it), and
/// killed as a group.
///
/// Not Foundation's `Process`: its `waitUntilExit` was seen spinning at full CPU for a child it
/// had already reaped, and it reaps children from a signal handler of its own. Here the
/// worker's render loop polls `exitStatus()`, which reaps with `waitpid(pid, WNOHANG)`.
final class RenderProcess: Sendable {
    /// How a process ended.
    enum Exit: Sendable, Equatable {
        case status(Int32)
        case signal(Int32)
    }

    let pid: pid_t
    /// Chunks it has rendered.
    let served = Atomic<Int>(0)
    private let toChild: Int32
    private let fromChild: Int32
    private struct State {
        var exit: Exit?
        var output: [UInt8] = []
        var inputClosed = false
    }
    private let state = Mutex(State())

    /// Starts `executable` with `arguments` (argv[0] excluded) and exactly `environment`.
    /// - Throws: `E-DISPATCH-WORKER` when the pipes cannot be made or the spawn fails.
    init(executable: String, arguments: [String], environment: [String: String]) throws {
        // Not close-on-exec: the spawn closes every descriptor above stderr in the child.
        var input: [Int32] = [-1, -1], output: [Int32] = [-1, -1]
        guard pipe(&input) == 0 else { throw Self.failure("pipe", errno) }
        guard pipe(&output) == 0 else {
            let code = errno
            close(input[0]); close(input[1])
            throw Self.failure("pipe", code)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input[0], STDIN_FILENO)
        posix_spawn_file_actions_adddup2(&actions, output[1], STDOUT_FILENO)
        // Everything else but stderr closes: sockets NIO accepted are not close-on-exec, and a
        // client's socket held open by a render would outlive the worker's close of it.
        guard let closeFrom = Self.addCloseFrom else {
            close(input[0]); close(input[1]); close(output[0]); close(output[1])
            throw ReelError(.workerUnavailable, "the worker cannot start a render process: this C library lacks posix_spawn_file_actions_addclosefrom_np",
                            detail: "Reel needs glibc 2.34 or newer")
        }
        _ = closeFrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(input[0])
        close(output[1])
        guard spawned == 0 else {
            close(input[1]); close(output[0])
            throw Self.failure("posix_spawn \(executable)", spawned)
        }
        (self.pid, toChild, fromChild) = (pid, input[1], output[0])
    }

    deinit {
        // The render loop always reaps; this is for a process it never got to watch.
        if state.withLock({ $0.exit == nil }) {
            Glibc.kill(-pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(toChild)
        close(fromChild)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34), which Swift's Glibc module
    /// does not declare (it is a GNU extension).
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    private static func failure(_ call: String, _ code: Int32) -> ReelError {
        ReelError(.workerUnavailable, "the worker cannot start a render process: \(call): \(String(cString: strerror(code)))",
                  nativeCode: Int(code), context: call)
    }

    /// Whole lines the process has written to stdout so far, without waiting; each is
    /// returned once.
    func lines() -> [String] {
        state.withLock { s in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                var poller = pollfd(fd: fromChild, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 0) == 1 else { break }
                let n = read(fromChild, &buffer, buffer.count)
                guard n > 0 else { break }
                s.output += buffer[0..<n]
                // A chatty child cannot grow this: only a few short lines are expected.
                if s.output.count > 1 << 16 { s.output.removeFirst(s.output.count - (1 << 16)) }
            }
            var lines: [String] = []
            while let newline = s.output.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: s.output[..<newline], as: UTF8.self))
                s.output.removeSubrange(...newline)
            }
            return lines
        }
    }

    /// Sends the job folder the process is to render.
    func start(job: String) {
        let line = Array((job + "\n").utf8)
        _ = line.withUnsafeBytes { write(toChild, $0.baseAddress, $0.count) }
    }

    /// Sends the one byte that lets the process go on (its render slot is free).
    func proceed() {
        var go = UInt8(ascii: "g")
        _ = write(toChild, &go, 1)
    }

    /// How it ended, reaping it the first time; nil while it runs.
    func exitStatus() -> Exit? {
        state.withLock { s in
            if let exit = s.exit { return exit }
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, WNOHANG)
            guard reaped == pid else {
                // ECHILD: someone else reaped it; it is gone either way.
                if reaped < 0, errno == ECHILD { s.exit = .signal(0) }
                return s.exit
            }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift cannot import as macros.
            s.exit = status & 0x7F == 0 ? .status((status >> 8) & 0xFF) : .signal(status & 0x7F)
            return s.exit
        }
    }

    /// SIGKILL to its whole process group. Poll `exitStatus()` to see it gone.
    func kill() {
        // Under the lock that reaping takes, so the pid cannot have been reused meanwhile.
        state.withLock { s in
            if s.exit == nil { _ = Glibc.kill(-pid, SIGKILL) }
        }
    }

    /// Its resident memory in bytes (VmRSS of /proc/PID/status); nil once it is gone.
    func residentBytes() -> Int? {
        Self.residentBytes(of: pid)
    }

    /// VmRSS of `pid`, in bytes.
    static func residentBytes(of pid: pid_t) -> Int? {
        let fd = open("/proc/\(pid)/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = read(fd, &buffer, buffer.count)
        guard n > 0 else { return nil }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") else { return nil }
        return kib * 1024
    }
}
