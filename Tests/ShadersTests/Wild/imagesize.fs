/*{
    "DESCRIPTION": "ISF's per-image uniforms: _NAME_imgSize, _NAME_imgRect and _NAME_flip",
    "ISFVSN": "2",
    "INPUTS": [ { "NAME": "inputImage", "TYPE": "image" } ]
}*/

void main() {
    vec2 loc = _inputImage_imgRect.zw * isf_FragNormCoord;
    vec2 mirrored = vec2(_inputImage_imgSize.x - loc.x, loc.y);
    vec4 color = IMG_PIXEL(inputImage, _inputImage_flip ? loc : mirrored);
    gl_FragColor = color;
}
