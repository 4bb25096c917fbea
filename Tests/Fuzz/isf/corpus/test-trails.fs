/*{
  "ISFVSN": "2",
  "DESCRIPTION": "Motion trails: a persistent float buffer keeps a fading copy of earlier frames",
  "INPUTS": [
    { "NAME": "inputImage", "TYPE": "image" },
    { "NAME": "decay", "TYPE": "float", "DEFAULT": 0.8, "MIN": 0.0, "MAX": 0.99 }
  ],
  "PASSES": [
    { "TARGET": "history", "PERSISTENT": true, "FLOAT": true },
    { }
  ]
}*/
void main() {
    vec4 now = IMG_THIS_PIXEL(inputImage);
    if (PASSINDEX == 0) {
        vec4 before = IMG_THIS_PIXEL(history);
        gl_FragColor = max(now, before * decay);
    } else {
        gl_FragColor = IMG_THIS_PIXEL(history);
    }
}
