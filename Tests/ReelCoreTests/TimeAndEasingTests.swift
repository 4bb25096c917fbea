import Testing
@testable import ReelCore

@Suite("Times, easing and keyframes")
struct TimeAndEasingTests {
    @Test(arguments: [
        ("2s", SceneTime.seconds(2)), ("500ms", .seconds(0.5)), ("90f", .frames(90)), ("1.5", .seconds(1.5)), ("0", .seconds(0)),
    ])
    func parsesTimes(text: String, expected: SceneTime) {
        #expect(SceneTime(parsing: text) == expected)
    }

    @Test(arguments: ["", "-1s", "abc", "2 seconds", "1.5f", "nan", "infs"])
    func rejectsBadTimes(text: String) {
        #expect(SceneTime(parsing: text) == nil)
    }

    @Test func framesAtARate() {
        #expect(SceneTime.seconds(1).frame(fps: 30) == 30)
        #expect(SceneTime.seconds(0.999999).frame(fps: 30) == 30)
        #expect(SceneTime.frames(45).seconds(fps: 30) == 1.5)
    }

    @Test(arguments: Easing.allNames)
    func everyEasingStartsAtZeroAndEndsAtOne(name: String) throws {
        let easing = try #require(Easing(name: name))
        #expect(abs(easing(0)) < 1e-9)
        #expect(abs(easing(1) - 1) < 1e-9)
    }

    @Test func easingShapes() {
        #expect(Easing.linear(0.25) == 0.25)
        #expect(Easing.hold(0.99) == 0)
        #expect(abs(Easing.curve(.cubic, .in)(0.5) - 0.125) < 1e-12)
        #expect(abs(Easing.curve(.cubic, .out)(0.5) - 0.875) < 1e-12)
        #expect(abs(Easing.curve(.sine, .inOut)(0.5) - 0.5) < 1e-12)
        #expect(Easing.curve(.back, .in)(0.2) < 0, "back overshoots below 0")
        #expect(Easing(name: "inOutSine") == .curve(.sine, .inOut))
        #expect(Easing(name: "insine") == nil)
    }

    @Test func keyframesInterpolateWithTheArrivingSegmentsEasing() {
        let value = Animatable<Double>.keyframes([
            Keyframe(time: 1, value: 10),
            Keyframe(time: 2, value: 20, easing: .curve(.quad, .in)),
            Keyframe(time: 3, value: 0, easing: .hold),
        ])
        #expect(value.value(at: 0) == 10, "holds the first value before the first key")
        #expect(value.value(at: 1.5) == 12.5, "quad in at t = 0.5 is a quarter of the way")
        #expect(value.value(at: 2.5) == 20, "hold keeps the start value")
        #expect(value.value(at: 3) == 0)
        #expect(value.value(at: 99) == 0, "holds the last value after the last key")
    }

    @Test func coloursMixInOKLab() throws {
        let blue = try #require(Color(parsing: "#0000ff")), yellow = try #require(Color(parsing: "#ffff00"))
        // Reference values from Ottosson's OKLab definition.
        let red = OKLab(Color(red: 1, green: 0, blue: 0))
        #expect(abs(red.L - 0.62796) < 1e-4 && abs(red.a - 0.22486) < 1e-4 && abs(red.b - 0.12585) < 1e-4)
        let white = OKLab(.white)
        #expect(abs(white.L - 1) < 1e-4 && abs(white.a) < 1e-4 && abs(white.b) < 1e-4)
        // The midpoint's lightness is the mean of the ends' (sRGB mixing would give a dark grey).
        let mid = Color.interpolate(blue, yellow, 0.5)
        #expect(abs(OKLab(mid).L - (OKLab(blue).L + OKLab(yellow).L) / 2) < 1e-3)
        #expect(mid.green > 0.6, "lighter than the sRGB midpoint's 0.5")
        let start = Color.interpolate(blue, yellow, 0)
        #expect(abs(start.blue - 1) < 1e-6 && abs(start.red) < 1e-6)
    }

    @Test func parsesColours() {
        #expect(Color(parsing: "#f00") == Color(red: 1, green: 0, blue: 0))
        #expect(Color(parsing: "#ff000080")?.alpha == 128.0 / 255)
        #expect(Color(parsing: "White") == .white)
        #expect(Color(parsing: "#12345") == nil)
        #expect(Color(parsing: "red ") != nil)
        #expect(Color(red: 1, green: 0.5, blue: 0).description == "#ff8000")
    }
}
