import Foundation
import PostFX
import ReelCore
import Testing

@Suite("Reading .cube LUT files")
struct CubeLUTTests {
    static func parse(_ text: String) throws -> CubeLUT { try CubeLUT(parsing: Array(text.utf8), name: "look.cube") }

    static let identity2 = "LUT_3D_SIZE 2\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n"

    @Test func theFixtureRotatesChannels() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/rotate.cube")
        let lut = try CubeLUT(parsing: [UInt8](try Data(contentsOf: url)), name: "rotate.cube")
        #expect(lut.size == 5)
        let out = lut.apply((0.8, 0.3, 0.1))
        #expect(abs(out.0 - 0.3) < 1e-6 && abs(out.1 - 0.1) < 1e-6 && abs(out.2 - 0.8) < 1e-6)
    }

    @Test func identityIsIdentityWithCommentsAndCRLF() throws {
        let lut = try Self.parse("# made by hand\r\nTITLE \"id\"\r\n" + Self.identity2.replacingOccurrences(of: "\n", with: "\r\n"))
        let out = lut.apply((0.25, 0.5, 0.75))
        #expect(abs(out.0 - 0.25) < 1e-9 && abs(out.1 - 0.5) < 1e-9 && abs(out.2 - 0.75) < 1e-9)
        #expect(lut.texturePixels().count == 2 * 2 * 2 * 4)
    }

    @Test(arguments: [
        ("0 0 0\n", "before LUT_3D_SIZE"),
        ("LUT_3D_SIZE 1\n", "from 2 to 256"),
        ("LUT_3D_SIZE 2\n0 0 0\n", "1 table lines, expected 2³ = 8"),
        ("LUT_3D_SIZE 2\n0 0 zero\n", "expected three numbers"),
        ("LUT_1D_SIZE 16\n", "1D LUT"),
        ("LUT_3D_SIZE 2\nLUT_3D_SIZE 2\n", "given twice"),
        ("TITLE \"nothing\"\n", "no LUT_3D_SIZE"),
        ("LUT_3D_SIZE 2\nDOMAIN_MIN 0 0\n", "DOMAIN_MIN needs three numbers"),
        ("LUT_3D_SIZE 2\n0 0 nan\n", "expected three numbers"),
    ])
    func brokenFilesNameTheLineAndTheProblem(_ text: String, _ expected: String) throws {
        let error = #expect(throws: ReelError.self) { try Self.parse(text) }
        #expect(error?.code == .cubeLUT)
        #expect(error?.message.hasPrefix("look.cube:") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func tooManyLinesIsAnError() throws {
        let error = #expect(throws: ReelError.self) { try Self.parse(Self.identity2 + "1 1 1\n") }
        #expect(error?.message.contains("look.cube:10") == true, "\(error?.message ?? "")")
    }
}
