/*{
  "ISFVSN": "2",
  "DESCRIPTION": "Soft aurora bands drifting over a night sky",
  "CREDIT": "Reel example",
  "CATEGORIES": ["Generator"],
  "INPUTS": [
    { "NAME": "speed", "TYPE": "float", "DEFAULT": 0.3, "MIN": 0.0, "MAX": 4.0, "LABEL": "Drift speed" },
    { "NAME": "bands", "TYPE": "long", "VALUES": [2, 3, 4], "LABELS": ["two", "three", "four"], "DEFAULT": 3 },
    { "NAME": "glowColor", "TYPE": "color", "DEFAULT": [0.2, 1.0, 0.6, 1.0] },
    { "NAME": "sky", "TYPE": "color", "DEFAULT": [0.02, 0.02, 0.08, 1.0] }
  ]
}*/
void main() {
    vec2 uv = isf_FragNormCoord;
    float t = TIME * speed;
    float light = 0.0;
    for (int i = 0; i < 4; i++) {
        if (i >= bands) break;
        float fi = float(i);
        float centre = 0.55 + 0.12 * sin(uv.x * (3.0 + fi) + t * (1.0 + 0.3 * fi) + fi * 1.7);
        light += exp(-pow((uv.y - centre - fi * 0.08) * 9.0, 2.0)) * (0.6 + 0.4 * sin(uv.x * 11.0 + t * 2.0 + fi));
    }
    vec3 colour = mix(sky.rgb, glowColor.rgb, clamp(light, 0.0, 1.0)) + sky.rgb * (1.0 - uv.y);
    gl_FragColor = vec4(colour, 1.0);
}
