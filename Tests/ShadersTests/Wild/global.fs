/*{
    "DESCRIPTION": "A global initialised from a uniform and a built-in, as desktop GLSL allows",
    "ISFVSN": "2",
    "INPUTS": [ { "NAME": "level", "TYPE": "float", "DEFAULT": 0.75, "MIN": 0.0, "MAX": 1.0 } ]
}*/

float half_level = level / 2.0;
vec2 size = RENDERSIZE;

void main() {
    gl_FragColor = vec4(half_level, gl_FragCoord.x / size.x, level, 1.0);
}
