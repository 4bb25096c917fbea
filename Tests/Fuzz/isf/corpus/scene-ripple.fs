/*{
  "ISFVSN": "2",
  "DESCRIPTION": "Water ripples: offsets the picture along rings spreading from a point",
  "CATEGORIES": ["Distortion Effect"],
  "INPUTS": [
    { "NAME": "inputImage", "TYPE": "image" },
    { "NAME": "center", "TYPE": "point2D", "DEFAULT": [320, 180] },
    { "NAME": "strength", "TYPE": "float", "DEFAULT": 4.0, "MIN": 0.0, "MAX": 40.0 },
    { "NAME": "wavelength", "TYPE": "float", "DEFAULT": 28.0, "MIN": 2.0, "MAX": 400.0 }
  ]
}*/
void main() {
    vec2 p = gl_FragCoord.xy - center;
    float d = length(p);
    float wave = sin(d / wavelength * 6.2832 - TIME * 6.0) * strength * exp(-d / 260.0);
    vec2 offset = d > 0.0 ? p / d * wave : vec2(0.0);
    gl_FragColor = IMG_PIXEL(inputImage, gl_FragCoord.xy + offset);
}
