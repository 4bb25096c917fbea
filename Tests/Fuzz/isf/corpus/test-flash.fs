/*{
  "ISFVSN": "2",
  "DESCRIPTION": "An event input flashes white; three passes count PASSINDEX",
  "INPUTS": [
    { "NAME": "inputImage", "TYPE": "image" },
    { "NAME": "flash", "TYPE": "event" }
  ],
  "PASSES": [ { "TARGET": "a" }, { "TARGET": "b" }, { } ]
}*/
void main() {
    if (PASSINDEX == 0) {
        gl_FragColor = IMG_THIS_PIXEL(inputImage);
    } else if (PASSINDEX == 1) {
        gl_FragColor = IMG_THIS_PIXEL(a) * 0.5;
    } else {
        vec4 c = IMG_THIS_PIXEL(b) * 2.0;
        gl_FragColor = flash ? vec4(1.0) : c;
    }
}
