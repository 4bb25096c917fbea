// CText: FreeType (glyph outlines), HarfBuzz (shaping) and fontconfig (finding fonts by
// family) for Swift. No logic: FreeType's headers are reached through macros Swift cannot
// follow, and a few constants are macros Swift does not import.
#ifndef REEL_CTEXT_SHIM_H
#define REEL_CTEXT_SHIM_H

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H
#include <hb.h>
#include <hb-ft.h>
#include <fontconfig/fontconfig.h>

static inline FT_Int32 reel_ft_load_no_scale(void) { return FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP; }
static inline const char *reel_fc_family(void) { return FC_FAMILY; }
static inline const char *reel_fc_weight(void) { return FC_WEIGHT; }
static inline const char *reel_fc_slant(void) { return FC_SLANT; }
static inline const char *reel_fc_file(void) { return FC_FILE; }
static inline const char *reel_fc_index(void) { return FC_INDEX; }
static inline int reel_fc_slant_italic(void) { return FC_SLANT_ITALIC; }
static inline int reel_fc_slant_roman(void) { return FC_SLANT_ROMAN; }

#endif
