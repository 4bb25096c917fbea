import CEGL
import ReelTestSupport
import Testing
import ReelCore
@testable import ReelGL

@Suite("Framebuffers and readback")
struct PixelTests {
    @Test func readbackRowZeroIsTheTopOfThePicture() throws {
        let image = try withGL { context in
            let target = try FrameTarget(context: context, width: 8, height: 4, samples: 1)
            defer { target.release() }
            try target.withPass(clear: Color(red: 1, green: 0, blue: 0)) {
                // Paint framebuffer row 0 green: by Reel's convention it is the top row.
                glEnable(GLenum(GL_SCISSOR_TEST))
                glScissor(0, 0, 8, 1)
                glClearColor(0, 1, 0, 1)
                glClear(GLbitfield(GL_COLOR_BUFFER_BIT))
                glDisable(GLenum(GL_SCISSOR_TEST))
            }
            return try target.readPixels()
        }
        #expect(image.width == 8 && image.height == 4)
        #expect(image[3, 0] == (0, 255, 0, 255))
        #expect(image[3, 3] == (255, 0, 0, 255))
    }

    @Test func shapesLandWhereTheSceneSays() throws {
        // A 10×10 square whose centre is (5, 5): top-left of a y-down canvas.
        let item = LayerState(id: "sq", content: .rect(halfSize: Vec2(5, 5), cornerRadius: 0),
                              transform: .translation(Vec2(5, 5)), fill: .solid(Color(red: 0, green: 0, blue: 1)))
        let state = FrameState(frame: 0, time: 0, width: 40, height: 30, background: .white, samples: 4, layers: [item])
        let image = try withGL { context in
            let renderer = try FrameRenderer(context: context)
            defer { renderer.release() }
            return try renderer.render(state)
        }
        #expect(image[4, 4] == (0, 0, 255, 255), "top-left is the square")
        #expect(image[4, 25] == (255, 255, 255, 255), "bottom-left is background")
        #expect(image[30, 4] == (255, 255, 255, 255), "top-right is background")
    }

    @Test func multisampledTargetsResolve() throws {
        let (samples, image) = try withGL { context in
            let target = try FrameTarget(context: context, width: 16, height: 16, samples: 4)
            defer { target.release() }
            try target.withPass(clear: Color(red: 0, green: 0.5, blue: 1, alpha: 1)) {}
            return (target.samples, try target.readPixels())
        }
        #expect(samples == 4)
        #expect(image[8, 8] == (0, 128, 255, 255))
    }

    @Test func edgesAreAntialiased() throws {
        // A circle's rim must hold pixels between inside and outside, not a hard step.
        let item = LayerState(id: "c", content: .ellipse(radii: Vec2(20, 20)), transform: .translation(Vec2(32, 32)),
                              fill: .solid(.white))
        let state = FrameState(frame: 0, time: 0, width: 64, height: 64, background: .black, samples: 4, layers: [item])
        let image = try withGL { context in
            let renderer = try FrameRenderer(context: context)
            defer { renderer.release() }
            return try renderer.render(state)
        }
        let row = (0..<64).map { Int(image[$0, 32].0) }
        #expect(row[32] == 255 && row[2] == 0)
        let partial = (0..<64).map { Int(image[$0, 45].0) }.filter { $0 > 10 && $0 < 245 }
        #expect(partial.count >= 2, "expected soft edge pixels, found \(partial)")
    }

    @Test func translucentFillsBlendPremultiplied() throws {
        let item = LayerState(id: "r", content: .rect(halfSize: Vec2(50, 50), cornerRadius: 0), transform: .translation(Vec2(8, 8)),
                              fill: .solid(Color(red: 1, green: 0, blue: 0, alpha: 0.5)))
        let state = FrameState(frame: 0, time: 0, width: 16, height: 16, background: Color(red: 0, green: 0, blue: 1),
                               samples: 1, layers: [item])
        let image = try withGL { context in
            let renderer = try FrameRenderer(context: context)
            defer { renderer.release() }
            return try renderer.render(state)
        }
        let (r, g, b, a) = image[8, 8]
        #expect(abs(Int(r) - 128) <= 1 && g == 0 && abs(Int(b) - 127) <= 1 && a == 255)
    }
}
