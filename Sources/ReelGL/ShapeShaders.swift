/// GLSL ES 3.00 sources for `ShapeRenderer`: one instanced quad per shape, coverage from a
/// signed distance in the fragment shader.
enum ShapeShaders {
    static let vertex = """
    #version 300 es
    precision highp float;
    layout(location = 0) in vec2 aCorner;          // unit quad corner, -1…1
    layout(location = 1) in vec4 aLinear;          // local→canvas matrix a, b, c, d
    layout(location = 2) in vec4 aTranslateHalf;   // tx, ty, half width, half height
    layout(location = 3) in vec4 aParams;          // kind, corner radius, stroke width, AA margin
    layout(location = 4) in vec4 aFill;            // premultiplied
    layout(location = 5) in vec4 aStroke;          // premultiplied
    uniform vec2 uCanvas;                          // canvas size in pixels
    out vec2 vLocal;
    flat out vec4 vShape;                          // half width, half height, kind, radius
    flat out float vStrokeWidth;
    flat out vec4 vFill;
    flat out vec4 vStroke;
    flat out float vPixel;                         // local units per pixel; 0: use derivatives

    void main() {
        // Grow the quad by half the stroke and an antialiasing margin so no edge is clipped.
        vec2 half_ = aTranslateHalf.zw;
        vec2 local = aCorner * (half_ + vec2(aParams.z * 0.5 + aParams.w));
        vec2 canvas = mat2(aLinear.xy, aLinear.zw) * local + aTranslateHalf.xy;
        // Canvas y points down and lands in framebuffer row y: see FrameTarget.
        gl_Position = vec4(canvas / uCanvas * 2.0 - 1.0, 0.0, 1.0);
        vLocal = local;
        vShape = vec4(half_, aParams.x, aParams.y);
        vStrokeWidth = aParams.z;
        vFill = aFill;
        vStroke = aStroke;
        // For rotations and uniform scales one pixel is the same length in every direction,
        // so it is known here and the fragment shader needs no derivatives.
        vec2 c0 = aLinear.xy, c1 = aLinear.zw;
        float l0 = length(c0), l1 = length(c1);
        bool conformal = abs(l0 - l1) < 1e-4 * max(l0, l1) && abs(dot(c0, c1)) < 1e-4 * l0 * l1;
        vPixel = conformal ? 1.0 / max(l0, 1e-9) : 0.0;
    }
    """

    /// The shader variants: the general one handles every case, the special ones only a
    /// filled circle or rect under a rotation and uniform scale. A CPU rasterizer runs every
    /// branch of a shader for every pixel, so the common cases get shaders without branches.
    enum Variant: CaseIterable {
        case general, circleFill, rectFill
    }

    static func fragment(_ variant: Variant) -> String {
        switch variant {
        case .general: return general
        case .circleFill: return special("""
            float d = length(vLocal) - vShape.x;
            """)
        case .rectFill: return special("""
            float d = roundedBox(vLocal, vShape.xy, vShape.w);
            """)
        }
    }

    private static func special(_ distance: String) -> String {
        """
        #version 300 es
        precision highp float;
        in vec2 vLocal;
        flat in vec4 vShape;
        flat in vec4 vFill;
        flat in float vPixel;
        out vec4 outColor;
        \(roundedBoxFunction)
        void main() {
            \(distance)
            outColor = vFill * clamp(0.5 - d / vPixel, 0.0, 1.0);
        }
        """
    }

    static let roundedBoxFunction = """
        float roundedBox(vec2 p, vec2 halfSize, float radius) {
            float r = min(radius, min(halfSize.x, halfSize.y));
            vec2 q = abs(p) - halfSize + r;
            return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
        }
        """

    static let general = """
    #version 300 es
    precision highp float;
    in vec2 vLocal;
    flat in vec4 vShape;
    flat in float vStrokeWidth;
    flat in vec4 vFill;
    flat in vec4 vStroke;
    flat in float vPixel;
    out vec4 outColor;

    float roundedBox(vec2 p, vec2 halfSize, float radius) {
        float r = min(radius, min(halfSize.x, halfSize.y));
        vec2 q = abs(p) - halfSize + r;
        return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
    }

    // Distance to an ellipse, to first order (value over gradient length); exact on circles
    // and accurate near the edge, which is all coverage needs. Deep inside, a bound.
    float ellipse(vec2 p, vec2 radii) {
        vec2 r = max(radii, vec2(1e-6));
        float k0 = length(p / r);
        if (k0 < 0.5) return (k0 - 1.0) * min(r.x, r.y);
        float k1 = length(p / (r * r));
        return k0 * (k0 - 1.0) / k1;
    }

    void main() {
        float d;
        if (vShape.z < 0.5) d = roundedBox(vLocal, vShape.xy, vShape.w);
        else if (vShape.x == vShape.y) d = length(vLocal) - vShape.x;
        else d = ellipse(vLocal, vShape.xy);
        // The size of one pixel in local units, so edges stay one pixel soft at any scale.
        float px = vPixel > 0.0 ? vPixel : max(length(vec2(dFdx(d), dFdy(d))), 1e-6);
        float fillCoverage = clamp(0.5 - d / px, 0.0, 1.0);
        vec4 color = vFill * fillCoverage;
        if (vStrokeWidth > 0.0) {
            // Strokes thinner than a pixel are drawn one pixel wide and fainter, never lost.
            float width = max(vStrokeWidth, px);
            float strokeCoverage = clamp(0.5 - (abs(d) - width * 0.5) / px, 0.0, 1.0) * (vStrokeWidth / width);
            vec4 stroke = vStroke * strokeCoverage;
            color = stroke + color * (1.0 - stroke.a);
        }
        outColor = color;
    }
    """
}
