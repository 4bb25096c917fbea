varying vec2 neighbours[4];

void main() {
    isf_vertShaderInit();
    vec2 step = spread / RENDERSIZE;
    neighbours[0] = isf_FragNormCoord + vec2(step.x, 0.0);
    neighbours[1] = isf_FragNormCoord - vec2(step.x, 0.0);
    neighbours[2] = isf_FragNormCoord + vec2(0.0, step.y);
    neighbours[3] = isf_FragNormCoord - vec2(0.0, step.y);
}
