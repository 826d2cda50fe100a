// libcsv (Debian: libcsv-dev). csv.h uses size_t without including stddef.h.
#include <stddef.h>
#include <csv.h>
