#iChannel0 "file://../ISF/card.png"
#iChannel0::WrapMode "Repeat"
// The VS Code extension's channel lines; a picture repeats beyond its edges.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    fragColor = texture(iChannel0, uv * 2.0 - 0.25);
}
