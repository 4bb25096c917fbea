import Testing
@testable import ReelCore

/// Scene-side limits against hostile files: what an alias, a long text or a copying animation
/// pass can ask for is bounded before it is expanded, evaluated or drawn (README, Limits).
@Suite("Resource limits")
struct ResourceLimitTests {
    let decoder = SceneDecoder(catalog: .core)

    func limitError(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagnostic? {
        do {
            _ = try decoder.decode(text, file: "hostile.yaml")
            Issue.record("expected E-SCENE-LIMIT", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.codes.first == .limitExceeded, "\(error)", sourceLocation: sourceLocation)
            return error.diagnostics.first
        }
    }

    static func laughs(levels: Int, width: Int) -> String {
        var lines = ["reel: 1", "canvas: { size: [64, 64] }", "x0: &a0 [" + Array(repeating: "lol", count: width).joined(separator: ", ") + "]"]
        for i in 1..<levels {
            lines.append("x\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: width).joined(separator: ", ") + "]")
        }
        return (lines + ["layers: []"]).joined(separator: "\n")
    }

    @Test func aliasExpansionIsMeasuredBeforeItHappens() throws {
        // 9^10 values from 600 bytes: refused at the alias that crosses a million.
        let diagnostic = try #require(limitError(Self.laughs(levels: 10, width: 9)))
        #expect(diagnostic.message.contains("1000000 values"))
        #expect(diagnostic.location?.line == 9)
    }

    @Test func aliasedMappingKeysAreMeasuredToo() {
        // Composing hashes keys to find duplicates; a key aliasing a big tree would walk it.
        let text = Self.laughs(levels: 7, width: 9).replacingOccurrences(of: "layers: []", with: "y:\n  ? *a6\n  : 1\n  ? *a6\n  : 2\nlayers: []")
        _ = limitError(text)
    }

    @Test func aliasesDeepenNesting() {
        var lines = ["reel: 1", "canvas: { size: [64, 64] }", "d0: &d0 [1]"]
        for i in 1..<70 { lines.append("d\(i): &d\(i) [*d\(i - 1)]") }
        let diagnostic = limitError((lines + ["layers: []"]).joined(separator: "\n"))
        #expect(diagnostic?.message.contains("nesting is deeper") == true)
    }

    @Test func ordinaryAnchorsStillWork() throws {
        let scene = try decoder.decode("""
        reel: 1
        canvas: { size: [64, 64] }
        layers:
          - { id: a, circle: { radius: 4 }, fill: &brand "#e94560", position: &centre [32, 32] }
          - { id: b, rect: { size: [8, 8] }, fill: *brand, position: *centre }
        """)
        #expect(scene.layers[1].fill != nil)
        #expect(scene.layers[1].position.value(at: 0) == Vec2(32, 32))
    }

    @Test func longTextIsRefusedPerLayerAndPerScene() throws {
        let long = String(repeating: "a", count: 20_001)
        let one = limitError("reel: 1\ncanvas: { size: [64, 64] }\nlayers:\n  - text: \"\(long)\"")
        #expect(one?.message.contains("at most 20000") == true)
        #expect(one?.location?.line == 4)
        // Eleven layers of 19 000 characters each are fine alone and too much together.
        let part = String(repeating: "b", count: 19_000)
        let layers = (0..<11).map { _ in "  - text: \"\(part)\"" }.joined(separator: "\n")
        let many = limitError("reel: 1\ncanvas: { size: [64, 64] }\nlayers:\n" + layers)
        #expect(many?.message.contains("200000 characters together") == true)
        // Keyframed text counts every key.
        let keyed = limitError("reel: 1\ncanvas: { size: [64, 64] }\nlayers:\n  - text: { keys: [[0s, \"x\"], [1s, \"\(long)\"]] }")
        #expect(keyed != nil)
    }

    @Test func substitutionCannotMultiplyTheFile() {
        let value = String(repeating: "x", count: 1 << 20)
        let refs = Array(repeating: "{{p}}", count: 80).joined(separator: " ")
        let layers = (0..<2).map { "  - { id: t\($0), text: \"\(refs)\", visible: false }" }.joined(separator: "\n")
        let diagnostic = limitError("reel: 1\ncanvas: { size: [64, 64] }\nparams: { p: \"\(value)\" }\nlayers:\n" + layers)
        #expect(diagnostic?.message.contains("substitutions expand the scene past") == true)
    }

    @Test func frameCountIsBounded() {
        let diagnostic = limitError("reel: 1\ncanvas: { size: [1, 1], fps: 1000, duration: 86400s }\nlayers: []")
        #expect(diagnostic?.message.contains("86400000 frames") == true)
        #expect(diagnostic?.location?.column == 46)
    }
}

@Suite("Frame cost")
struct FrameCostTests {
    func state(_ layers: [LayerState], size: Int = 100, samples: Int = 4) -> FrameState {
        FrameState(frame: 3, time: 0.1, width: size, height: size, background: .black, samples: samples, layers: layers)
    }

    func circle(_ id: String) -> LayerState { LayerState(id: id, content: .ellipse(radii: Vec2(4, 4)), transform: .identity, fill: .solid(.white)) }

    @Test func plainFramesCostTheirOwnTarget() throws {
        let cost = try FrameCost.measure(state([circle("a"), circle("b")]), width: 100, height: 100, limits: SceneLimits())
        #expect(cost.items == 2)
        #expect(cost.drawCost == 100 * 100 * 4)
        #expect(cost.peakTargetBytes == 100 * 100 * 4 * 5)
    }

    @Test func isolatedGroupsCostAFullTargetEach() throws {
        var group = LayerState(id: "g", content: .group([circle("a")]), transform: .identity, opacity: 0.5)
        group.effects = []
        let cost = try FrameCost.measure(state([group, group]), width: 100, height: 100, limits: SceneLimits())
        #expect(cost.drawCost == 3 * 100 * 100 * 4)
        // Siblings reuse one target; only nesting holds more at once.
        #expect(cost.peakTargetBytes == 2 * 100 * 100 * 4 * 5)
        let nested = LayerState(id: "outer", content: .group([group]), transform: .identity, opacity: 0.5)
        let deeper = try FrameCost.measure(state([nested]), width: 100, height: 100, limits: SceneLimits())
        #expect(deeper.peakTargetBytes == 3 * 100 * 100 * 4 * 5)
    }

    @Test func tooManyIsolatedLayersAreRefusedNamingTheLayer() {
        var limits = SceneLimits()
        limits.maxFrameDrawCost = 10 * 100 * 100 * 4
        let groups = (0..<20).map { LayerState(id: "g\($0)", content: .group([circle("c\($0)")]), transform: .identity, opacity: 0.5) }
        #expect(throws: FrameCost.Excess.self) { try FrameCost.measure(state(groups), width: 100, height: 100, limits: limits) }
        do {
            _ = try FrameCost.measure(state(groups), width: 100, height: 100, limits: limits)
        } catch {
            #expect(error.layer == "g9")
        }
    }

    @Test func copiesSharingStorageAreCountedWithoutWalkingThemAll() throws {
        // A million leaves stand behind 3 × 100 array elements; the walk stops at the limit.
        let leaves = (0..<100).map { circle("c\($0)") }
        let inner = LayerState(id: "inner", content: .group(leaves), transform: .identity)
        let middle = LayerState(id: "middle", content: .group(Array(repeating: inner, count: 100)), transform: .identity)
        let outer = LayerState(id: "outer", content: .group(Array(repeating: middle, count: 100)), transform: .identity)
        #expect(outer.nodeCount(upTo: 5000) == 5000)
        do {
            _ = try FrameCost.measure(state([outer]), width: 100, height: 100, limits: SceneLimits())
            Issue.record("a million items must be refused")
        } catch {
            #expect(error.message.contains("200000 shapes"))
        }
    }

    @Test func glyphsOfEveryCopyCount() {
        let text = LayerState(id: "t", content: .text(TextState(text: String(repeating: "a", count: 1000), fontFamily: "DejaVu Sans", fontSize: 12)),
                              transform: .identity, fill: .solid(.white))
        let copies = LayerState(id: "copies", content: .group(Array(repeating: text, count: 101)), transform: .identity)
        #expect(throws: FrameCost.Excess.self) { try FrameCost.measure(state([copies]), width: 100, height: 100, limits: SceneLimits()) }
    }

    @Test func everyExampleSceneIsWithinTheLimits() throws {
        // Decoded without plugins: the point is that ordinary scenes are far from the limits.
        let scene = try SceneDecoder().decode("""
        reel: 1
        canvas: { size: [1920, 1080], samples: 4 }
        layers:
          - { id: a, group: [{ circle: { radius: 4 } }], opacity: 0.5, blend: multiply }
        """)
        try FrameCost.checkSampleFrames(scene, plugins: .empty)
    }
}
