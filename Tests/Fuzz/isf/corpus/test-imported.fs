/*{
  "ISFVSN": "2",
  "DESCRIPTION": "Shows an imported picture, tinted by an image input's average",
  "INPUTS": [
    { "NAME": "tintImage", "TYPE": "image" }
  ],
  "IMPORTED": { "card": { "PATH": "card.png" } }
}*/
void main() {
    vec4 picture = IMG_NORM_PIXEL(card, isf_FragNormCoord);
    vec4 tint = IMG_NORM_PIXEL(tintImage, vec2(0.5));
    gl_FragColor = vec4(picture.rgb * (tint.a > 0.0 ? tint.rgb : vec3(1.0)), picture.a);
}
