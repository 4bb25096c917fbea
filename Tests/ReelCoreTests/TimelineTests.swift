import Testing
@testable import ReelCore

@Suite("Timeline evaluation")
struct TimelineTests {
    let scene = try! SceneDecoder().decode("""
    reel: 1
    canvas: { size: [100, 100], fps: 10, duration: 2s }
    layers:
      - id: mover
        rect: { size: [10, 20] }
        position: { keys: [[0s, [0, 0]], [1s, [100, 50]]] }
        rotation: 90
        opacity: { keys: [[0s, 1], [2s, 0]] }
      - id: hidden
        circle: { radius: 3 }
        visible: false
    """)

    @Test func isAPureFunctionOfTheFrame() {
        let a = Timeline.evaluate(scene, frame: 7), b = Timeline.evaluate(scene, frame: 7)
        #expect(a.layers.map(\.transform) == b.layers.map(\.transform))
        #expect(a.time == 0.7)
    }

    @Test func appliesPositionRotationAndOpacity() throws {
        let state = Timeline.evaluate(scene, frame: 5)
        #expect(state.layers.count == 1, "hidden layers are not drawn")
        let item = try #require(state.layers.first)
        let centre = item.transform.apply(.zero)
        #expect(abs(centre.x - 50) < 1e-9 && abs(centre.y - 25) < 1e-9)
        // Rotating 90° clockwise on a y-down canvas sends local +x to canvas +y.
        let right = item.transform.apply(Vec2(1, 0)) - centre
        #expect(abs(right.x) < 1e-9 && abs(right.y - 1) < 1e-9)
        #expect(abs(item.opacity - 0.75) < 1e-9)
        guard case let .rect(halfSize, radius) = item.content else {
            Issue.record("expected a rect")
            return
        }
        #expect(halfSize == Vec2(5, 10) && radius == 0)
    }

    @Test func fullyTransparentLayersAreSkipped() {
        #expect(Timeline.evaluate(scene, frame: 20).layers.isEmpty)
    }

    @Test func anchorIsThePivot() throws {
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [100, 100] }
        layers: [{ rect: { size: [20, 20] }, position: [50, 50], anchor: [-10, -10], scale: 2 }]
        """)
        let item = try #require(Timeline.evaluate(scene, frame: 0).layers.first)
        #expect(item.transform.apply(Vec2(-10, -10)) == Vec2(50, 50), "the anchor sits at the position")
        #expect(item.transform.apply(Vec2(10, 10)) == Vec2(90, 90), "and scaling grows away from it")
    }
}
