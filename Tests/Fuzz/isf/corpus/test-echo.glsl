// Shadertoy feedback: iChannel1 is this shader's last frame, iChannel0 the picture under it.
// reel: warmup 12
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    vec4 now = texture(iChannel0, uv);
    vec4 before = texture(iChannel1, uv + vec2(0.004, 0.0));
    fragColor = max(now, before * 0.85);
}
