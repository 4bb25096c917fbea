/*{
  "ISFVSN": "2",
  "DESCRIPTION": "A vertical gradient between two colours, brightness animated",
  "CATEGORIES": ["Generator"],
  "INPUTS": [
    { "NAME": "top", "TYPE": "color", "DEFAULT": [1.0, 0.4, 0.1, 1.0] },
    { "NAME": "bottom", "TYPE": "color", "DEFAULT": [0.1, 0.2, 0.8, 1.0] },
    { "NAME": "brightness", "TYPE": "float", "DEFAULT": 1.0, "MIN": 0.0, "MAX": 2.0 }
  ]
}*/
void main() {
    // isf_FragNormCoord.y is 0 at the bottom.
    gl_FragColor = vec4(mix(bottom.rgb, top.rgb, isf_FragNormCoord.y) * brightness, 1.0);
}
