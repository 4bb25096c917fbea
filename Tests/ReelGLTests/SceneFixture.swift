import ReelCore
import ReelMedia
import ReelTestSupport
import Testing
@testable import ReelGL

/// Renders frame `frame` of a small scene given as YAML layers on a 160×120 canvas.
func renderScene(_ layers: String, size: (Int, Int) = (160, 120), background: String = "#202028", samples: Int = 4,
                 frame: Int = 0) throws -> (RGBAImage, Set<String>) {
    let scene = try SceneDecoder().decode("""
    reel: 1
    canvas: { size: [\(size.0), \(size.1)], fps: 10, duration: 2s, background: "\(background)", samples: \(samples) }
    layers:
    \(layers)
    """)
    let state = Timeline.evaluate(scene, frame: frame)
    return try withGL { context in
        let renderer = try FrameRenderer(context: context, text: sharedShaper)
        defer { renderer.release() }
        return (try renderer.render(state), renderer.skippedFeatures)
    }
}

/// One shaper for all tests: fonts are opened once.
let sharedShaper = FontShaper()
