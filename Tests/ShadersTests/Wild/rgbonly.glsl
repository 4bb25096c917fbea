// Writes only .rgb: the output is opaque, as on shadertoy.com.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    fragColor.rgb = vec3(fragCoord.x / iResolution.x, 0.4, 0.8);
}
