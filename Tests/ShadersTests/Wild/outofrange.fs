/*{
    "DESCRIPTION": "A DEFAULT outside its own MIN…MAX: clamped, with a warning",
    "ISFVSN": "2",
    "INPUTS": [ { "NAME": "level", "TYPE": "float", "DEFAULT": 3.0, "MIN": 0.0, "MAX": 1.0 } ]
}*/

void main() {
    gl_FragColor = vec4(level * 0.5, 0.2, 0.4, 1.0);
}
