import Foundation

/// A colour: sRGB-encoded components in 0…1 with straight (not premultiplied) alpha.
///
/// Scene files write colours as `#rgb`, `#rrggbb`, `#rrggbbaa` or a CSS name. Renderers
/// premultiply at the last moment (`premultiplied`), so no stage ever sees dark fringes.
public struct Color: Sendable, Hashable, CustomStringConvertible {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        (self.red, self.green, self.blue, self.alpha) = (red, green, blue, alpha)
    }

    /// A colour from its hex code as a number, `Color(rgb: 0xe94560)`: the same colour a scene
    /// gets by writing `"#e94560"` (8 bits a channel). `alpha` is 0…1; the default is 1.
    public init(rgb: UInt32, alpha: Double = 1) {
        self.init(red: Double((rgb >> 16) & 0xff) / 255, green: Double((rgb >> 8) & 0xff) / 255, blue: Double(rgb & 0xff) / 255,
                  alpha: alpha)
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let transparent = Color(red: 0, green: 0, blue: 0, alpha: 0)

    /// The colour with `alpha` multiplied into the colour channels, as GL blending wants it.
    public var premultiplied: (Double, Double, Double, Double) {
        (red * alpha, green * alpha, blue * alpha, alpha)
    }

    /// `#rrggbb`, or `#rrggbbaa` when not opaque.
    public var description: String {
        func hex(_ v: Double) -> String {
            let byte = Int((min(max(v, 0), 1) * 255).rounded())
            return String(byte, radix: 16).leftPadded(to: 2)
        }
        return "#" + hex(red) + hex(green) + hex(blue) + (alpha < 1 ? hex(alpha) : "")
    }

    /// Parses what CSS writes: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, any of the 148 CSS
    /// names (and `transparent`), `rgb(…)`/`rgba(…)` and `hsl(…)`/`hsla(…)` with commas or
    /// spaces, numbers or percentages, and an optional alpha after `/` or a fourth comma.
    /// Returns nil for anything else; the scene decoder turns that into a located error.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let named = Color.named[trimmed] {
            self = named
            return
        }
        if let function = Color(function: trimmed) {
            self = function
            return
        }
        guard trimmed.hasPrefix("#") else { return nil }
        var digits = Array(trimmed.dropFirst())
        guard digits.allSatisfy(\.isHexDigit) else { return nil }
        if digits.count == 3 || digits.count == 4 {
            digits = digits.flatMap { [$0, $0] }
        }
        guard digits.count == 6 || digits.count == 8 else { return nil }
        func channel(_ i: Int) -> Double {
            Double(Int(String(digits[i..<i + 2]), radix: 16) ?? 0) / 255
        }
        self.init(red: channel(0), green: channel(2), blue: channel(4), alpha: digits.count == 8 ? channel(6) : 1)
    }

    /// `rgb(255 0 0)`, `rgb(255, 0, 0, 0.5)`, `rgba(100%, 0%, 0%, 50%)`, `hsl(120deg 100% 50% / 0.5)`.
    private init?(function text: String) {
        guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { return nil }
        let name = text[..<open].trimmingCharacters(in: .whitespaces)
        guard ["rgb", "rgba", "hsl", "hsla"].contains(name) else { return nil }
        var body = text[text.index(after: open)..<text.index(before: text.endIndex)]
        var alphaText: Substring?
        if let slash = body.firstIndex(of: "/") {
            alphaText = body[body.index(after: slash)...]
            body = body[..<slash]
        }
        var parts = body.split(whereSeparator: { $0 == "," || $0 == " " }).map { $0 }
        if parts.count == 4, alphaText == nil { alphaText = parts.removeLast() }
        guard parts.count == 3 else { return nil }
        var alpha = 1.0
        if let alphaText {
            guard let a = Color.fraction(alphaText.trimmingCharacters(in: .whitespaces)[...], scale: 1) else { return nil }
            alpha = a
        }
        if name.hasPrefix("rgb") {
            guard let r = Color.fraction(parts[0], scale: 255), let g = Color.fraction(parts[1], scale: 255),
                  let b = Color.fraction(parts[2], scale: 255) else { return nil }
            self.init(red: r, green: g, blue: b, alpha: alpha)
        } else {
            var hueText = parts[0]
            if hueText.hasSuffix("deg") { hueText = hueText.dropLast(3) }
            guard let hue = Double(hueText), hue.isFinite, parts[1].hasSuffix("%"), parts[2].hasSuffix("%"),
                  let s = Color.fraction(parts[1], scale: 100), let l = Color.fraction(parts[2], scale: 100) else { return nil }
            // CSS Color 4's hsl-to-rgb.
            let h = (hue.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360)
            func channel(_ n: Double) -> Double {
                let k = (n + h / 30).truncatingRemainder(dividingBy: 12)
                return l - s * min(l, 1 - l) * max(-1, min(k - 3, 9 - k, 1))
            }
            self.init(red: channel(0), green: channel(8), blue: channel(4), alpha: alpha)
        }
    }

    /// A number in 0…`scale` or a percentage, as 0…1; nil when it is neither or out of range.
    private static func fraction(_ text: Substring, scale: Double) -> Double? {
        let value: Double
        if text.hasSuffix("%") {
            guard let v = Double(text.dropLast()) else { return nil }
            value = v / 100
        } else {
            guard let v = Double(text) else { return nil }
            value = v / scale
        }
        guard value.isFinite, value >= 0, value <= 1 else { return nil }
        return value
    }

    /// Colour names accepted in scene files: CSS's 148, and `transparent`.
    public static let named: [String: Color] = {
        var names = cssColorNames.mapValues { rgb in
            Color(red: Double(rgb >> 16 & 0xFF) / 255, green: Double(rgb >> 8 & 0xFF) / 255, blue: Double(rgb & 0xFF) / 255)
        }
        names["transparent"] = .transparent
        return names
    }()
}

// MARK: - Interpolation in OKLab

extension Color: Interpolatable {
    /// Mixes in OKLab, so a fade from blue to yellow passes through a clean neutral rather
    /// than the muddy grey an sRGB mix gives; alpha mixes linearly.
    public static func interpolate(_ from: Color, _ to: Color, _ t: Double) -> Color {
        let a = OKLab(from), b = OKLab(to)
        let mixed = OKLab(L: a.L + (b.L - a.L) * t, a: a.a + (b.a - a.a) * t, b: a.b + (b.b - a.b) * t)
        return mixed.color(alpha: from.alpha + (to.alpha - from.alpha) * t)
    }
}

/// Björn Ottosson's OKLab, reached from sRGB through linear light.
struct OKLab {
    var L: Double, a: Double, b: Double

    init(L: Double, a: Double, b: Double) { (self.L, self.a, self.b) = (L, a, b) }

    init(_ c: Color) {
        let r = OKLab.linear(c.red), g = OKLab.linear(c.green), bl = OKLab.linear(c.blue)
        let l = cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * bl)
        let m = cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * bl)
        let s = cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * bl)
        L = 0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s
        a = 1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s
        b = 0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s
    }

    func color(alpha: Double) -> Color {
        let l = pow(L + 0.3963377774 * a + 0.2158037573 * b, 3)
        let m = pow(L - 0.1055613458 * a - 0.0638541728 * b, 3)
        let s = pow(L - 0.0894841775 * a - 1.2914855480 * b, 3)
        return Color(
            red: OKLab.encoded(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
            green: OKLab.encoded(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
            blue: OKLab.encoded(-0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s),
            alpha: alpha
        )
    }

    static func linear(_ v: Double) -> Double {
        v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }

    static func encoded(_ v: Double) -> Double {
        let c = min(max(v, 0), 1)
        return c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
