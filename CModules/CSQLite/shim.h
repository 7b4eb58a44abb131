/* sqlite3 (Debian libsqlite3-dev).
 *
 * Why: SQLITE_TRANSIENT is a macro that casts -1 to a destructor pointer; Swift imports
 * neither the macro nor the cast. Bind calls take this wrapper's value instead. It can go
 * when Swift imports function-pointer-casting macros (it does not as of Swift 6.3). */
#include <sqlite3.h>

static inline sqlite3_destructor_type csqlite_transient(void) {
  return SQLITE_TRANSIENT;
}
