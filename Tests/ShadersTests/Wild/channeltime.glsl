// iChannelTime and iSampleRate: a visualiser's clock and rate, never zero in a render.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    vec2 uv = fragCoord / iResolution.xy;
    float t = iChannelTime[0];
    float rate = iSampleRate / 44100.0;
    fragColor = vec4(fract(t), rate * uv.x, step(0.5, fract(uv.y * 4.0 + t)), 1.0);
}
