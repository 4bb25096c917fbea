#!/usr/bin/env python3
"""Makes the photo-like JPEGs the decoding tests read, and Pillow's decode of each.

usage: photos.py OUT_DIR [EXTRA.jpg ...]

Writes into OUT_DIR, for a 1920x1080 picture with gradients, noise and hard-edged shapes
(what a camera photo has, and what chroma subsampling and progressive scans must survive):
  photo.jpg               baseline, 4:2:0, quality 90
  photo-progressive.jpg   the same picture, progressive
  photo-exif-N.jpg        baseline with EXIF orientation N (2..8): stored as the camera
                          would, so a viewer turns or mirrors it to show it upright
  photo-cmyk.jpg          the picture as Adobe CMYK (inverted, as Photoshop and Pillow write)
and for each of those, and each EXTRA file, NAME.rgb: Pillow's decode turned upright with
ImageOps.exif_transpose, as raw 8-bit RGB rows, with a line "NAME WIDTH HEIGHT" per file in
OUT_DIR/manifest.txt. Deterministic: the same bytes on every run.
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageOps


def photo(width=1920, height=1080, seed=7):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(float)
    pixels = np.stack([x / width * 200 + 30, y / height * 180 + 40, (x + y) / (width + height) * 160 + 60], -1)
    pixels += rng.normal(0, 6, pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype("uint8"))
    draw = ImageDraw.Draw(image)
    for i in range(40):
        cx, cy = int(rng.integers(0, width)), int(rng.integers(0, height))
        r = int(rng.integers(20, 200))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        if i % 2:
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        else:
            draw.rectangle([cx - r, cy - r // 2, cx + r, cy + r // 2], fill=colour)
    # A little blur, as a lens gives: edges stay sharp enough to test chroma placement.
    return image.filter(ImageFilter.GaussianBlur(1.2))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    picture = photo()
    files = []

    def save(name, image, **options):
        image.save(os.path.join(out, name), "JPEG", quality=90, **options)
        files.append(os.path.join(out, name))

    save("photo.jpg", picture)
    save("photo-progressive.jpg", picture, progressive=True)
    for orientation in range(2, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        save(f"photo-exif-{orientation}.jpg", picture, exif=exif.tobytes())
    save("photo-cmyk.jpg", picture.convert("CMYK"))
    files += sys.argv[2:]

    with open(os.path.join(out, "manifest.txt"), "w") as manifest:
        for path in files:
            name = os.path.basename(path)
            upright = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
            with open(os.path.join(out, name + ".rgb"), "wb") as raw:
                raw.write(upright.tobytes())
            manifest.write(f"{name} {upright.width} {upright.height}\n")


if __name__ == "__main__":
    main()
