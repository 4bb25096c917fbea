/// Pixel counts as limits are written in messages: "67 108 864 pixels (8192×8192)".
public enum PixelCount {
    /// `pixels` in groups of three digits, and the square (or twice a square) it is.
    public static func describe(_ pixels: Int) -> String {
        var digits = String(pixels), grouped = ""
        while digits.count > 3 {
            grouped = " " + digits.suffix(3) + grouped
            digits = String(digits.dropLast(3))
        }
        grouped = digits + grouped
        guard pixels > 0, pixels < 1 << 52 else { return grouped + " pixels" }
        let side = Int(Double(pixels).squareRoot().rounded())
        if side * side == pixels { return "\(grouped) pixels (\(side)×\(side))" }
        let half = Int(Double(pixels / 2).squareRoot().rounded())
        if pixels % 2 == 0, half * half * 2 == pixels { return "\(grouped) pixels (2 × \(half)×\(half))" }
        return grouped + " pixels"
    }
}
