import Foundation
import ReelCore
import ReelMedia
import ReelTestSupport
import Testing
@testable import ReelGL

/// Reel's output against librsvg's (`rsvg-convert`), an independent rasterizer, for the same
/// shapes written as SVG. Edges are antialiased differently (MSAA here, analytic there), so
/// the bar is a PSNR of at least 30 dB and a mean channel difference of at most 1.5 levels.
@Suite("Against an independent rasterizer",
       .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert"), "needs rsvg-convert (Debian: librsvg2-bin, installed by scripts/bootstrap)"))
struct IndependentRasterizerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var layers: String
        var svg: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "rect", layers: ##"  - { rect: { size: [100, 60] }, position: [80, 60], fill: "#e94560" }"##,
             svg: ##"<rect x="30" y="30" width="100" height="60" fill="#e94560"/>"##),
        Case(name: "rounded-rect-stroke",
             layers: ##"  - { rect: { size: [110, 70], radius: 18 }, position: [80, 60], fill: "#f9d56e", stroke: { color: "#1b998b", width: 8 } }"##,
             svg: ##"<rect x="25" y="25" width="110" height="70" rx="18" fill="#f9d56e" stroke="#1b998b" stroke-width="8"/>"##),
        Case(name: "rotated-ellipse",
             layers: ##"  - { ellipse: { size: [130, 70] }, position: [80, 60], rotation: 20, fill: "#4ecca3", stroke: { color: white, width: 3 } }"##,
             svg: ##"<ellipse rx="65" ry="35" transform="translate(80 60) rotate(20)" fill="#4ecca3" stroke="#ffffff" stroke-width="3"/>"##),
        Case(name: "path-commands",
             layers: ##"  - { path: "M 20 60 Q 40 10 60 60 T 100 60 C 110 20 130 20 140 60 A 20 30 0 0 1 100 100 L 60 100 Z", fill: "#5c6bd6", stroke: { color: white, width: 2 } }"##,
             svg: ##"<path d="M 20 60 Q 40 10 60 60 T 100 60 C 110 20 130 20 140 60 A 20 30 0 0 1 100 100 L 60 100 Z" fill="#5c6bd6" stroke="#ffffff" stroke-width="2"/>"##),
        Case(name: "even-odd",
             layers: ##"  - { path: { d: "M 80 10 L 110 100 L 30 45 L 130 45 L 50 100 Z", fillRule: evenodd }, fill: "#f95738" }"##,
             svg: ##"<path d="M 80 10 L 110 100 L 30 45 L 130 45 L 50 100 Z" fill-rule="evenodd" fill="#f95738"/>"##),
        Case(name: "joins-and-caps",
             layers: """
               - { path: "M 15 100 L 45 25 L 70 100", fill: none, stroke: { color: "#e94560", width: 10, join: miter, cap: square } }
               - { path: "M 85 100 L 115 25 L 145 100", fill: none, stroke: { color: "#f9d56e", width: 10, join: round, cap: round } }
             """,
             svg: ##"<path d="M 15 100 L 45 25 L 70 100" fill="none" stroke="#e94560" stroke-width="10" stroke-linejoin="miter" stroke-linecap="square"/><path d="M 85 100 L 115 25 L 145 100" fill="none" stroke="#f9d56e" stroke-width="10" stroke-linejoin="round" stroke-linecap="round"/>"##),
        Case(name: "linear-gradient",
             layers: ##"  - { rect: { size: [140, 100] }, position: [80, 60], fill: { linear: { from: [-70, 0], to: [70, 0], stops: [[0, "#e94560"], [0.5, "#f9d56e"], [1, "#1b998b"]] } } }"##,
             svg: ##"<defs><linearGradient id="g" gradientUnits="userSpaceOnUse" x1="10" y1="0" x2="150" y2="0"><stop offset="0" stop-color="#e94560"/><stop offset="0.5" stop-color="#f9d56e"/><stop offset="1" stop-color="#1b998b"/></linearGradient></defs><rect x="10" y="10" width="140" height="100" fill="url(#g)"/>"##),
        Case(name: "radial-gradient",
             layers: ##"  - { circle: { radius: 55 }, position: [80, 60], fill: { radial: { center: [-10, -10], radius: 60, stops: [[0, "#ffffff"], [0.6, "#5c6bd6"], [1, "#14213d"]] } } }"##,
             svg: ##"<defs><radialGradient id="r" gradientUnits="userSpaceOnUse" cx="70" cy="50" r="60" fx="70" fy="50"><stop offset="0" stop-color="#ffffff"/><stop offset="0.6" stop-color="#5c6bd6"/><stop offset="1" stop-color="#14213d"/></radialGradient></defs><circle cx="80" cy="60" r="55" fill="url(#r)"/>"##),
        Case(name: "dashed-circle",
             layers: ##"  - { path: "M 80 15 A 45 45 0 1 1 79.99 15", fill: none, stroke: { color: white, width: 6, dash: [14, 8] } }"##,
             svg: ##"<path d="M 80 15 A 45 45 0 1 1 79.99 15" fill="none" stroke="#ffffff" stroke-width="6" stroke-dasharray="14 8"/>"##),
    ]

    @Test(arguments: cases)
    func matchesLibrsvg(_ item: Case) throws {
        let (image, _) = try renderScene(item.layers)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-rsvg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let svg = folder.appendingPathComponent("\(item.name).svg"), png = folder.appendingPathComponent("\(item.name).png")
        try Data("""
        <svg xmlns="http://www.w3.org/2000/svg" width="160" height="120" viewBox="0 0 160 120">
        <rect width="160" height="120" fill="#202028"/>\(item.svg)</svg>
        """.utf8).write(to: svg)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/rsvg-convert")
        process.arguments = ["-w", "160", "-h", "120", "-o", png.path, svg.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let reference = try PNGCodec.decode(Data(contentsOf: png))
        let ours = image.unpremultiplied()
        let diff = GoldenImage.compare(ours, reference)
        var total = 0
        for i in 0..<ours.pixels.count { total += abs(Int(ours.pixels[i]) - Int(reference.pixels[i])) }
        let mean = Double(total) / Double(ours.pixels.count)
        #expect(diff.psnr >= 30 && mean <= 1.5,
                "\(item.name): PSNR \(String(format: "%.1f", diff.psnr)) dB, mean difference \(String(format: "%.2f", mean)), max \(diff.maxChannel)")
        print("rsvg \(item.name): PSNR \(String(format: "%.1f", diff.psnr)) dB, mean \(String(format: "%.2f", mean))")
    }
}
