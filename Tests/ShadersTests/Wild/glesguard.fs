/*{
    "DESCRIPTION": "A GL_ES guard: desktop hosts never define GL_ES, so the guarded code stays off",
    "ISFVSN": "2",
    "INPUTS": []
}*/

#ifdef GL_ES
precision mediump float;
#define GUARD_COLOR vec4(1.0, 0.0, 0.0, 1.0)
#else
#define GUARD_COLOR vec4(0.0, 0.6, 0.2, 1.0)
#endif

void main() {
    gl_FragColor = GUARD_COLOR * vec4(vec3(0.5 + 0.5 * isf_FragNormCoord.x), 1.0);
}
