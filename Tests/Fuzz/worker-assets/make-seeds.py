#!/usr/bin/env python3
"""Writes the worker-assets fuzz target's seeds into corpus/ (run from this folder).

usage: make-seeds.py TINY.mp4 TINY.webm

Each seed is what Fuzz.workerAssets takes: a scene's text, then each blob after a line
"--reel-blob--"; the scene names blob N as the file "blobN". The pictures are made here with
Pillow (8x8 to 24x16, a few hundred bytes); the clips are 16x16, 4 frames, rendered by Reel
itself from this scene (reel render tinyclip.yaml -o tiny.mp4, and -o tiny.webm):

  reel: 1
  canvas: { size: [16, 16], fps: 10, duration: 4f, background: "#203040" }
  layers:
    - rect: { size: [8, 8] }
      position: { keys: [[0f, [4, 8]], [3f, [12, 8]]] }
      fill: "#e94560"
"""
import io
import os
import sys

from PIL import Image

SEPARATOR = b"\n--reel-blob--\n"


def scene(layers, assets):
    names = ", ".join(f"{name}: blob{i}" for i, name in enumerate(assets))
    text = "reel: 1\ncanvas: { size: [32, 32], fps: 10, duration: 1s }\n"
    text += f"assets: {{ {names} }}\nlayers:\n" + "".join(f"  - {layer}\n" for layer in layers)
    return text.encode()


def picture(fmt, size=(8, 8), **options):
    image = Image.new("RGB", size)
    for y in range(size[1]):
        for x in range(size[0]):
            image.putpixel((x, y), (x * 30 % 256, y * 30 % 256, 128))
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def write(name, layers, assets, blobs):
    with open(os.path.join("corpus", name), "wb") as f:
        f.write(scene(layers, assets) + b"".join(SEPARATOR + blob for blob in blobs))


def main():
    mp4 = open(sys.argv[1], "rb").read()
    webm = open(sys.argv[2], "rb").read()
    os.makedirs("corpus", exist_ok=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    write("png", ["{ image: a }"], ["a"], [picture("PNG")])
    write("jpeg", ["{ image: a, position: [16, 16] }"], ["a"], [picture("JPEG", (24, 16), quality=80)])
    write("jpeg-progressive-exif", ["{ image: a }"], ["a"], [picture("JPEG", (24, 16), progressive=True, exif=exif.tobytes())])
    cmyk = io.BytesIO()
    Image.new("CMYK", (8, 8), (10, 200, 30, 0)).save(cmyk, "JPEG")
    write("jpeg-cmyk", ["{ image: a }"], ["a"], [cmyk.getvalue()])
    write("webp", ["{ image: a }"], ["a"], [picture("WEBP", lossless=True)])
    write("gif", ["{ image: a }", "{ video: { asset: a, loop: true } }"], ["a"], [picture("GIF")])
    write("bmp", ["{ image: a }"], ["a"], [picture("BMP")])
    write("tiff", ["{ image: a }"], ["a"], [picture("TIFF")])
    write("mp4", ["{ video: { asset: v, loop: true } }"], ["v"], [mp4])
    write("webm", ["{ video: { asset: v, start: 0.1s } }"], ["v"], [webm])
    write("picture-and-clip", ["{ image: a }", "{ image: a, position: [8, 8] }", "{ video: v }"], ["a", "v"], [picture("PNG"), mp4])
    write("hls-playlist", ["{ video: v }"], ["v", "s"], [b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nblob1\n#EXT-X-ENDLIST\n", mp4])
    write("concat-list", ["{ video: v }"], ["v", "s"], [b"ffconcat version 1.0\nfile 'blob1'\n", mp4])
    write("garbage", ["{ image: a }", "{ video: b }"], ["a", "b"], [bytes(range(256)) * 2, b"\x00\x00\x01\xba" + bytes(60)])
    write("png-bomb-header", ["{ image: a }"], ["a"], [picture("PNG")[:16] + b"\x00\x00\x40\x00\x00\x00\x40\x00\x08\x06\x00\x00\x00"])


if __name__ == "__main__":
    main()
