/*{
  "ISFVSN": "2",
  "DESCRIPTION": "Built-ins: FRAMEINDEX, TIME, TIMEDELTA, DATE and RENDERSIZE as bars",
  "INPUTS": []
}*/
void main() {
    vec2 uv = isf_FragNormCoord;
    float bar = floor(uv.y * 4.0);
    float value = bar == 0.0 ? fract(float(FRAMEINDEX) / 10.0)
                : bar == 1.0 ? fract(TIME)
                : bar == 2.0 ? TIMEDELTA * 10.0
                : DATE.w / 2.0;
    float lit = step(uv.x, value) * step(4.0, RENDERSIZE.x);
    gl_FragColor = vec4(vec3(lit), 1.0);
}
