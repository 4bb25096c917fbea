// iGlobalTime: Shadertoy's old name for iTime, still in many files.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    fragColor = vec4(0.5 + 0.5 * sin(iGlobalTime * 3.0 + uv.x * 6.0), uv.y, 0.3, 1.0);
}
