/*{
    "DESCRIPTION": "An ISF v1 file: PERSISTENT_BUFFERS apart from the passes, vv_FragNormCoord",
    "INPUTS": [ { "NAME": "inputImage", "TYPE": "image" } ],
    "PERSISTENT_BUFFERS": [ "accumulated" ],
    "PASSES": [ { "TARGET": "accumulated" }, {} ]
}*/

void main() {
    if (PASSINDEX == 0) {
        vec4 previous = IMG_NORM_PIXEL(accumulated, vv_FragNormCoord);
        vec4 now = IMG_THIS_PIXEL(inputImage);
        gl_FragColor = max(now, previous * 0.85);
    } else {
        gl_FragColor = IMG_THIS_PIXEL(accumulated);
    }
}
