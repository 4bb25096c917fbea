/*{
    "DESCRIPTION": "Loose int and float arithmetic and comparison, as desktop GLSL allows",
    "ISFVSN": "2",
    "INPUTS": [ { "NAME": "bands", "TYPE": "long", "VALUES": [2, 4, 8], "DEFAULT": 4 } ]
}*/

void main() {
    float x = isf_FragNormCoord.x * bands;
    float band = floor(x) / bands;
    float flag = 0;
    if (x > 2) flag = 1;
    gl_FragColor = vec4(band, flag, 1 - band, 1);
}
