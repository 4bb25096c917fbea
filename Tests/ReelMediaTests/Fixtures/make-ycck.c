/* Writes ycck.jpg: a 64×32 YCCK JPEG (Adobe marker, transform 2), as Photoshop saves CMYK.
 * Pillow cannot write YCCK, so this fixture is committed; remake it with
 *   cc make-ycck.c -o make-ycck -ljpeg && ./make-ycck ycck.jpg
 * Adobe stores CMYK inverted (255 means no ink), so the stored C, M, Y of each pixel are its
 * R, G, B before black: left half no black, right half a quarter black. */
#include <stdio.h>
#include <jpeglib.h>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    FILE *f = fopen(argv[1], "wb");
    if (!f) return 1;
    jpeg_stdio_dest(&c, f);
    c.image_width = 64;
    c.image_height = 32;
    c.input_components = 4;
    c.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_set_colorspace(&c, JCS_YCCK);
    jpeg_set_quality(&c, 95, TRUE);
    c.write_Adobe_marker = TRUE;
    jpeg_start_compress(&c, TRUE);
    unsigned char row[64 * 4];
    while (c.next_scanline < 32) {
        int y = c.next_scanline;
        for (int x = 0; x < 64; x++) {
            row[4 * x] = 60 + x * 2;
            row[4 * x + 1] = 40 + y * 4;
            row[4 * x + 2] = 200 - x;
            row[4 * x + 3] = x < 32 ? 255 : 191;
        }
        JSAMPROW pointer = row;
        jpeg_write_scanlines(&c, &pointer, 1);
    }
    jpeg_finish_compress(&c);
    fclose(f);
    return 0;
}
