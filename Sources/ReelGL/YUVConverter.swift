import CEGL
import ReelCore

/// Converts a resolved frame to BT.709 limited-range YUV 4:2:0 on the GPU, so only 1.5
/// bytes a pixel are read back and the CPU does no colour conversion.
///
/// Each plane is drawn into an RGBA8 target a quarter as wide, four samples packed in each
/// texel: RGBA8 is the one format every GLES 3 driver can read back.
final class YUVConverter {
    private let context: GLContext
    private let program: GLProgram
    private let vertexArray: GLVertexArray
    private var planes: [(texture: GLTexture, framebuffer: GLFramebuffer)] = []
    private var size = (0, 0)
    private let locations: [String: GLint]

    static let fragment = """
    #version 300 es
    precision highp float;
    uniform sampler2D uSource;   // premultiplied RGBA, row 0 at the top
    uniform int uPlane;          // 0 Y, 1 U, 2 V
    uniform ivec2 uSourceSize;
    out vec4 outColor;

    const vec3 kY = vec3(0.2126, 0.7152, 0.0722);   // BT.709

    vec3 rgb(ivec2 p) {
        // Alpha is dropped: premultiplied colour is the frame over black.
        return texelFetch(uSource, clamp(p, ivec2(0), uSourceSize - 1), 0).rgb;
    }

    float value(int x, int y) {
        if (uPlane == 0) return (16.0 + 219.0 * dot(kY, rgb(ivec2(x, y)))) / 255.0;
        // Chroma of the 2×2 block, sited at its centre (tagged so in the stream): what
        // FFmpeg's scaler assumes when it upsamples. One bilinear fetch at the block's centre
        // is the average of its four pixels.
        vec2 centre = vec2(float(2 * x + 1), float(2 * y + 1)) / vec2(uSourceSize);
        vec3 c = texture(uSource, centre).rgb;
        float luma = dot(kY, c);
        float chroma = uPlane == 1 ? (c.b - luma) / 1.8556 : (c.r - luma) / 1.5748;
        return (128.0 + 224.0 * chroma) / 255.0;
    }

    void main() {
        ivec2 p = ivec2(gl_FragCoord.xy);
        int x = p.x * 4;
        outColor = vec4(value(x, p.y), value(x + 1, p.y), value(x + 2, p.y), value(x + 3, p.y));
    }
    """

    init(context: GLContext) throws {
        self.context = context
        program = try context.makeProgram(label: "reel.yuv", vertex: PaintShaders.compositeVertex, fragment: Self.fragment)
        var found: [String: GLint] = [:]
        for name in ["uSource", "uPlane", "uSourceSize"] { found[name] = program.uniformLocation(name) }
        locations = found
        vertexArray = try context.makeVertexArray(label: "reel.yuv")
    }

    /// The three planes of `source` (a `width` × `height` texture), read into `frame`'s
    /// storage (reused from call to call).
    func convert(_ source: GLTexture, width: Int, height: Int, into frame: inout YUVPlanes) throws {
        context.assertOnThread()
        if size != (width, height) { try makeTargets(width: width, height: height) }
        program.use()
        glActiveTexture(GLenum(GL_TEXTURE0))
        glBindTexture(GLenum(GL_TEXTURE_2D), source.name)
        glUniform1i(locations["uSource"] ?? -1, 0)
        glUniform2i(locations["uSourceSize"] ?? -1, GLint(width), GLint(height))
        glDisable(GLenum(GL_BLEND))
        glBindVertexArray(vertexArray.name)
        for (index, plane) in planes.enumerated() {
            glBindFramebuffer(GLenum(GL_FRAMEBUFFER), plane.framebuffer.name)
            glViewport(0, 0, GLsizei(plane.texture.width), GLsizei(plane.texture.height))
            glUniform1i(locations["uPlane"] ?? -1, GLint(index))
            glDrawArrays(GLenum(GL_TRIANGLES), 0, 3)
        }
        glBindVertexArray(0)
        glBindTexture(GLenum(GL_TEXTURE_2D), 0)
        glPixelStorei(GLenum(GL_PACK_ALIGNMENT), 1)
        for (index, plane) in planes.enumerated() {
            let bytes = plane.texture.width * 4 * plane.texture.height
            glBindFramebuffer(GLenum(GL_READ_FRAMEBUFFER), plane.framebuffer.name)
            frame.resize(plane: index, bytes: bytes, stride: plane.texture.width * 4)
            frame.withPlane(index) { buffer in
                glReadPixels(0, 0, GLsizei(plane.texture.width), GLsizei(plane.texture.height),
                             GLenum(GL_RGBA), GLenum(GL_UNSIGNED_BYTE), buffer.baseAddress)
            }
        }
        glBindFramebuffer(GLenum(GL_FRAMEBUFFER), 0)
        frame.width = width
        frame.height = height
        try context.checkError("converting a \(width)×\(height) frame to YUV")
    }

    private func makeTargets(width: Int, height: Int) throws {
        release()
        let sizes = [((width + 3) / 4, height), ((width / 2 + 3) / 4, height / 2), ((width / 2 + 3) / 4, height / 2)]
        for (i, (w, h)) in sizes.enumerated() {
            let texture = try context.makeTexture(label: "reel.yuv.\(i)", width: max(w, 1), height: max(h, 1))
            let framebuffer = try context.makeFramebuffer(label: "reel.yuv.\(i)", attachment: texture)
            planes.append((texture, framebuffer))
        }
        size = (width, height)
    }

    func release() {
        for plane in planes {
            plane.framebuffer.release()
            plane.texture.release()
        }
        planes.removeAll()
        size = (0, 0)
    }

    func releaseAll() {
        release()
        program.release()
        vertexArray.release()
    }
}

/// The three planes of a YUV 4:2:0 frame as read back: rows may be padded to a multiple of
/// four samples, so each plane has its stride.
public struct YUVPlanes: Sendable {
    public var width = 0
    public var height = 0
    public var y: [UInt8] = []
    public var u: [UInt8] = []
    public var v: [UInt8] = []
    public var strides = (y: 0, u: 0, v: 0)

    public init() {}

    mutating func resize(plane: Int, bytes: Int, stride: Int) {
        switch plane {
        case 0:
            if y.count != bytes { y = [UInt8](repeating: 0, count: bytes) }
            strides.y = stride
        case 1:
            if u.count != bytes { u = [UInt8](repeating: 0, count: bytes) }
            strides.u = stride
        default:
            if v.count != bytes { v = [UInt8](repeating: 0, count: bytes) }
            strides.v = stride
        }
    }

    mutating func withPlane(_ plane: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        switch plane {
        case 0: y.withUnsafeMutableBufferPointer { body($0) }
        case 1: u.withUnsafeMutableBufferPointer { body($0) }
        default: v.withUnsafeMutableBufferPointer { body($0) }
        }
    }
}
