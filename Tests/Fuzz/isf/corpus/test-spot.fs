/*{
  "ISFVSN": "2",
  "DESCRIPTION": "A soft spot at a point2D (pixels from the bottom-left)",
  "INPUTS": [
    { "NAME": "center", "TYPE": "point2D", "DEFAULT": [40, 30] },
    { "NAME": "radius", "TYPE": "float", "DEFAULT": 20, "MIN": 1, "MAX": 500 }
  ]
}*/
void main() {
    float d = distance(gl_FragCoord.xy, center);
    float a = 1.0 - smoothstep(radius - 2.0, radius, d);
    gl_FragColor = vec4(1.0, 0.9, 0.3, 1.0) * a;
}
