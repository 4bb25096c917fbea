import ReelCore

/// How a camera says its picture is stored relative to how it should be shown (EXIF tag 274).
/// Phones store the sensor's rows as they come and record the turn here; every viewer applies
/// it, so an image layer must too or a portrait photo lies on its side.
public enum EXIFOrientation: Int, Sendable, CaseIterable {
    case upright = 1, mirrored = 2, upsideDown = 3, flipped = 4, transposed = 5, turnedLeft = 6, transverse = 7, turnedRight = 8

    /// True when showing the picture swaps its width and height.
    public var swapsSides: Bool { rawValue >= 5 }
}

extension RGBAImage {
    /// The picture as a viewer shows it when stored with `orientation`: for 6 (the camera was
    /// turned left), turned 90° clockwise; for 8, counter-clockwise; 3, half a turn; 2 and 4,
    /// mirrored; 5 and 7, mirrored across a diagonal. The same as Pillow's
    /// `ImageOps.exif_transpose`.
    public func oriented(_ orientation: EXIFOrientation) -> RGBAImage {
        guard orientation != .upright else { return self }
        let w = width, h = height
        let (outW, outH) = orientation.swapsSides ? (h, w) : (w, h)
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<outH {
                    for x in 0..<outW {
                        // The stored pixel shown at (x, y).
                        let (sx, sy): (Int, Int)
                        switch orientation {
                        case .upright: (sx, sy) = (x, y)
                        case .mirrored: (sx, sy) = (w - 1 - x, y)
                        case .upsideDown: (sx, sy) = (w - 1 - x, h - 1 - y)
                        case .flipped: (sx, sy) = (x, h - 1 - y)
                        case .transposed: (sx, sy) = (y, x)
                        case .turnedLeft: (sx, sy) = (y, h - 1 - x)
                        case .transverse: (sx, sy) = (w - 1 - y, h - 1 - x)
                        case .turnedRight: (sx, sy) = (w - 1 - y, x)
                        }
                        let from = (sy * w + sx) * 4, to = (y * outW + x) * 4
                        target[to] = source[from]
                        target[to + 1] = source[from + 1]
                        target[to + 2] = source[from + 2]
                        target[to + 3] = source[from + 3]
                    }
                }
            }
        }
        return RGBAImage(width: outW, height: outH, pixels: out, isPremultiplied: isPremultiplied)
    }
}
