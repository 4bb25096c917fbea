/*{
  "ISFVSN": "2",
  "DESCRIPTION": "A 5×5 box blur through IMG_PIXEL and IMG_SIZE",
  "INPUTS": [
    { "NAME": "inputImage", "TYPE": "image" },
    { "NAME": "spread", "TYPE": "float", "DEFAULT": 2.0, "MIN": 0.0, "MAX": 8.0 }
  ]
}*/
void main() {
    vec2 size = IMG_SIZE(inputImage);
    vec4 sum = vec4(0.0);
    for (int y = -2; y <= 2; y++) {
        for (int x = -2; x <= 2; x++) {
            vec2 p = clamp(gl_FragCoord.xy + vec2(x, y) * spread, vec2(0.5), size - 0.5);
            sum += IMG_PIXEL(inputImage, p);
        }
    }
    gl_FragColor = sum / 25.0;
}
