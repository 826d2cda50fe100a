// libsqlite3 (Debian: libsqlite3-dev). SQLITE_STATIC and SQLITE_TRANSIENT are cast macros
// that Swift cannot import; these functions return them.
#include <sqlite3.h>

static inline sqlite3_destructor_type csqlite_static(void) { return SQLITE_STATIC; }
static inline sqlite3_destructor_type csqlite_transient(void) { return SQLITE_TRANSIENT; }
