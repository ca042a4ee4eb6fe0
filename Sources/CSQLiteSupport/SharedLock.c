#define _GNU_SOURCE
#include "CSQLiteSupport.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>

// SQLite's lock bytes on a database file (os_unix.c): PENDING_BYTE, then RESERVED_BYTE,
// then the SHARED range. A SHARED lock is a read lock on the whole range, taken while
// holding a read lock on PENDING_BYTE (which a writer waiting for EXCLUSIVE write-locks).
enum { pending_byte = 0x40000000, shared_first = pending_byte + 2, shared_size = 510 };

static int ofd_lock(int fd, short type, off_t start, off_t length) {
    struct flock lock;
    memset(&lock, 0, sizeof lock);
    lock.l_type = type;
    lock.l_whence = SEEK_SET;
    lock.l_start = start;
    lock.l_len = length;
    return fcntl(fd, F_OFD_SETLK, &lock) == 0 ? 0 : errno;
}

int mmu_sqlite_shared_lock(int fd) {
    int error = ofd_lock(fd, F_RDLCK, pending_byte, 1);
    if (error) return error;
    error = ofd_lock(fd, F_RDLCK, shared_first, shared_size);
    int released = ofd_lock(fd, F_UNLCK, pending_byte, 1);
    return error ? error : released;
}
