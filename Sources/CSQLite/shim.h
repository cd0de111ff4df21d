#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H
#include <sqlite3.h>

/// Binds UTF-8 text that SQLite copies (SQLITE_TRANSIENT is a macro Swift cannot import).
/// The 64-bit length never truncates; SQLite answers SQLITE_TOOBIG past its length limit.
static inline int csqlite_bind_text64(sqlite3_stmt *stmt, int index, const char *text, sqlite3_uint64 length) {
    return sqlite3_bind_text64(stmt, index, text, length, SQLITE_TRANSIENT, SQLITE_UTF8);
}

/// Binds a blob that SQLite copies, with a 64-bit length (see csqlite_bind_text64).
static inline int csqlite_bind_blob64(sqlite3_stmt *stmt, int index, const void *bytes, sqlite3_uint64 length) {
    return sqlite3_bind_blob64(stmt, index, bytes, length, SQLITE_TRANSIENT);
}
#endif
