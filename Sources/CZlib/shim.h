// zlib (Debian: zlib1g-dev). inflateInit2 is a macro; this function wraps it.
#include <zlib.h>

static inline int czlib_inflate_init2(z_stream *stream, int window_bits) {
  return inflateInit2(stream, window_bits);
}
