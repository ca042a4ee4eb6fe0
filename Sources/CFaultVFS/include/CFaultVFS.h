#ifndef CFAULTVFS_H
#define CFAULTVFS_H

// A fault-injecting SQLite VFS for tests and tools (never linked into the library).
//
// It wraps the default VFS ("unix" on Linux) under its own name; a connection uses it when
// opened with the URI `file:/abs/path?vfs=NAME`. Every candidate I/O operation of a file opened
// through it is counted by kind; when armed, the Nth operation whose kind is in the mask fails
// (once or from then on), ends the process (`_exit`), or cuts the power: the undo records of
// every write and truncate not yet made durable by a sync are applied newest first, then the
// process ends. The schedule is process-global. This header does not include <sqlite3.h>, so
// it never clashes with GRDB's SQLite module.

#include <stdint.h>

// Operation kinds, usable as a mask.
#define MMUFAULT_WRITE 0x01u     // xWrite
#define MMUFAULT_SYNC 0x02u      // xSync
#define MMUFAULT_TRUNCATE 0x04u  // xTruncate
#define MMUFAULT_READ 0x08u      // xRead
#define MMUFAULT_OPEN 0x10u      // xOpen
#define MMUFAULT_DELETE 0x20u    // xDelete (its directory sync included)
#define MMUFAULT_SHM 0x40u       // xShmMap and lock-taking xShmLock
#define MMUFAULT_ALL 0x7Fu

// Modes.
#define MMUFAULT_MODE_OFF 0         // count operations by kind, schedule nothing
#define MMUFAULT_MODE_COUNT 1       // also count the masked operations (points), inject nothing
#define MMUFAULT_MODE_TRANSIENT 2   // the Nth masked operation fails, later ones succeed
#define MMUFAULT_MODE_PERSISTENT 3  // the Nth masked operation and every later one fail
#define MMUFAULT_MODE_DISK_FULL 4   // as persistent, but writes fail with SQLITE_FULL (ENOSPC)
#define MMUFAULT_MODE_EXIT 5        // _exit(MMUFAULT_EXIT_STATUS) before the Nth masked operation
#define MMUFAULT_MODE_POWER_CUT 6   // before the Nth masked operation, undo unsynced writes, then _exit

// Exit statuses of the modes that end the process.
#define MMUFAULT_EXIT_STATUS 77
#define MMUFAULT_POWER_CUT_STATUS 78

/// Registers the VFS under `name` (at most 63 bytes) around the default VFS, once per process.
/// Returns SQLITE_OK (0), or SQLITE_MISUSE (21) when another name was registered before, or the
/// error of sqlite3_vfs_register.
int mmufault_register(const char *name);

/// Arms the schedule: from now on the masked operations are numbered from 1 (the points), and
/// `mode` applies to point `n` (n <= 0: never). Clears a previous persistent failure and the
/// undo records. In MMUFAULT_MODE_POWER_CUT, every write and truncate is recorded from now on.
void mmufault_arm(int64_t n, uint32_t mask, int mode);

/// Stops injecting faults and recording undo records; the counters keep their values.
void mmufault_disarm(void);

/// Disarms and sets every counter to zero.
void mmufault_reset(void);

/// The operations of one kind seen since the last reset (`kind` is one MMUFAULT_* bit).
int64_t mmufault_count(uint32_t kind);

/// The masked operations seen since the schedule was armed.
int64_t mmufault_points(void);

/// The faults injected since the last reset.
int64_t mmufault_faults(void);

/// The deletes that asked for a directory sync (synchronous=EXTRA), since the last reset.
int64_t mmufault_directory_syncs(void);

/// The undo records kept now (writes and truncates not yet made durable by a sync).
int64_t mmufault_pending_undo_records(void);

#endif
