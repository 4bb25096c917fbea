/*{ "DESCRIPTION": "A shader with a mistake: a name it never declares.", "INPUTS": [] }*/
void main() {
    gl_FragColor = vec4(1.0) * undeclaredBrightness;
}
