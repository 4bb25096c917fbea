// A port with its own main() writing gl_FragColor, and its own uniform declarations.
uniform vec3 iResolution;
uniform float iTime;

void main() {
    vec2 uv = gl_FragCoord.xy / iResolution.xy;
    gl_FragColor = vec4(uv, 0.5 + 0.5 * sin(iTime), 1.0);
}
