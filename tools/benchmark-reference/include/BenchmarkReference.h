#ifndef BENCHMARK_REFERENCE_H
#define BENCHMARK_REFERENCE_H

#include <stdint.h>

// The raw SQLite C API doing what the store does, for the benchmark's same-run references.
// Each returns 0 on success, or an SQLite result code with a message in `error` (static buffer).
// Reads are timed as the store runs them: on an open, warm connection with the statement
// prepared outside the timed region (one untimed run first, whose rows the timed run must repeat).

/// Creates `path` with `schema` (the store's migration SQL) in WAL mode with synchronous=FULL,
/// adds set `setId`, then times one transaction inserting `count` 4 KiB entries
/// (vpn = firstPage + i, pfn = firstFrame + i, born 0, protection 11) into mmuEntry.
int reference_bulk_insert(const char *path, const char *schema, int64_t setId, int64_t firstPage,
                          int64_t firstFrame, int64_t count, double *seconds, const char **error);

/// Times reading every entry of set `setId` visible at `generation` with the store's query,
/// in vpn order, decoding each column; `rows` receives the number read.
int reference_read_generation(const char *path, int64_t setId, int64_t generation, double *seconds,
                              int64_t *rows, const char **error);

/// Times one transaction inserting a snapshot row for set `setId` (WAL, synchronous=FULL):
/// what naming a generation costs at the SQLite level, fsync included.
int reference_snapshot(const char *path, int64_t setId, int64_t serial, double *seconds, const char **error);

/// Times the two index reads of a diff between generations `from` < `to` of set `setId`
/// (rows that died between them, rows born between them); `rows` receives the rows read.
int reference_changed_rows(const char *path, int64_t setId, int64_t from, int64_t to, double *seconds,
                           int64_t *rows, const char **error);

/// Times a naive statistics query: a GROUP BY over every live row of set `setId`; `entries`
/// receives the live entries it counted.
int reference_group_by(const char *path, int64_t setId, double *seconds, int64_t *entries, const char **error);

/// Times reading the counters the store's statistics read (liveSummary of the set and the
/// global set, the accessed and dirty counts, the snapshot and transaction counts);
/// `entries` receives the live entries the summary counts.
int reference_counters(const char *path, int64_t setId, double *seconds, int64_t *entries, const char **error);

/// Creates `path` with `schema` (the store's migration SQL) as the store's writer sets up its
/// connection (WAL, synchronous=FULL, foreign keys on), adds set `setId`, then times the
/// `pageActivity` writes of a replay and nothing else: the floor under the store's work.
///
/// Transaction `t` (0 ..< `transactions`, which is also its generation, as in the store) touches
/// the next `pageCounts[t]` pages of the flat arrays `pages`, `accesses`, `writes` and `faults`
/// (each transaction's pages in increasing order, with what it adds to each counter). Each
/// transaction runs inside `BEGIN IMMEDIATE` ... `COMMIT`, or `transactionsPerCommit` of them
/// share one (group commit); per page, the counters kept in memory here (no SELECT) are added to
/// and written by an UPDATE of the page's row, or by an INSERT with firstGeneration =
/// lastGeneration = `t` when the page is new. Statements are prepared before the timed region.
int reference_replay_counters(const char *path, const char *schema, int64_t setId, int64_t transactions,
                              const int64_t *pageCounts, const int64_t *pages, const int64_t *accesses,
                              const int64_t *writes, const int64_t *faults, int64_t transactionsPerCommit,
                              double *seconds, const char **error);

/// One `pageActivity` row: a page's counters and the generations that first and last touched it.
typedef struct {
    int64_t page;
    int64_t accesses;
    int64_t writes;
    int64_t faults;
    int64_t firstGeneration;
    int64_t lastGeneration;
} reference_activity_row;

/// Reads the `pageActivity` rows of set `setId` in `path`, in page order, into `rows` (room for
/// `capacity`); `count` receives how many. More rows than `capacity` is an error (SQLITE_FULL).
int reference_activity_rows(const char *path, int64_t setId, reference_activity_row *rows, int64_t capacity,
                            int64_t *count, const char **error);

#endif
