/*{
  "ISFVSN": "2",
  "DESCRIPTION": "Checkerboard: a long input picks the cell count, a bool inverts it",
  "INPUTS": [
    { "NAME": "cells", "TYPE": "long", "VALUES": [2, 4, 8], "LABELS": ["two", "four", "eight"], "DEFAULT": 4 },
    { "NAME": "invert", "TYPE": "bool", "DEFAULT": false }
  ]
}*/
void main() {
    vec2 cell = floor(isf_FragNormCoord * float(cells));
    float on = mod(cell.x + cell.y, 2.0);
    if (invert) on = 1.0 - on;
    gl_FragColor = vec4(vec3(on), 1.0);
}
