// A Shadertoy-style plasma: mainImage, iTime, iResolution.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    float v = sin(uv.x * 10.0 + iTime) + sin((uv.y * 10.0 + iTime) * 0.5)
            + sin((uv.x * 10.0 + uv.y * 10.0 + iTime) * 0.5);
    vec3 col = 0.5 + 0.5 * cos(v + vec3(0.0, 2.0, 4.0));
    // The bottom-left corner is marked, to check orientation.
    if (fragCoord.x < 10.0 && fragCoord.y < 10.0) col = vec3(1.0);
    fragColor = vec4(col, 1.0);
}
