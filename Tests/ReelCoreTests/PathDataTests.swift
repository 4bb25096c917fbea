import Testing
@testable import ReelCore

@Suite("SVG path data")
struct PathDataTests {
    @Test func everyCommandAbsoluteAndRelative() throws {
        let path = try PathData(svg: "M10 10 L20 10 H30 V20 h-10 v10 l-5 5 C0 0 1 1 2 2 S 4 4 5 5 Q 6 6 7 7 T 9 9 A 5 5 0 0 1 19 9 c1 1 2 2 3 3 s1 1 2 2 q1 1 2 2 t2 2 a5 5 0 1 0 10 0 m5 5 z")
        // Seven lines; C S Q T; a half-circle arc as two quarter cubics; c s q t; another half circle; m; z.
        #expect(path.structure == "MLLLLLLCCCCCCCCCCCCMZ")
        guard case let .line(p) = path.commands[4] else { Issue.record("h is a line"); return }
        #expect(p == Vec2(20, 20))
    }

    @Test func implicitLineToAfterMove() throws {
        let path = try PathData(svg: "M 0 0 10 0 10 10 z")
        #expect(path.structure == "MLLZ")
    }

    @Test func packedNumbers() throws {
        let path = try PathData(svg: "M10-5.5.5.25L1e1,2")
        #expect(path.commands.first == .move(Vec2(10, -5.5)))
        #expect(path.commands[1] == .line(Vec2(0.5, 0.25)), "implicit line-to after M")
        #expect(path.commands[2] == .line(Vec2(10, 2)))
    }

    @Test func arcsEndWhereTheySay() throws {
        let path = try PathData(svg: "M 0 0 A 50 50 0 0 1 100 0")
        guard case let .cubic(_, _, end) = path.commands.last else { Issue.record("an arc becomes cubics"); return }
        #expect(end == Vec2(100, 0))
        #expect(path.commands.count == 3, "a half turn is two quarter-turn cubics")
    }

    @Test func quadraticsBecomeEquivalentCubics() throws {
        let path = try PathData(svg: "M 0 0 Q 30 60 60 0")
        #expect(path.commands[1] == .cubic(Vec2(20, 40), Vec2(40, 40), Vec2(60, 0)))
    }

    @Test(arguments: [("L 1 1", 0), ("M 0 0 L 1", 9), ("M 0 0 X 1 1", 6), ("", 0), ("M 0 0 A 1 1 0 2 0 3 3", 14), ("M 0 0 z 5", 8)])
    func errorsPointAtTheCharacter(text: String, offset: Int) {
        let error = #expect(throws: PathSyntaxError.self) { try PathData(svg: text) }
        #expect(error?.offset == offset, "\(error?.message ?? "") at \(error?.offset ?? -1)")
    }

    @Test func matchingPathsInterpolatePointByPoint() throws {
        let a = try PathData(svg: "M 0 0 L 10 0"), b = try PathData(svg: "M 0 10 L 20 10")
        #expect(PathData.interpolate(a, b, 0.5) == (try PathData(svg: "M 0 5 L 15 5")))
    }
}
