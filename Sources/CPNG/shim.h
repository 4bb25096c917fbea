// CPNG: libpng's simplified API for Swift. No logic here: it re-exports the composite format
// and version macros that Swift may not import as plain constants. Reel uses only the
// simplified API (png_image_*), which reports errors through a return code and
// png_image.message instead of longjmp, which Swift cannot survive.
#ifndef REEL_CPNG_SHIM_H
#define REEL_CPNG_SHIM_H

#include <png.h>

static inline png_uint_32 reel_png_image_version(void) { return PNG_IMAGE_VERSION; }
static inline png_uint_32 reel_png_format_rgba(void) { return PNG_FORMAT_RGBA; }
static inline png_uint_32 reel_png_format_rgb(void) { return PNG_FORMAT_RGB; }
static inline int reel_png_image_failed(png_imagep image) { return PNG_IMAGE_FAILED(*image); }

#endif
