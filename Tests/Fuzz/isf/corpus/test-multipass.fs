/*{
  "ISFVSN": "2",
  "DESCRIPTION": "Two passes: a quarter-size pixelated copy, then a mix with the original",
  "INPUTS": [
    { "NAME": "inputImage", "TYPE": "image" },
    { "NAME": "mixAmount", "TYPE": "float", "DEFAULT": 0.75, "MIN": 0.0, "MAX": 1.0 }
  ],
  "PASSES": [
    { "TARGET": "small", "WIDTH": "floor($WIDTH / 8)", "HEIGHT": "floor($HEIGHT / 8)" },
    { }
  ]
}*/
void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = IMG_NORM_PIXEL(inputImage, isf_FragNormCoord);
    } else {
        vec2 blocks = IMG_SIZE(small);
        vec2 snapped = (floor(isf_FragNormCoord * blocks) + 0.5) / blocks;
        gl_FragColor = mix(IMG_THIS_PIXEL(inputImage), IMG_NORM_PIXEL(small, snapped), mixAmount);
    }
}
