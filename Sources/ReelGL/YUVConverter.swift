import CEGL
import ReelCore

/// Converts a resolved frame to BT.709 limited-range YUV 4:2:0 on the GPU, so only 1.5
/// bytes a pixel are read back and the CPU does no colour conversion.
///
/// One pass, reading every source pixel once: each fragment takes a 4×2 block and writes
/// three RGBA8 outputs (RGBA8 is the one format every GLES 3 driver reads back) — the four
/// luma samples of the block's top row, those of its bottom row, and the block's two chroma
/// pairs as U V U V. Reading the two luma targets back with a doubled row length interleaves
/// their rows into one plane, and the chroma target is already NV12's interleaved plane.
/// On llvmpipe this costs a quarter of a pass per plane with branches on the plane.
final class YUVConverter {
    private let context: GLContext
    private let program: GLProgram
    private let vertexArray: GLVertexArray
    private var targets: (textures: [GLTexture], framebuffer: GLFramebuffer)?
    private var size = (0, 0)
    private let locations: [String: GLint]

    static let fragment = """
    #version 300 es
    precision highp float;
    uniform sampler2D uSource;   // premultiplied RGBA, row 0 at the top
    uniform ivec2 uSourceSize;
    layout(location = 0) out vec4 outLumaTop;
    layout(location = 1) out vec4 outLumaBottom;
    layout(location = 2) out vec4 outChroma;   // U V U V

    const vec3 kY = vec3(0.2126, 0.7152, 0.0722);   // BT.709

    vec3 rgb(ivec2 p) {
        // Alpha is dropped: premultiplied colour is the frame over black.
        return texelFetch(uSource, min(p, uSourceSize - 1), 0).rgb;
    }

    float luma(vec3 c) { return (16.0 + 219.0 * dot(kY, c)) / 255.0; }

    // Chroma of a 2×2 block from its mean colour: sited at the block's centre (tagged so in
    // the stream), which is what FFmpeg's scaler assumes when it upsamples.
    vec2 chroma(vec3 c) {
        float y = dot(kY, c);
        return (128.0 + 224.0 * vec2((c.b - y) / 1.8556, (c.r - y) / 1.5748)) / 255.0;
    }

    void main() {
        ivec2 p = ivec2(gl_FragCoord.xy) * ivec2(4, 2);
        vec3 a0 = rgb(p), a1 = rgb(p + ivec2(1, 0)), a2 = rgb(p + ivec2(2, 0)), a3 = rgb(p + ivec2(3, 0));
        vec3 b0 = rgb(p + ivec2(0, 1)), b1 = rgb(p + ivec2(1, 1)), b2 = rgb(p + ivec2(2, 1)), b3 = rgb(p + ivec2(3, 1));
        outLumaTop = vec4(luma(a0), luma(a1), luma(a2), luma(a3));
        outLumaBottom = vec4(luma(b0), luma(b1), luma(b2), luma(b3));
        outChroma = vec4(chroma(0.25 * (a0 + a1 + b0 + b1)), chroma(0.25 * (a2 + a3 + b2 + b3)));
    }
    """

    init(context: GLContext) throws {
        self.context = context
        program = try context.makeProgram(label: "reel.yuv", vertex: PaintShaders.compositeVertex, fragment: Self.fragment)
        var found: [String: GLint] = [:]
        for name in ["uSource", "uSourceSize"] { found[name] = program.uniformLocation(name) }
        locations = found
        vertexArray = try context.makeVertexArray(label: "reel.yuv")
    }

    /// Converts `source` (a `width` × `height` texture) and reads the planes into `frame`'s
    /// storage (reused from call to call).
    func convert(_ source: GLTexture, width: Int, height: Int, into frame: inout YUVPlanes) throws {
        let (columns, rows) = try draw(source, width: width, height: height)
        let stride = columns * 4
        frame.prepare(width: width, height: height, stride: stride)
        frame.y.withUnsafeMutableBytes { luma in
            frame.uv.withUnsafeMutableBytes { chroma in
                guard let y = luma.baseAddress, let uv = chroma.baseAddress else { return }
                read(columns: columns, rows: rows, lumaTop: y, lumaBottom: y + stride, chroma: uv)
            }
        }
        try context.checkError("converting a \(width)×\(height) frame to YUV")
    }

    /// Converts `source` and queues the planes' read into the pixel-pack buffer bound now:
    /// luma at `luma` bytes, chroma at `chroma`, rows `stride` bytes apart (`ReadbackRing`).
    func convert(_ source: GLTexture, width: Int, height: Int, intoPackBufferLuma luma: Int, chroma: Int) throws {
        let (columns, rows) = try draw(source, width: width, height: height)
        // With a pack buffer bound, the pointers GL takes are byte offsets into it.
        func offset(_ bytes: Int) -> UnsafeMutableRawPointer? { UnsafeMutableRawPointer(mutating: reel_gl_offset(bytes)) }
        read(columns: columns, rows: rows, lumaTop: offset(luma), lumaBottom: offset(luma + columns * 4), chroma: offset(chroma))
        try context.checkError("converting a \(width)×\(height) frame to YUV")
    }

    /// Draws the conversion into the three targets; returns their size in texels.
    private func draw(_ source: GLTexture, width: Int, height: Int) throws -> (columns: Int, rows: Int) {
        context.assertOnThread()
        precondition(width % 2 == 0 && height % 2 == 0, "4:2:0 needs an even width and height")
        if size != (width, height) { try makeTargets(width: width, height: height) }
        guard let targets else { throw ReelError(.glError, "the YUV targets were not made") }
        program.use()
        glActiveTexture(GLenum(GL_TEXTURE0))
        glBindTexture(GLenum(GL_TEXTURE_2D), source.name)
        glUniform1i(locations["uSource"] ?? -1, 0)
        glUniform2i(locations["uSourceSize"] ?? -1, GLint(width), GLint(height))
        glDisable(GLenum(GL_BLEND))
        glBindVertexArray(vertexArray.name)
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), targets.framebuffer.name)
        glViewport(0, 0, GLsizei(targets.framebuffer.width), GLsizei(targets.framebuffer.height))
        glDrawArrays(GLenum(GL_TRIANGLES), 0, 3)
        glBindVertexArray(0)
        glBindTexture(GLenum(GL_TEXTURE_2D), 0)
        return (targets.framebuffer.width, targets.framebuffer.height)
    }

    /// Reads the targets: client memory, or byte offsets into the bound pixel-pack buffer.
    /// Luma's top rows land on even lines (from `lumaTop`) and its bottom rows on odd ones
    /// (from `lumaBottom`, a row later), by reading each with a doubled row length.
    private func read(columns: Int, rows: Int, lumaTop: UnsafeMutableRawPointer?, lumaBottom: UnsafeMutableRawPointer?,
                      chroma: UnsafeMutableRawPointer?) {
        guard let targets else { return }
        glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), targets.framebuffer.name)
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        glPixelStorei(GLenum(GL_PACK_ROW_LENGTH), GLint(columns * 2))
        glReadBuffer(GLenum(GL_COLOR_ATTACHMENT0))
        glReadPixels(0, 0, GLsizei(columns), GLsizei(rows), GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), lumaTop)
        glReadBuffer(GLenum(GL_COLOR_ATTACHMENT1))
        glReadPixels(0, 0, GLsizei(columns), GLsizei(rows), GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), lumaBottom)
        glPixelStorei(GLenum(GL_PACK_ROW_LENGTH), 0)
        glReadBuffer(GLenum(GL_COLOR_ATTACHMENT2))
        glReadPixels(0, 0, GLsizei(columns), GLsizei(rows), GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), chroma)
        glReadBuffer(GLenum(GL_COLOR_ATTACHMENT0))
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
    }

    private func makeTargets(width: Int, height: Int) throws {
        release()
        let columns = max((width + 3) / 4, 1), rows = max(height / 2, 1)
        let textures = try (0..<3).map { try context.makeTexture(label: "reel.yuv.\($0)", width: columns, height: rows) }
        let framebuffer = try context.makeFramebuffer(label: "reel.yuv", attachment: textures[0], more: Array(textures[1...]))
        targets = (textures, framebuffer)
        size = (width, height)
    }

    func release() {
        if let targets {
            targets.framebuffer.release()
            for texture in targets.textures { texture.release() }
        }
        targets = nil
        size = (0, 0)
    }

    func releaseAll() {
        release()
        program.release()
        vertexArray.release()
    }
}

/// A YUV 4:2:0 frame as read back, semi-planar (NV12): a luma plane and one plane of
/// interleaved U V pairs at half the width and height. Rows may be padded to a multiple of
/// four samples, so both planes share `stride`, in bytes.
public struct YUVPlanes: Sendable {
    public var width = 0
    public var height = 0
    /// Luma, `stride` × `height` bytes.
    public var y: [UInt8] = []
    /// Chroma, U V U V…, `stride` × `height / 2` bytes.
    public var uv: [UInt8] = []
    public var stride = 0

    public init() {}

    mutating func prepare(width: Int, height: Int, stride: Int) {
        (self.width, self.height, self.stride) = (width, height, stride)
        // Every byte is overwritten by the readback, so fresh storage is left unfilled.
        if y.count != stride * height { y = Self.storage(stride * height) }
        if uv.count != stride * (height / 2) { uv = Self.storage(stride * (height / 2)) }
    }

    private static func storage(_ count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
}
