/*{
    "DESCRIPTION": "Persistent buffers of two sizes: a 1×1 frame counter and a full-size picture",
    "ISFVSN": "2",
    "INPUTS": [ { "NAME": "inputImage", "TYPE": "image" } ],
    "PASSES": [
        { "TARGET": "counter", "PERSISTENT": true, "FLOAT": true, "WIDTH": "1", "HEIGHT": "1" },
        { "TARGET": "held", "PERSISTENT": true },
        {}
    ]
}*/

void main() {
    float count = IMG_PIXEL(counter, vec2(0.5)).r;
    if (PASSINDEX == 0) {
        gl_FragColor = vec4(count + 1.0, 0.0, 0.0, 1.0);
    } else if (PASSINDEX == 1) {
        // Keep the first frame's picture: every later frame reads the buffer back.
        gl_FragColor = count < 1.5 ? IMG_THIS_PIXEL(inputImage) : IMG_THIS_PIXEL(held);
    } else {
        gl_FragColor = IMG_THIS_PIXEL(held);
    }
}
