/// Reel's version, reported by `reel --version`, `reel doctor` and (later) worker health.
public enum ReelVersion {
    public static let string = "0.1.0"
}
