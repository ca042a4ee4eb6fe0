#ifndef CSQLITESUPPORT_H
#define CSQLITESUPPORT_H

// Wrappers for the variadic SQLite calls Swift cannot make (sqlite3_db_config).
// Connections are passed as void * so this header does not re-export <sqlite3.h>
// next to GRDB's own SQLite module.

/// Hardens a connection: defensive mode on, schema not trusted, extension loading off.
/// With `untrusted` non-zero (a file we did not write) also disables triggers and views
/// and lowers the run-time limits. Returns SQLITE_OK or the first failing result code.
int mmu_sqlite_harden(void *db, int untrusted);

/// Forbids ATTACH on a connection (SQLITE_LIMIT_ATTACHED = 0).
void mmu_sqlite_forbid_attach(void *db);

/// Reads a boolean sqlite3_db_config option (e.g. SQLITE_DBCONFIG_DEFENSIVE = 1010).
/// Returns 0 or 1, or -1 when the option cannot be read.
int mmu_sqlite_db_config_flag(void *db, int option);

/// Takes SQLite's SHARED lock on the database file open as `fd`, as an open file description
/// lock (F_OFD_SETLK): it conflicts with other processes' SQLite locks like a connection's own,
/// but closing another descriptor of the file in this process (SQLite's) does not drop it.
/// Held until `fd` is closed. Returns 0, or the errno (EAGAIN or EACCES while another process
/// holds PENDING or EXCLUSIVE: try again).
int mmu_sqlite_shared_lock(int fd);

#endif
