/*{
    "DESCRIPTION": "Redefines built-in functions (sign, round), as desktop GLSL 1.x allows",
    "ISFVSN": "2",
    "INPUTS": []
}*/

float sign(float x) { return x < 0.5 ? 0.25 : 1.0; }
float round(float x) { return floor(x * 4.0 + 0.5) / 4.0; }

void main() {
    vec2 uv = isf_FragNormCoord;
    gl_FragColor = vec4(sign(uv.x), round(uv.y), 0.5, 1.0);
}
