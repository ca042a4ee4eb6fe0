#include "CFaultVFS.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// The role of a file, from its open flags: only the files that carry committed data get undo
// records in power-cut mode.
enum { ROLE_OTHER, ROLE_DATA };

// A file opened through the shim: the shim's header, then the real file in the same block.
typedef struct FaultFile {
    sqlite3_file base;
    sqlite3_file *real;
    char *path;
    int role;
} FaultFile;

// What a write or truncate overwrote: enough to put the file back as it was before it.
typedef struct UndoRecord {
    char *path;
    sqlite3_int64 offset;      // where the old bytes go back
    unsigned char *old;        // the bytes that were there (possibly fewer than written)
    int oldLength;
    sqlite3_int64 oldSize;     // the file size before the operation
} UndoRecord;

enum { KIND_COUNT = 7 };

typedef enum { PASS, FAIL } Decision;

static struct {
    pthread_mutex_t mutex;
    int registered;
    char name[64];
    sqlite3_vfs vfs;
    sqlite3_vfs *base;
    int mode;
    uint32_t mask;
    int64_t target;
    int64_t points;
    int failing;
    int64_t counts[KIND_COUNT];
    int64_t faults;
    int64_t directorySyncs;
    UndoRecord *undo;
    size_t undoCount, undoCapacity;
} shim = {.mutex = PTHREAD_MUTEX_INITIALIZER};

static int kindIndex(uint32_t kind) {
    for (int index = 0; index < KIND_COUNT; index++) {
        if (kind == (1u << index)) return index;
    }
    return -1;
}

// Frees every undo record (or only those of `path`); call with the mutex held.
static void dropUndo(const char *path) {
    size_t kept = 0;
    for (size_t index = 0; index < shim.undoCount; index++) {
        UndoRecord *record = &shim.undo[index];
        if (path == NULL || strcmp(record->path, path) == 0) {
            free(record->path);
            free(record->old);
        } else {
            shim.undo[kept++] = *record;
        }
    }
    shim.undoCount = kept;
}

// Puts every file back as it was before its unsynced writes, newest first, then ends the
// process. Called with the mutex held, so no other thread of the shim gets past its decision.
static void cutPower(void) {
    for (size_t index = shim.undoCount; index > 0; index--) {
        UndoRecord *record = &shim.undo[index - 1];
        int fd = open(record->path, O_WRONLY);
        if (fd < 0) continue;  // deleted since: nothing to restore
        if (record->oldLength > 0) {
            ssize_t written = pwrite(fd, record->old, (size_t)record->oldLength, (off_t)record->offset);
            (void)written;
        }
        int truncated = ftruncate(fd, (off_t)record->oldSize);
        (void)truncated;
        close(fd);
    }
    _exit(MMUFAULT_POWER_CUT_STATUS);
}

// Counts one operation and applies the schedule to it: returns FAIL when it must fail, and
// does not return when the process must end.
static Decision decide(uint32_t kind) {
    Decision decision = PASS;
    pthread_mutex_lock(&shim.mutex);
    int index = kindIndex(kind);
    if (index >= 0) shim.counts[index]++;
    if (shim.mode != MMUFAULT_MODE_OFF && (shim.mask & kind) != 0) {
        shim.points++;
        if (shim.failing) {
            decision = FAIL;
        } else if (shim.target > 0 && shim.points == shim.target) {
            switch (shim.mode) {
            case MMUFAULT_MODE_TRANSIENT:
                decision = FAIL;
                break;
            case MMUFAULT_MODE_PERSISTENT:
            case MMUFAULT_MODE_DISK_FULL:
                shim.failing = 1;
                decision = FAIL;
                break;
            case MMUFAULT_MODE_EXIT:
                _exit(MMUFAULT_EXIT_STATUS);
            case MMUFAULT_MODE_POWER_CUT:
                cutPower();
                break;
            default:
                break;
            }
        }
        if (decision == FAIL) shim.faults++;
    }
    pthread_mutex_unlock(&shim.mutex);
    return decision;
}

static int isRecording(const FaultFile *file) {
    return file->role == ROLE_DATA && file->path != NULL && shim.mode == MMUFAULT_MODE_POWER_CUT;
}

// Records what the bytes [offset, offset + length) of `file` and its size are now, before a
// write (length > 0) or a truncate to `offset` (length < 0: everything from offset to the end).
static void recordUndo(FaultFile *file, sqlite3_int64 offset, sqlite3_int64 length) {
    pthread_mutex_lock(&shim.mutex);
    if (!isRecording(file)) {
        pthread_mutex_unlock(&shim.mutex);
        return;
    }
    sqlite3_int64 size = 0;
    if (file->real->pMethods->xFileSize(file->real, &size) != SQLITE_OK) size = 0;
    sqlite3_int64 end = length < 0 ? size : offset + length;
    if (end > size) end = size;
    int oldLength = end > offset ? (int)(end - offset) : 0;
    UndoRecord record = {.path = strdup(file->path), .offset = offset, .oldLength = oldLength, .oldSize = size};
    if (oldLength > 0) {
        record.old = malloc((size_t)oldLength);
        if (record.old == NULL || file->real->pMethods->xRead(file->real, record.old, oldLength, offset) != SQLITE_OK) {
            free(record.old);
            record.old = NULL;
            record.oldLength = 0;
        }
    }
    if (shim.undoCount == shim.undoCapacity) {
        size_t capacity = shim.undoCapacity == 0 ? 64 : shim.undoCapacity * 2;
        UndoRecord *grown = realloc(shim.undo, capacity * sizeof(UndoRecord));
        if (grown == NULL) abort();
        shim.undo = grown;
        shim.undoCapacity = capacity;
    }
    if (record.path == NULL) abort();
    shim.undo[shim.undoCount++] = record;
    pthread_mutex_unlock(&shim.mutex);
}

// Forgets the undo records of a file whose writes are now durable (synced) or gone (deleted).
static void forgetUndo(const char *path) {
    if (path == NULL) return;
    pthread_mutex_lock(&shim.mutex);
    dropUndo(path);
    pthread_mutex_unlock(&shim.mutex);
}

// MARK: I/O methods

static int shimClose(sqlite3_file *handle) {
    FaultFile *file = (FaultFile *)handle;
    int rc = file->real->pMethods ? file->real->pMethods->xClose(file->real) : SQLITE_OK;
    free(file->path);
    file->path = NULL;
    handle->pMethods = NULL;
    return rc;
}

static int shimRead(sqlite3_file *handle, void *buffer, int amount, sqlite3_int64 offset) {
    FaultFile *file = (FaultFile *)handle;
    if (decide(MMUFAULT_READ) == FAIL) return SQLITE_IOERR_READ;
    return file->real->pMethods->xRead(file->real, buffer, amount, offset);
}

static int shimWrite(sqlite3_file *handle, const void *buffer, int amount, sqlite3_int64 offset) {
    FaultFile *file = (FaultFile *)handle;
    if (decide(MMUFAULT_WRITE) == FAIL) {
        return shim.mode == MMUFAULT_MODE_DISK_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    }
    recordUndo(file, offset, amount);
    return file->real->pMethods->xWrite(file->real, buffer, amount, offset);
}

static int shimTruncate(sqlite3_file *handle, sqlite3_int64 size) {
    FaultFile *file = (FaultFile *)handle;
    if (decide(MMUFAULT_TRUNCATE) == FAIL) return SQLITE_IOERR_TRUNCATE;
    recordUndo(file, size, -1);
    return file->real->pMethods->xTruncate(file->real, size);
}

static int shimSync(sqlite3_file *handle, int flags) {
    FaultFile *file = (FaultFile *)handle;
    if (decide(MMUFAULT_SYNC) == FAIL) return SQLITE_IOERR_FSYNC;
    int rc = file->real->pMethods->xSync(file->real, flags);
    if (rc == SQLITE_OK) forgetUndo(file->path);
    return rc;
}

static int shimFileSize(sqlite3_file *handle, sqlite3_int64 *size) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xFileSize(file->real, size);
}

static int shimLock(sqlite3_file *handle, int level) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xLock(file->real, level);
}

static int shimUnlock(sqlite3_file *handle, int level) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xUnlock(file->real, level);
}

static int shimCheckReservedLock(sqlite3_file *handle, int *reserved) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xCheckReservedLock(file->real, reserved);
}

static int shimFileControl(sqlite3_file *handle, int op, void *argument) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xFileControl(file->real, op, argument);
}

static int shimSectorSize(sqlite3_file *handle) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xSectorSize(file->real);
}

static int shimDeviceCharacteristics(sqlite3_file *handle) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

static int shimShmMap(sqlite3_file *handle, int page, int pageSize, int extend, void volatile **pointer) {
    FaultFile *file = (FaultFile *)handle;
    if (decide(MMUFAULT_SHM) == FAIL) return SQLITE_IOERR_SHMMAP;
    return file->real->pMethods->xShmMap(file->real, page, pageSize, extend, pointer);
}

static int shimShmLock(sqlite3_file *handle, int offset, int count, int flags) {
    FaultFile *file = (FaultFile *)handle;
    // Only taking a lock can fail: SQLite assumes that releasing one always works.
    if ((flags & SQLITE_SHM_LOCK) != 0 && decide(MMUFAULT_SHM) == FAIL) return SQLITE_IOERR_SHMLOCK;
    return file->real->pMethods->xShmLock(file->real, offset, count, flags);
}

static void shimShmBarrier(sqlite3_file *handle) {
    FaultFile *file = (FaultFile *)handle;
    file->real->pMethods->xShmBarrier(file->real);
}

static int shimShmUnmap(sqlite3_file *handle, int deleteFlag) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xShmUnmap(file->real, deleteFlag);
}

static int shimFetch(sqlite3_file *handle, sqlite3_int64 offset, int amount, void **pointer) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xFetch(file->real, offset, amount, pointer);
}

static int shimUnfetch(sqlite3_file *handle, sqlite3_int64 offset, void *pointer) {
    FaultFile *file = (FaultFile *)handle;
    return file->real->pMethods->xUnfetch(file->real, offset, pointer);
}

#define SHIM_METHODS(version)                                                                          \
    {                                                                                                  \
        version, shimClose, shimRead, shimWrite, shimTruncate, shimSync, shimFileSize, shimLock,       \
            shimUnlock, shimCheckReservedLock, shimFileControl, shimSectorSize,                        \
            shimDeviceCharacteristics, shimShmMap, shimShmLock, shimShmBarrier, shimShmUnmap, shimFetch, \
            shimUnfetch                                                                                \
    }

// One methods table per version, so SQLite never calls a method the real file lacks.
static const sqlite3_io_methods methodsByVersion[3] = {SHIM_METHODS(1), SHIM_METHODS(2), SHIM_METHODS(3)};

// MARK: VFS methods

static int shimOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *handle, int flags, int *outFlags) {
    (void)vfs;
    FaultFile *file = (FaultFile *)handle;
    memset(file, 0, sizeof(FaultFile));
    file->real = (sqlite3_file *)&file[1];
    if (decide(MMUFAULT_OPEN) == FAIL) return SQLITE_CANTOPEN;
    int rc = shim.base->xOpen(shim.base, name, file->real, flags, outFlags);
    if (file->real->pMethods == NULL) return rc;
    if (name != NULL) file->path = strdup(name);
    file->role = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL)) ? ROLE_DATA : ROLE_OTHER;
    int version = file->real->pMethods->iVersion;
    if (version < 1) version = 1;
    if (version > 3) version = 3;
    handle->pMethods = &methodsByVersion[version - 1];
    return rc;
}

static int shimDelete(sqlite3_vfs *vfs, const char *name, int syncDirectory) {
    (void)vfs;
    if (decide(MMUFAULT_DELETE) == FAIL) return SQLITE_IOERR_DELETE;
    if (syncDirectory) {
        pthread_mutex_lock(&shim.mutex);
        shim.directorySyncs++;
        pthread_mutex_unlock(&shim.mutex);
    }
    int rc = shim.base->xDelete(shim.base, name, syncDirectory);
    if (rc == SQLITE_OK) forgetUndo(name);
    return rc;
}

static int shimAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
    (void)vfs;
    return shim.base->xAccess(shim.base, name, flags, result);
}

static int shimFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    return shim.base->xFullPathname(shim.base, name, size, out);
}

static void *shimDlOpen(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return shim.base->xDlOpen(shim.base, name);
}

static void shimDlError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    shim.base->xDlError(shim.base, size, message);
}

static void (*shimDlSym(sqlite3_vfs *vfs, void *library, const char *symbol))(void) {
    (void)vfs;
    return shim.base->xDlSym(shim.base, library, symbol);
}

static void shimDlClose(sqlite3_vfs *vfs, void *library) {
    (void)vfs;
    shim.base->xDlClose(shim.base, library);
}

static int shimRandomness(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return shim.base->xRandomness(shim.base, size, out);
}

static int shimSleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return shim.base->xSleep(shim.base, microseconds);
}

static int shimCurrentTime(sqlite3_vfs *vfs, double *now) {
    (void)vfs;
    return shim.base->xCurrentTime(shim.base, now);
}

static int shimGetLastError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    return shim.base->xGetLastError ? shim.base->xGetLastError(shim.base, size, message) : 0;
}

static int shimCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
    (void)vfs;
    return shim.base->xCurrentTimeInt64(shim.base, now);
}

static int shimSetSystemCall(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr call) {
    (void)vfs;
    return shim.base->xSetSystemCall(shim.base, name, call);
}

static sqlite3_syscall_ptr shimGetSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return shim.base->xGetSystemCall(shim.base, name);
}

static const char *shimNextSystemCall(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return shim.base->xNextSystemCall(shim.base, name);
}

// MARK: Control

int mmufault_register(const char *name) {
    if (name == NULL || strlen(name) == 0 || strlen(name) >= sizeof(shim.name)) return SQLITE_MISUSE;
    pthread_mutex_lock(&shim.mutex);
    if (shim.registered) {
        int same = strcmp(shim.name, name) == 0;
        pthread_mutex_unlock(&shim.mutex);
        return same ? SQLITE_OK : SQLITE_MISUSE;
    }
    int rc = sqlite3_initialize();
    sqlite3_vfs *base = rc == SQLITE_OK ? sqlite3_vfs_find(NULL) : NULL;
    if (base == NULL) {
        pthread_mutex_unlock(&shim.mutex);
        return rc == SQLITE_OK ? SQLITE_ERROR : rc;
    }
    shim.base = base;
    strcpy(shim.name, name);
    sqlite3_vfs *vfs = &shim.vfs;
    memset(vfs, 0, sizeof(*vfs));
    vfs->iVersion = base->iVersion < 3 ? base->iVersion : 3;
    vfs->szOsFile = (int)sizeof(FaultFile) + base->szOsFile;
    vfs->mxPathname = base->mxPathname;
    vfs->zName = shim.name;
    vfs->xOpen = shimOpen;
    vfs->xDelete = shimDelete;
    vfs->xAccess = shimAccess;
    vfs->xFullPathname = shimFullPathname;
    vfs->xDlOpen = base->xDlOpen ? shimDlOpen : NULL;
    vfs->xDlError = base->xDlError ? shimDlError : NULL;
    vfs->xDlSym = base->xDlSym ? shimDlSym : NULL;
    vfs->xDlClose = base->xDlClose ? shimDlClose : NULL;
    vfs->xRandomness = shimRandomness;
    vfs->xSleep = shimSleep;
    vfs->xCurrentTime = shimCurrentTime;
    vfs->xGetLastError = shimGetLastError;
    if (vfs->iVersion >= 2) vfs->xCurrentTimeInt64 = base->xCurrentTimeInt64 ? shimCurrentTimeInt64 : NULL;
    if (vfs->iVersion >= 3) {
        vfs->xSetSystemCall = base->xSetSystemCall ? shimSetSystemCall : NULL;
        vfs->xGetSystemCall = base->xGetSystemCall ? shimGetSystemCall : NULL;
        vfs->xNextSystemCall = base->xNextSystemCall ? shimNextSystemCall : NULL;
    }
    rc = sqlite3_vfs_register(vfs, 0);
    if (rc == SQLITE_OK) shim.registered = 1;
    pthread_mutex_unlock(&shim.mutex);
    return rc;
}

void mmufault_arm(int64_t n, uint32_t mask, int mode) {
    pthread_mutex_lock(&shim.mutex);
    dropUndo(NULL);
    shim.mode = mode;
    shim.mask = mask;
    shim.target = n;
    shim.points = 0;
    shim.failing = 0;
    pthread_mutex_unlock(&shim.mutex);
}

void mmufault_disarm(void) {
    pthread_mutex_lock(&shim.mutex);
    dropUndo(NULL);
    shim.mode = MMUFAULT_MODE_OFF;
    shim.failing = 0;
    pthread_mutex_unlock(&shim.mutex);
}

void mmufault_reset(void) {
    mmufault_disarm();
    pthread_mutex_lock(&shim.mutex);
    memset(shim.counts, 0, sizeof(shim.counts));
    shim.points = 0;
    shim.faults = 0;
    shim.directorySyncs = 0;
    pthread_mutex_unlock(&shim.mutex);
}

int64_t mmufault_count(uint32_t kind) {
    int index = kindIndex(kind);
    if (index < 0) return 0;
    pthread_mutex_lock(&shim.mutex);
    int64_t count = shim.counts[index];
    pthread_mutex_unlock(&shim.mutex);
    return count;
}

int64_t mmufault_points(void) {
    pthread_mutex_lock(&shim.mutex);
    int64_t points = shim.points;
    pthread_mutex_unlock(&shim.mutex);
    return points;
}

int64_t mmufault_faults(void) {
    pthread_mutex_lock(&shim.mutex);
    int64_t faults = shim.faults;
    pthread_mutex_unlock(&shim.mutex);
    return faults;
}

int64_t mmufault_directory_syncs(void) {
    pthread_mutex_lock(&shim.mutex);
    int64_t syncs = shim.directorySyncs;
    pthread_mutex_unlock(&shim.mutex);
    return syncs;
}

int64_t mmufault_pending_undo_records(void) {
    pthread_mutex_lock(&shim.mutex);
    int64_t records = (int64_t)shim.undoCount;
    pthread_mutex_unlock(&shim.mutex);
    return records;
}
