/*{
  "ISFVSN": "2",
  "DESCRIPTION": "Light trails: a persistent buffer keeps a fading, slightly drifting copy of earlier frames",
  "CATEGORIES": ["Stylize"],
  "INPUTS": [
    { "NAME": "inputImage", "TYPE": "image" },
    { "NAME": "decay", "TYPE": "float", "DEFAULT": 0.9, "MIN": 0.0, "MAX": 0.99 },
    { "NAME": "rise", "TYPE": "float", "DEFAULT": 1.0, "MIN": -8.0, "MAX": 8.0 }
  ],
  "PASSES": [
    { "TARGET": "history", "PERSISTENT": true, "FLOAT": true },
    { }
  ],
  "REEL_WARMUP": 60
}*/
void main() {
    vec4 now = IMG_THIS_PIXEL(inputImage);
    if (PASSINDEX == 0) {
        // The trail drifts upwards by `rise` pixels a frame while it fades.
        vec4 before = IMG_PIXEL(history, gl_FragCoord.xy - vec2(0.0, rise));
        gl_FragColor = max(now, before * decay);
    } else {
        gl_FragColor = IMG_THIS_PIXEL(history);
    }
}
