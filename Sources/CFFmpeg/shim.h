// CFFmpeg: libavformat, libavcodec, libavutil and libswscale for Swift. No logic: error
// macros and constants Swift cannot import become static inline functions.
#ifndef REEL_CFFMPEG_SHIM_H
#define REEL_CFFMPEG_SHIM_H

#include <errno.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libavutil/sha.h>
#include <libavutil/murmur3.h>

static inline int reel_averror_eof(void) { return AVERROR_EOF; }
static inline int reel_averror_eagain(void) { return AVERROR(EAGAIN); }
static inline int reel_averror(int code) { return AVERROR(code); }
static inline int64_t reel_av_nopts_value(void) { return AV_NOPTS_VALUE; }
static inline int reel_av_time_base(void) { return AV_TIME_BASE; }

static inline int reel_av_codec_flag_global_header(void) { return AV_CODEC_FLAG_GLOBAL_HEADER; }
static inline int reel_avfmt_globalheader(void) { return AVFMT_GLOBALHEADER; }
static inline int reel_avfmt_nofile(void) { return AVFMT_NOFILE; }
static inline int reel_avio_flag_write(void) { return AVIO_FLAG_WRITE; }

// av_err2str is a macro over a compound literal; this fills a caller's buffer instead.
static inline const char *reel_av_error_string(int code, char *buffer, size_t size) {
    av_strerror(code, buffer, size);
    return buffer;
}

#endif
