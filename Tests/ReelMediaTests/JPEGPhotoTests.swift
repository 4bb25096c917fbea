import Foundation
import Testing
import ReelCore
@testable import ReelMedia

/// The photo-like JPEGs of Fixtures/photos.py (1920×1080, gradients, noise and hard-edged
/// shapes; baseline, progressive, every EXIF orientation, Adobe CMYK) and the committed YCCK
/// fixture, with Pillow's decode of each turned upright (`ImageOps.exif_transpose`).
struct PhotoFixtures: Sendable {
    let folder: URL
    /// File name → (width, height) of its upright reference.
    let sizes: [String: (Int, Int)]

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Made once per test run (about a second).
    static let shared: Result<PhotoFixtures, PhotoFixtureError> = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("reel-photos-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", fixtures.appendingPathComponent("photos.py").path, folder.path, fixtures.appendingPathComponent("ycck.jpg").path]
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { return .failure(PhotoFixtureError(message: "cannot run python3: \(error)")) }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let manifest = try? String(contentsOf: folder.appendingPathComponent("manifest.txt"), encoding: .utf8) else {
            return .failure(PhotoFixtureError(message: "photos.py failed: \(message)"))
        }
        var sizes: [String: (Int, Int)] = [:]
        for line in manifest.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 3, let w = Int(parts[1]), let h = Int(parts[2]) { sizes[String(parts[0])] = (w, h) }
        }
        return .success(PhotoFixtures(folder: folder, sizes: sizes))
    }()

    static func get() throws -> PhotoFixtures { try shared.get() }

    func path(_ name: String) -> String {
        name == "ycck.jpg" ? Self.fixtures.appendingPathComponent(name).path : folder.appendingPathComponent(name).path
    }

    /// Pillow's upright decode of `name`: RGB rows.
    func reference(_ name: String) throws -> (width: Int, height: Int, rgb: [UInt8]) {
        let (w, h) = try #require(sizes[name], "no reference for \(name)")
        let rgb = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name + ".rgb")))
        return (w, h, rgb)
    }
}

struct PhotoFixtureError: Error { var message: String }

/// How far a decode is from a reference: the mean absolute difference over every channel,
/// the 99.9th percentile and the largest.
struct PictureDifference: CustomStringConvertible {
    var mean: Double
    var p999: Int
    var largest: Int

    init(_ image: RGBAImage, _ reference: (width: Int, height: Int, rgb: [UInt8])) {
        precondition(image.width == reference.width && image.height == reference.height)
        var counts = [Int](repeating: 0, count: 256), sum = 0
        for i in 0..<(image.width * image.height) {
            for c in 0..<3 {
                let d = abs(Int(image.pixels[4 * i + c]) - Int(reference.rgb[3 * i + c]))
                counts[d] += 1
                sum += d
            }
        }
        let total = image.width * image.height * 3
        mean = Double(sum) / Double(total)
        largest = counts.lastIndex { $0 > 0 } ?? 0
        var seen = 0, p = 0
        for (d, n) in counts.enumerated() {
            seen += n
            if Double(seen) >= 0.999 * Double(total) { p = d; break }
        }
        p999 = p
    }

    var description: String { String(format: "mean %.3f, 99.9%% within %d, largest %d", mean, p999, largest) }

    /// Decoders differ by a few levels (libjpeg's and FFmpeg's IDCT and chroma upsampling),
    /// most at hard coloured edges; a wrong turn, mirror, colour space or missing picture is
    /// tens of levels everywhere.
    var isClose: Bool { mean < 1 && p999 <= 8 && largest <= 40 }

    /// For four-component JPEGs: FFmpeg multiplies by black in integers (a level lower than
    /// libjpeg throughout) and upsamples YCCK's chroma more simply, still a few levels at most.
    var isCloseForCMYK: Bool { mean < 2 && largest <= 8 }
}

@Suite("JPEG photos decode as a viewer shows them")
struct JPEGPhotoTests {
    @Test(arguments: ["photo.jpg", "photo-progressive.jpg"])
    func photosDecodeLikePillow(name: String) throws {
        let photos = try PhotoFixtures.get()
        let image = try MediaDecoder.decodeImage(path: photos.path(name))
        let reference = try photos.reference(name)
        #expect(image.width == 1920 && image.height == 1080)
        let difference = PictureDifference(image, reference)
        #expect(difference.isClose, "\(name): \(difference)")
    }

    @Test func theDemuxerIsChosenByContentNotByName() throws {
        let photos = try PhotoFixtures.get()
        let decoder = try MediaDecoder(path: photos.path("photo.jpg"))
        #expect(decoder.container.demuxer == "jpeg_pipe")
        // The same bytes under another name are still a JPEG.
        let renamed = photos.folder.appendingPathComponent("photo.bin")
        try? FileManager.default.copyItem(atPath: photos.path("photo.jpg"), toPath: renamed.path)
        #expect(try MediaDecoder.decodeImage(path: renamed.path).width == 1920)
    }

    @Test(arguments: 2...8)
    func exifOrientationTurnsThePictureUpright(orientation: Int) throws {
        let photos = try PhotoFixtures.get()
        let name = "photo-exif-\(orientation).jpg"
        let image = try MediaDecoder.decodeImage(path: photos.path(name))
        let reference = try photos.reference(name)
        #expect(image.width == reference.width && image.height == reference.height, "\(name): \(image.width)×\(image.height)")
        guard image.width == reference.width && image.height == reference.height else { return }
        let difference = PictureDifference(image, reference)
        #expect(difference.isClose, "\(name): \(difference)")
    }

    @Test func adobeCMYKIsConverted() throws {
        let photos = try PhotoFixtures.get()
        let image = try MediaDecoder.decodeImage(path: photos.path("photo-cmyk.jpg"))
        let difference = PictureDifference(image, try photos.reference("photo-cmyk.jpg"))
        #expect(difference.isCloseForCMYK, "\(difference)")
        #expect(image[5, 5].3 == 255, "opaque: the black channel is not alpha")
    }

    @Test func ycckIsConverted() throws {
        let photos = try PhotoFixtures.get()
        let header = try #require(JPEGHeader.read([UInt8](Data(contentsOf: URL(fileURLWithPath: photos.path("ycck.jpg"))))))
        #expect(header.isYCCK && header.components == 4)
        let image = try MediaDecoder.decodeImage(path: photos.path("ycck.jpg"))
        let difference = PictureDifference(image, try photos.reference("ycck.jpg"))
        #expect(difference.isCloseForCMYK, "\(difference)")
        // The stored values: (80, 80, 190) without black on the left, three quarters of
        // (160, 80, 150) on the right.
        let (r, g, b, _) = image[10, 10]
        #expect(abs(Int(r) - 80) <= 6 && abs(Int(g) - 80) <= 6 && abs(Int(b) - 190) <= 6, "\(image[10, 10])")
        let (r2, g2, b2, _) = image[50, 10]
        #expect(abs(Int(r2) - 120) <= 6 && abs(Int(g2) - 60) <= 6 && abs(Int(b2) - 112) <= 6, "\(image[50, 10])")
    }

    @Test func headersAreReadWithoutDecoding() throws {
        let photos = try PhotoFixtures.get()
        let progressive = try #require(JPEGHeader.read(try AssetFile(path: photos.path("photo-progressive.jpg"), code: .imageAsset)))
        #expect(progressive.isProgressive && progressive.width == 1920 && progressive.height == 1080 && progressive.components == 3)
        let cmyk = try #require(JPEGHeader.read(try AssetFile(path: photos.path("photo-cmyk.jpg"), code: .imageAsset)))
        #expect(cmyk.isCMYK && !cmyk.isYCCK)
    }

    @Test func orientationsMatchTheirDefinition() {
        // A 3×2 picture whose pixels are numbered 0…5 in their red channel, rows first.
        let stored = RGBAImage(width: 3, height: 2, pixels: (0..<6).flatMap { [UInt8($0), 0, 0, 255] }, isPremultiplied: false)
        func reds(_ o: EXIFOrientation) -> [UInt8] { stored.oriented(o).pixels.enumerated().filter { $0.offset % 4 == 0 }.map(\.element) }
        #expect(reds(.upright) == [0, 1, 2, 3, 4, 5])
        #expect(reds(.mirrored) == [2, 1, 0, 5, 4, 3])
        #expect(reds(.upsideDown) == [5, 4, 3, 2, 1, 0])
        #expect(reds(.flipped) == [3, 4, 5, 0, 1, 2])
        #expect(reds(.transposed) == [0, 3, 1, 4, 2, 5])
        #expect(reds(.turnedLeft) == [3, 0, 4, 1, 5, 2])   // 6: shown turned 90° clockwise
        #expect(reds(.transverse) == [5, 2, 4, 1, 3, 0])
        #expect(reds(.turnedRight) == [2, 5, 1, 4, 0, 3])  // 8: shown turned 90° counter-clockwise
        #expect(stored.oriented(.turnedLeft).width == 2 && stored.oriented(.turnedLeft).height == 3)
    }
}
