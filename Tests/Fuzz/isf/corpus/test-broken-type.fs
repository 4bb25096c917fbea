/*{
  "ISFVSN": "2",
  "INPUTS": [
    { "NAME": "level", "TYPE": "float", "DEFAULT": 0.5 },
    { "NAME": "shade", "TYPE": "colour", "DEFAULT": [1, 0, 0, 1] }
  ]
}*/
void main() { gl_FragColor = vec4(level); }
