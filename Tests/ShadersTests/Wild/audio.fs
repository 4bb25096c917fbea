/*{
    "DESCRIPTION": "An audio input, which a render cannot feed: refused once, at its line",
    "ISFVSN": "2",
    "INPUTS": [
        { "NAME": "waveform", "TYPE": "audio" }
    ]
}*/

void main() {
    gl_FragColor = IMG_NORM_PIXEL(waveform, isf_FragNormCoord);
}
