// CDeflate: libdeflate (whole-buffer DEFLATE, zlib format) for the PNG writer. No logic.
#ifndef REEL_CDEFLATE_SHIM_H
#define REEL_CDEFLATE_SHIM_H
#include <libdeflate.h>
#endif
