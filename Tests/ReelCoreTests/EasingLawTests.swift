import PropertyBased
import Testing
@testable import ReelCore

@Suite("Easing laws")
struct EasingLawTests {
    static let monotonicFamilies: [Easing.Family] = [.sine, .quad, .cubic, .quart, .quint, .expo, .circ]

    @Test(arguments: monotonicFamilies)
    func monotonicFamiliesNeverGoBack(family: Easing.Family) async {
        await propertyCheck(input: Gen.double(in: 0...1), Gen.double(in: 0...1)) { a, b in
            let (lo, hi) = (min(a, b), max(a, b))
            for mode in Easing.Mode.allCases {
                let e = Easing.curve(family, mode)
                #expect(e(lo) <= e(hi) + 1e-12, "\(mode)\(family) at \(lo) and \(hi)")
            }
        }
    }

    @Test(arguments: Easing.Family.allCases)
    func inOutIsSymmetric(family: Easing.Family) async {
        await propertyCheck(input: Gen.double(in: 0...1)) { t in
            let e = Easing.curve(family, .inOut)
            #expect(abs(e(t) + e(1 - t) - 1) < 1e-9)
        }
    }

    @Test(arguments: Easing.Family.allCases)
    func outMirrorsIn(family: Easing.Family) async {
        await propertyCheck(input: Gen.double(in: 0...1)) { t in
            #expect(abs(Easing.curve(family, .out)(t) - (1 - Easing.curve(family, .in)(1 - t))) < 1e-9)
        }
    }

    /// Reference values from an independent bisection solver of the CSS timing curves.
    @Test(arguments: [
        ((0.25, 0.1, 0.25, 1.0), [0.094796, 0.408511, 0.802403, 0.960459, 0.994316]),  // ease
        ((0.42, 0.0, 1.0, 1.0), [0.017027, 0.093465, 0.315357, 0.621862, 0.839428]),   // ease-in
        ((0.0, 0.0, 0.58, 1.0), [0.160572, 0.378138, 0.684643, 0.906535, 0.982973]),   // ease-out
        ((0.42, 0.0, 0.58, 1.0), [0.019722, 0.129162, 0.5, 0.870838, 0.980278]),       // ease-in-out
        ((0.68, -0.55, 0.27, 1.55), [-0.066271, -0.082935, 0.596596, 1.088824, 1.062695]),
    ])
    func cubicBezierMatchesCSS(curve: (Double, Double, Double, Double), expected: [Double]) {
        let easing = Easing.cubicBezier(curve.0, curve.1, curve.2, curve.3)
        for (x, y) in zip([0.1, 0.25, 0.5, 0.75, 0.9], expected) {
            #expect(abs(easing(x) - y) < 1e-5, "cubicBezier\(curve) at \(x): \(easing(x)) vs \(y)")
        }
        #expect(easing(0) == 0 && easing(1) == 1)
    }

    @Test func stepsJumpAtTheEndOfEachInterval() {
        let steps = Easing.steps(4)
        #expect(steps(0) == 0 && steps(0.24) == 0 && steps(0.25) == 0.25 && steps(0.99) == 0.75 && steps(1) == 1)
    }

    @Test func springsSettleAtOne() async {
        #expect(Easing.spring(mass: 1, stiffness: 100, damping: 10)(0) == 0)
        #expect(Easing.spring(mass: 1, stiffness: 100, damping: 10)(1) == 1)
        #expect(abs(Easing.spring(mass: 1, stiffness: 100, damping: 10)(0.999) - 1) < 0.01)
        // Underdamped springs overshoot; overdamped ones never do and never go back.
        let bouncy = Easing.spring(mass: 1, stiffness: 200, damping: 4)
        #expect((0...100).map { bouncy(Double($0) / 100) }.max()! > 1.2)
        await propertyCheck(input: Gen.double(in: 0...1), Gen.double(in: 0...1)) { a, b in
            let stiff = Easing.spring(mass: 1, stiffness: 50, damping: 40)
            #expect(stiff(min(a, b)) <= stiff(max(a, b)) + 1e-12)
        }
    }

    @Test(arguments: ["cubicBezier(0.25, 0.1, 0.25, 1)", "steps(3)", "spring(1, 100, 10)", "cubicBezier(0,0,1,1)"])
    func parsesParametricForms(text: String) {
        #expect(Easing(name: text) != nil)
    }

    @Test(arguments: ["cubicBezier(1.5, 0, 0, 1)", "steps(0)", "steps(2.5)", "spring(0, 1, 1)", "spring(1, 1)", "cubicBezier(a, 0, 0, 1)", "bounce(1)"])
    func rejectsBadParametricForms(text: String) {
        #expect(Easing(name: text) == nil)
    }
}
