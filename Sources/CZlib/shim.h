#ifndef CZLIB_SHIM_H
#define CZLIB_SHIM_H

// The system zlib, for the compressed data block of mmu render's pages. Only MMURender imports it.
#include <zlib.h>

/// deflateInit2 for a raw deflate stream (no zlib header or trailer), as the browser's
/// DecompressionStream("deflate-raw") reads it; deflateInit2 is a macro Swift cannot call.
static inline int mmu_deflate_init_raw(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}

#endif
