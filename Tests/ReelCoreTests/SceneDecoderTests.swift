import Testing
@testable import ReelCore

@Suite("Scene decoding")
struct SceneDecoderTests {
    let decoder = SceneDecoder()

    func decodeErrors(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> SceneError? {
        do {
            _ = try decoder.decode(text, file: "test.yaml")
            Issue.record("expected the scene to be rejected", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesCanvasAndLayers() throws {
        let scene = try decoder.decode("""
        reel: 1
        canvas: { size: [640, 360], fps: 24, duration: 2s, background: "#102030", samples: 8 }
        layers:
          - id: box
            rect: { size: [100, 50], radius: 8 }
            position: [10, 20]
            fill: "#ff0000"
          - circle: { radius: 5 }
            stroke: { color: white, width: 2 }
        """)
        #expect(scene.canvas.width == 640 && scene.canvas.height == 360)
        #expect(scene.canvas.fps == 24)
        #expect(scene.canvas.frameCount == 48)
        #expect(scene.canvas.samples == 8)
        #expect(scene.canvas.background == Color(parsing: "#102030"))
        #expect(scene.layers.count == 2)
        #expect(scene.layers[0].id == "box")
        #expect(scene.layers[1].id == "layer1")
        // A stroked layer without a fill gets no default fill.
        #expect(scene.layers[1].fill == nil)
        guard case let .ellipse(radii) = scene.layers[1].content else {
            Issue.record("a circle decodes as an ellipse")
            return
        }
        #expect(radii.value(at: 0) == Vec2(5, 5))
    }

    @Test func jsonAndYAMLDecodeAlike() throws {
        let yaml = try decoder.decode("""
        reel: 1
        canvas: { size: [64, 32], duration: 30f }
        layers: [{ rect: { size: [4, 4] }, position: { keys: [[0s, [0, 0]], [1s, [10, 0], outCubic]] } }]
        """)
        let json = try decoder.decode("""
        {"reel": 1, "canvas": {"size": [64, 32], "duration": "30f"},
         "layers": [{"rect": {"size": [4, 4]}, "position": {"keys": [["0s", [0, 0]], ["1s", [10, 0], "outCubic"]]}}]}
        """)
        #expect(yaml.canvas == json.canvas)
        #expect(yaml.layers[0].position.value(at: 0.5) == json.layers[0].position.value(at: 0.5))
    }

    @Test func unknownKeyIsLocatedAndCorrected() throws {
        let error = try #require(decodeErrors("""
        reel: 1
        canvas: { size: [64, 64] }
        layers:
          - rect: { size: [4, 4] }
            positon: [1, 2]
        """))
        let d = try #require(error.diagnostics.first)
        #expect(d.code == .unknownKey)
        #expect(d.location?.line == 5)
        #expect(d.location?.column == 5)
        #expect(d.path == "layers[0]")
        #expect(d.suggestion == "position")
        #expect(d.description.hasPrefix("test.yaml:5:5: layers[0]: unknown key 'positon'"))
    }

    @Test func misspeltKindSuggestsTheKind() throws {
        let error = try #require(decodeErrors("""
        reel: 1
        canvas: { size: [64, 64] }
        layers:
          - circel: { radius: 4 }
        """))
        #expect(error.codes == [.unknownKey])
        #expect(error.diagnostics[0].suggestion == "circle")
    }

    @Test func reportsEveryProblemAtOnce() throws {
        let error = try #require(decodeErrors("""
        reel: 1
        canvas: { size: [64, 64], fps: fast }
        layers:
          - rect: { size: [4, 4] }
            fill: "#zzzzzz"
          - circle: { radius: -1 }
            opacity: 2
        """))
        #expect(error.codes == [.typeMismatch, .typeMismatch, .outOfRange, .outOfRange])
        #expect(error.diagnostics.map(\.path) == ["canvas.fps", "layers[0].fill", "layers[1].circle.radius", "layers[1].opacity"])
    }

    @Test func missingRequiredKeys() throws {
        let error = try #require(decodeErrors("reel: 1\nlayers: []\n"))
        #expect(error.codes == [.missingKey])
        #expect(error.diagnostics[0].message.contains("'canvas'"))
    }

    @Test func rejectsOtherFormatVersions() throws {
        let error = try #require(decodeErrors("reel: 2\ncanvas: { size: [8, 8] }\n"))
        #expect(error.codes == [.unsupportedVersion])
    }

    @Test func layerNeedsExactlyOneKind() throws {
        let none = try #require(decodeErrors("reel: 1\ncanvas: { size: [8, 8] }\nlayers: [{ fill: red }]\n"))
        #expect(none.codes == [.layerKind])
        let two = try #require(decodeErrors("reel: 1\ncanvas: { size: [8, 8] }\nlayers: [{ rect: { size: 2 }, circle: { radius: 1 } }]\n"))
        #expect(two.codes == [.layerKind])
    }

    @Test func duplicateLayerIDs() throws {
        let error = try #require(decodeErrors("""
        reel: 1
        canvas: { size: [8, 8] }
        layers: [{ id: a, rect: { size: 2 } }, { id: a, rect: { size: 2 } }]
        """))
        #expect(error.codes == [.duplicateID])
    }

    @Test func duplicateMappingKeys() throws {
        let error = try #require(decodeErrors("reel: 1\ncanvas: { size: [8, 8] }\ncanvas: { size: [8, 8] }\n"))
        #expect(error.codes == [.duplicateKey])
    }

    @Test func keyframesMustBeInOrder() throws {
        let error = try #require(decodeErrors("""
        reel: 1
        canvas: { size: [8, 8] }
        layers: [{ rect: { size: 2 }, rotation: { keys: [[1s, 0], [0.5s, 90]] } }]
        """))
        #expect(error.codes == [.keyframes])
        #expect(error.diagnostics[0].path == "layers[0].rotation.keys[1][0]")
    }

    @Test func unknownEasingIsCorrected() throws {
        let error = try #require(decodeErrors("""
        reel: 1
        canvas: { size: [8, 8] }
        layers: [{ rect: { size: 2 }, rotation: { keys: [[0s, 0], [1s, 90, inOutSin]] } }]
        """))
        #expect(error.codes == [.unknownEasing])
        #expect(error.diagnostics[0].suggestion == "inOutSine")
    }

    @Test func syntaxErrorsHaveLocations() throws {
        let error = try #require(decodeErrors("reel: 1\ncanvas: { size: [8, 8]\n"))
        #expect(error.codes == [.syntax])
        #expect((error.diagnostics[0].location?.line ?? 0) >= 2)
    }

    @Test func limitsGuardAgainstHostileFiles() throws {
        let huge = try #require(decodeErrors("reel: 1\ncanvas: { size: [100000, 100000] }\n"))
        #expect(huge.codes == [.limitExceeded])
        var limits = SceneLimits()
        limits.maxDepth = 4
        #expect(throws: SceneError.self) {
            try SceneDecoder(limits: limits).decode("reel: 1\ncanvas: { size: [8, 8] }\nlayers: [[[[[[1]]]]]]\n")
        }
        let long = try #require(decodeErrors("reel: 1\ncanvas: { size: [8, 8], duration: 100000s }\n"))
        #expect(long.codes == [.limitExceeded])
    }

    @Test func quotedNumbersAreText() throws {
        let error = try #require(decodeErrors("reel: 1\ncanvas: { size: [8, 8], fps: \"30\" }\n"))
        #expect(error.codes == [.typeMismatch])
        #expect(error.diagnostics[0].message.contains("found \"30\""))
    }
}
