/*{
  "ISFVSN": "2",
  "INPUTS": [
    { "NAME": "level", "TYPE": "float", "DEFAULT": 0.5 }
    { "NAME": "other", "TYPE": "float", "DEFAULT": 0.5 }
  ]
}*/
void main() { gl_FragColor = vec4(level); }
