import Foundation

/// A field of /proc/PID/status in MiB ("VmRSS", "VmHWM"), or nil when the process is gone.
/// `pid` "self" reads this process.
func procStatusMiB(_ field: String, pid: String = "self") -> Double? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
          let kB = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
    return kB / 1024
}
