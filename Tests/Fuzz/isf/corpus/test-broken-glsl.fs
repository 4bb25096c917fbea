/*{
  "ISFVSN": "2",
  "INPUTS": [ { "NAME": "level", "TYPE": "float", "DEFAULT": 0.5 } ]
}*/
void main() {
    vec3 c = vec3(level);
    gl_FragColor = vec4(c, undefinedThing);
}
