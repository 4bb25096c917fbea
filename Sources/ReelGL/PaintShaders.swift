/// GLSL ES 3.00 for the path renderer (stencil and cover with a paint) and the compositor.
enum PaintShaders {
    /// Local coordinates through the layer's transform to clip space.
    static let vertex = """
    #version 300 es
    precision highp float;
    layout(location = 0) in vec2 aLocal;
    uniform vec4 uLinear;      // local→canvas a, b, c, d
    uniform vec2 uTranslate;   // local→canvas tx, ty
    uniform vec2 uCanvas;
    out vec2 vLocal;
    void main() {
        vec2 canvas = mat2(uLinear.xy, uLinear.zw) * aLocal + uTranslate;
        gl_Position = vec4(canvas / uCanvas * 2.0 - 1.0, 0.0, 1.0);
        vLocal = aLocal;
    }
    """

    static let maxStops = 32

    /// Solid colours and linear or radial gradients, evaluated per pixel in the layer's own
    /// coordinates; stops are premultiplied, so translucent stops blend without dark bands.
    static let paintFragment = """
    #version 300 es
    precision highp float;
    in vec2 vLocal;
    uniform int uKind;                 // 0 solid, 1 linear, 2 radial, 3 image
    uniform sampler2D uImage;          // premultiplied, mipmapped
    uniform vec4 uImageRect;           // origin.xy, size.xy in local units
    uniform vec4 uRegion;              // image: the drawn part, lo.xy, hi.xy in local units
    uniform float uCornerRadius;       // image: rounds the drawn part's corners; 0 leaves them square
    uniform vec4 uColor;               // solid, premultiplied
    uniform vec4 uGeometry;            // linear: from.xy, to.xy; radial: center.xy, radius
    uniform int uStopCount;
    uniform float uOffsets[\(maxStops)];
    uniform vec4 uColors[\(maxStops)];  // premultiplied
    uniform float uOpacity;
    out vec4 outColor;

    vec4 gradient(float t) {
        t = clamp(t, 0.0, 1.0);
        if (t <= uOffsets[0]) return uColors[0];
        for (int i = 1; i < \(maxStops); i++) {
            if (i >= uStopCount) break;
            if (t <= uOffsets[i]) {
                float span = max(uOffsets[i] - uOffsets[i - 1], 1e-6);
                return mix(uColors[i - 1], uColors[i], (t - uOffsets[i - 1]) / span);
            }
        }
        return uColors[uStopCount - 1];
    }

    void main() {
        vec4 color;
        if (uKind == 0) {
            color = uColor;
        } else if (uKind == 1) {
            vec2 axis = uGeometry.zw - uGeometry.xy;
            color = gradient(dot(vLocal - uGeometry.xy, axis) / max(dot(axis, axis), 1e-12));
        } else if (uKind == 2) {
            color = gradient(length(vLocal - uGeometry.xy) / max(uGeometry.z, 1e-6));
        } else {
            color = texture(uImage, (vLocal - uImageRect.xy) / uImageRect.zw);
            if (uCornerRadius > 0.0) {
                // Coverage of a rounded box, antialiased over one pixel; square corners skip
                // it, so pictures without a radius draw exactly as before.
                vec2 halfSize = (uRegion.zw - uRegion.xy) * 0.5;
                float r = min(uCornerRadius, min(halfSize.x, halfSize.y));
                vec2 q = abs(vLocal - (uRegion.xy + uRegion.zw) * 0.5) - halfSize + r;
                float d = length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
                color *= clamp(0.5 - d / max(fwidth(d), 1e-4), 0.0, 1.0);
            }
        }
        outColor = color * uOpacity;
    }
    """

    /// A full-screen triangle.
    static let compositeVertex = """
    #version 300 es
    precision highp float;
    void main() {
        vec2 p = vec2(float((gl_VertexID & 1) << 2) - 1.0, float((gl_VertexID & 2) << 1) - 1.0);
        gl_Position = vec4(p, 0.0, 1.0);
    }
    """

    /// Composites an isolated layer onto a copy of what is under it, per the W3C
    /// compositing spec's separable blend modes, with opacity and an optional mask.
    static let compositeFragment = """
    #version 300 es
    precision highp float;
    uniform sampler2D uSource;
    uniform sampler2D uBackdrop;
    uniform sampler2D uMask;
    uniform vec2 uSize;
    uniform float uOpacity;
    uniform int uMode;        // 0 normal 1 add 2 multiply 3 screen 4 overlay 5 darken 6 lighten
    uniform int uMaskMode;    // 0 none 1 alpha 2 luminance
    uniform bool uInvert;
    out vec4 outColor;

    vec3 blend(vec3 cs, vec3 cb) {
        if (uMode == 2) return cs * cb;
        if (uMode == 3) return cs + cb - cs * cb;
        if (uMode == 4) {
            vec3 low = 2.0 * cs * cb;
            vec3 high = 1.0 - 2.0 * (1.0 - cs) * (1.0 - cb);
            return mix(low, high, step(0.5, cb));
        }
        if (uMode == 5) return min(cs, cb);
        if (uMode == 6) return max(cs, cb);
        return cs;
    }

    void main() {
        vec2 uv = gl_FragCoord.xy / uSize;
        vec4 src = texture(uSource, uv);
        vec4 dst = texture(uBackdrop, uv);
        float coverage = uOpacity;
        if (uMaskMode != 0) {
            vec4 m = texture(uMask, uv);
            float value = uMaskMode == 1 ? m.a : dot(m.rgb, vec3(0.2126, 0.7152, 0.0722));
            coverage *= uInvert ? 1.0 - value : value;
        }
        src *= coverage;
        if (uMode == 1) {
            outColor = min(src + dst, vec4(1.0));
            return;
        }
        vec3 cs = src.a > 0.0 ? src.rgb / src.a : vec3(0.0);
        vec3 cb = dst.a > 0.0 ? dst.rgb / dst.a : vec3(0.0);
        vec3 mixed = (1.0 - dst.a) * src.rgb + (1.0 - src.a) * dst.rgb + src.a * dst.a * blend(cs, cb);
        outColor = vec4(mixed, src.a + dst.a * (1.0 - src.a));
    }
    """
}
