/*{
    "DESCRIPTION": "An audio input: a render has no live audio, so it reads silence, with a warning",
    "ISFVSN": "2",
    "INPUTS": [
        { "NAME": "waveform", "TYPE": "audio" }
    ]
}*/

void main() {
    gl_FragColor = IMG_NORM_PIXEL(waveform, isf_FragNormCoord);
}
