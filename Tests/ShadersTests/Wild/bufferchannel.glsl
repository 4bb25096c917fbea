#iChannel1 "buf://Buffer A"
// A multipass Shadertoy buffer, which Reel does not run: refused once, at this file's line 1.
void mainImage(out vec4 fragColor, in vec2 fragCoord) {
    fragColor = texture(iChannel1, fragCoord / iResolution.xy);
}
