// Shadertoy-style: concentric rings that breathe, drawn as a layer.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = (fragCoord - 0.5 * iResolution.xy) / iResolution.y;
    float r = length(uv);
    float rings = 0.5 + 0.5 * sin(r * 40.0 - iTime * 4.0);
    vec3 col = mix(vec3(1.0, 0.35, 0.45), vec3(1.0, 0.85, 0.4), rings) * smoothstep(0.5, 0.1, r);
    fragColor = vec4(col, 1.0);
}
