/*{
    "DESCRIPTION": "A custom vertex shader: the .vs computes the neighbours' coordinates as varyings",
    "ISFVSN": "2",
    "INPUTS": [
        { "NAME": "inputImage", "TYPE": "image" },
        { "NAME": "spread", "TYPE": "float", "DEFAULT": 3.0, "MIN": 0.0, "MAX": 10.0 }
    ]
}*/

varying vec2 neighbours[4];

void main() {
    vec4 sum = IMG_THIS_PIXEL(inputImage);
    for (int i = 0; i < 4; i++) {
        sum += IMG_NORM_PIXEL(inputImage, neighbours[i]);
    }
    gl_FragColor = sum / 5.0;
}
