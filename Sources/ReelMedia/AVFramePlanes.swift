import CFFmpeg

extension UnsafeMutablePointer where Pointee == AVFrame {
    /// The frame's plane pointers and line sizes as C arrays. Swift imports AVFrame's
    /// `data` and `linesize` as tuples; swscale and row copies want pointers.
    func withPlanes<T>(_ body: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>, UnsafeMutablePointer<Int32>) throws -> T) rethrows -> T {
        try withUnsafeMutablePointer(to: &pointee.data) { data in
            try data.withMemoryRebound(to: UnsafeMutablePointer<UInt8>?.self, capacity: 8) { planes in
                try withUnsafeMutablePointer(to: &pointee.linesize) { sizes in
                    try sizes.withMemoryRebound(to: Int32.self, capacity: 8) { lines in try body(planes, lines) }
                }
            }
        }
    }
}
