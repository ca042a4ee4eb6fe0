#include "BenchmarkReference.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static char message[512];

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(sqlite3 *db, int rc, const char **error) {
    snprintf(message, sizeof message, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    *error = message;
    if (db) sqlite3_close(db);
    return rc;
}

int reference_bulk_insert(const char *path, const char *schema, int64_t setId, int64_t firstPage,
                          int64_t firstFrame, int64_t count, double *seconds, const char **error) {
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc != SQLITE_OK) return fail(db, rc, error);
    if ((rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", 0, 0, 0)) != SQLITE_OK) return fail(db, rc, error);
    if ((rc = sqlite3_exec(db, schema, 0, 0, 0)) != SQLITE_OK) return fail(db, rc, error);
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO translationSet (id, name, createdAt) VALUES (%lld, 'reference', 'now')", (long long)setId);
    if ((rc = sqlite3_exec(db, sql, 0, 0, 0)) != SQLITE_OK) return fail(db, rc, error);
    sqlite3_stmt *insert = NULL;
    double start = now();
    if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0)) != SQLITE_OK) return fail(db, rc, error);
    rc = sqlite3_prepare_v2(db,
        "INSERT INTO mmuEntry (setId, vpn, born, pfn, pageShift, protection, cacheMode) VALUES (?1, ?2, 0, ?3, 12, 11, 0)",
        -1, &insert, NULL);
    if (rc != SQLITE_OK) return fail(db, rc, error);
    for (int64_t i = 0; i < count; i++) {
        sqlite3_bind_int64(insert, 1, setId);
        sqlite3_bind_int64(insert, 2, firstPage + i);
        sqlite3_bind_int64(insert, 3, firstFrame + i);
        if ((rc = sqlite3_step(insert)) != SQLITE_DONE) { sqlite3_finalize(insert); return fail(db, rc, error); }
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    if ((rc = sqlite3_exec(db, "COMMIT", 0, 0, 0)) != SQLITE_OK) return fail(db, rc, error);
    *seconds = now() - start;
    sqlite3_close(db);
    return SQLITE_OK;
}

/* Runs `query` (bound to a, b, c) to its end; `rows` and `checksum` receive what it returned. */
static int run_rows(sqlite3_stmt *query, int64_t a, int64_t b, int64_t c, int64_t *rows, int64_t *checksum) {
    sqlite3_reset(query);
    sqlite3_bind_int64(query, 1, a);
    sqlite3_bind_int64(query, 2, b);
    sqlite3_bind_int64(query, 3, c);
    int64_t count = 0, sum = 0;
    int rc;
    while ((rc = sqlite3_step(query)) == SQLITE_ROW) {
        for (int column = 0; column < sqlite3_column_count(query); column++) sum += sqlite3_column_int64(query, column);
        count++;
    }
    *rows = count;
    *checksum = sum;
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Times `sql` as the store runs its reads: on a connection already open and warm, with the
   statement prepared outside the timed region. The query runs once untimed (opening the
   connection, reading the schema, warming the page cache), then once timed; both runs must
   return the same rows. */
static int timed_rows(const char *path, const char *sql, int64_t a, int64_t b, int64_t c, double *seconds,
                      int64_t *rows, int64_t *checksum, const char **error) {
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) return fail(db, rc, error);
    sqlite3_stmt *query = NULL;
    if ((rc = sqlite3_prepare_v2(db, sql, -1, &query, NULL)) != SQLITE_OK) return fail(db, rc, error);
    int64_t warmRows = 0, warmSum = 0;
    if ((rc = run_rows(query, a, b, c, &warmRows, &warmSum)) != SQLITE_OK) { sqlite3_finalize(query); return fail(db, rc, error); }
    double start = now();
    rc = run_rows(query, a, b, c, rows, checksum);
    *seconds = now() - start;
    sqlite3_finalize(query);
    if (rc != SQLITE_OK) return fail(db, rc, error);
    if (*rows != warmRows || *checksum != warmSum) {
        snprintf(message, sizeof message, "the timed run returned other rows than the warm-up run");
        *error = message;
        sqlite3_close(db);
        return SQLITE_ERROR;
    }
    sqlite3_close(db);
    return SQLITE_OK;
}

int reference_changed_rows(const char *path, int64_t setId, int64_t from, int64_t to, double *seconds,
                           int64_t *rows, const char **error) {
    double died = 0, born = 0;
    int64_t diedRows = 0, bornRows = 0, checksum = 0;
    int rc = timed_rows(path,
        "SELECT vpn, pfn, pageShift, protection, cacheMode FROM mmuEntry WHERE setId = ?1 AND died > ?2 AND died <= ?3 AND born <= ?2",
        setId, from, to, &died, &diedRows, &checksum, error);
    if (rc != SQLITE_OK) return rc;
    rc = timed_rows(path,
        "SELECT vpn, pfn, pageShift, protection, cacheMode FROM mmuEntry WHERE setId = ?1 AND bgen > ?2 AND bgen <= ?3 AND (died IS NULL OR died > ?3)",
        setId, from, to, &born, &bornRows, &checksum, error);
    *seconds = died + born;
    *rows = diedRows + bornRows;
    return rc;
}

int reference_group_by(const char *path, int64_t setId, double *seconds, int64_t *entries, const char **error) {
    int64_t rows = 0, checksum = 0;
    int rc = timed_rows(path,
        "SELECT count(*) FROM mmuEntry WHERE setId = ?1 AND died IS NULL AND ?2 = ?3 GROUP BY pageShift, protection",
        setId, 0, 0, seconds, &rows, &checksum, error);
    *entries = checksum;
    return rc;
}

int reference_counters(const char *path, int64_t setId, double *seconds, int64_t *entries, const char **error) {
    static const char *queries[] = {
        "SELECT entries FROM liveSummary WHERE setId IN (?1, 1) AND ?2 = ?3",
        "SELECT count(*) FROM entryState WHERE setId = ?1 AND accessed = 1 AND ?2 = ?3",
        "SELECT count(*) FROM entryState WHERE setId = ?1 AND dirty = 1 AND ?2 = ?3",
        "SELECT count(*) FROM snapshot WHERE setId = ?1 AND ?2 = ?3",
        "SELECT count(*) FROM transactionLog WHERE setId = ?1 AND ?2 = ?3",
    };
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) return fail(db, rc, error);
    sqlite3_stmt *prepared[5] = {0};
    for (int i = 0; i < 5; i++) {
        if ((rc = sqlite3_prepare_v2(db, queries[i], -1, &prepared[i], NULL)) != SQLITE_OK) {
            for (int j = 0; j < i; j++) sqlite3_finalize(prepared[j]);
            return fail(db, rc, error);
        }
    }
    int64_t rows = 0, sums[5] = {0};
    for (int pass = 0; pass < 2 && rc == SQLITE_OK; pass++) {
        double start = now();
        for (int i = 0; i < 5 && rc == SQLITE_OK; i++) rc = run_rows(prepared[i], setId, 0, 0, &rows, &sums[i]);
        *seconds = now() - start;
    }
    for (int i = 0; i < 5; i++) sqlite3_finalize(prepared[i]);
    if (rc != SQLITE_OK) return fail(db, rc, error);
    *entries = sums[0];
    sqlite3_close(db);
    return SQLITE_OK;
}

int reference_snapshot(const char *path, int64_t setId, int64_t serial, double *seconds, const char **error) {
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc != SQLITE_OK) return fail(db, rc, error);
    if ((rc = sqlite3_exec(db, "PRAGMA synchronous=FULL", 0, 0, 0)) != SQLITE_OK) return fail(db, rc, error);
    char sql[256];
    snprintf(sql, sizeof sql,
        "BEGIN IMMEDIATE; INSERT INTO snapshot (setId, name, generation, globalGeneration, createdAt) "
        "VALUES (%lld, 'reference-%lld', 0, -1, 'now'); COMMIT;", (long long)setId, (long long)serial);
    double start = now();
    if ((rc = sqlite3_exec(db, sql, 0, 0, 0)) != SQLITE_OK) return fail(db, rc, error);
    *seconds = now() - start;
    sqlite3_close(db);
    return SQLITE_OK;
}

int reference_read_generation(const char *path, int64_t setId, int64_t generation, double *seconds,
                              int64_t *rows, const char **error) {
    int64_t checksum = 0;
    return timed_rows(path,
        "SELECT e.vpn, e.pfn, e.pageShift, e.protection, e.cacheMode FROM mmuEntry e "
        "WHERE e.setId = ?1 AND e.born <= ?2 AND (e.died IS NULL OR e.died > ?2) AND ?3 = ?3 ORDER BY e.vpn",
        setId, generation, 0, seconds, rows, &checksum, error);
}

/* The counters of the pages a replay has counted so far, by page: open addressing, doubled
   when half full. */
typedef struct {
    int64_t *pages; /* -1 in an empty slot */
    int64_t *accesses, *writes, *faults;
    int64_t capacity, count;
} counter_table;

static void counters_free(counter_table *table) {
    free(table->pages);
    free(table->accesses);
    free(table->writes);
    free(table->faults);
    table->pages = table->accesses = table->writes = table->faults = NULL;
}

static int counters_allocate(counter_table *table, int64_t capacity) {
    table->pages = malloc(capacity * sizeof(int64_t));
    table->accesses = malloc(capacity * sizeof(int64_t));
    table->writes = malloc(capacity * sizeof(int64_t));
    table->faults = malloc(capacity * sizeof(int64_t));
    table->capacity = capacity;
    table->count = 0;
    if (!table->pages || !table->accesses || !table->writes || !table->faults) {
        counters_free(table);
        return SQLITE_NOMEM;
    }
    for (int64_t slot = 0; slot < capacity; slot++) table->pages[slot] = -1;
    return SQLITE_OK;
}

/* The slot of `page`: where it is, or the empty slot where it belongs. */
static int64_t counters_slot(const counter_table *table, int64_t page) {
    int64_t slot = (int64_t)(((uint64_t)page * 0x9E3779B97F4A7C15ull) >> 20) & (table->capacity - 1);
    while (table->pages[slot] != -1 && table->pages[slot] != page) slot = (slot + 1) & (table->capacity - 1);
    return slot;
}

/* Doubles the table when it is half full. */
static int counters_make_room(counter_table *table) {
    if (2 * (table->count + 1) <= table->capacity) return SQLITE_OK;
    counter_table larger;
    int rc = counters_allocate(&larger, 2 * table->capacity);
    if (rc != SQLITE_OK) return rc;
    for (int64_t slot = 0; slot < table->capacity; slot++) {
        if (table->pages[slot] == -1) continue;
        int64_t moved = counters_slot(&larger, table->pages[slot]);
        larger.pages[moved] = table->pages[slot];
        larger.accesses[moved] = table->accesses[slot];
        larger.writes[moved] = table->writes[slot];
        larger.faults[moved] = table->faults[slot];
    }
    larger.count = table->count;
    counters_free(table);
    *table = larger;
    return SQLITE_OK;
}

/* Runs a statement without results (BEGIN, COMMIT, an UPDATE or INSERT bound already). */
static int step_done(sqlite3_stmt *statement) {
    int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

int reference_replay_counters(const char *path, const char *schema, int64_t setId, int64_t transactions,
                              const int64_t *pageCounts, const int64_t *pages, const int64_t *accesses,
                              const int64_t *writes, const int64_t *faults, int64_t transactionsPerCommit,
                              double *seconds, const char **error) {
    if (transactionsPerCommit < 1) {
        snprintf(message, sizeof message, "transactions per commit must be at least 1, not %lld", (long long)transactionsPerCommit);
        *error = message;
        return SQLITE_MISUSE;
    }
    sqlite3 *db = NULL;
    sqlite3_stmt *begin = NULL, *commit = NULL, *update = NULL, *insert = NULL;
    counter_table counters = {0};
    int rc = sqlite3_open(path, &db);
    if (rc != SQLITE_OK) goto done;
    /* The store's writer: WAL (GRDB's pool), synchronous=FULL (its durability), foreign keys on (GRDB). */
    if ((rc = sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", 0, 0, 0)) != SQLITE_OK) goto done;
    if ((rc = sqlite3_exec(db, schema, 0, 0, 0)) != SQLITE_OK) goto done;
    char sql[256];
    snprintf(sql, sizeof sql, "INSERT INTO translationSet (id, name, createdAt) VALUES (%lld, 'reference', 'now')", (long long)setId);
    if ((rc = sqlite3_exec(db, sql, 0, 0, 0)) != SQLITE_OK) goto done;
    if ((rc = sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL)) != SQLITE_OK) goto done;
    if ((rc = sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL)) != SQLITE_OK) goto done;
    rc = sqlite3_prepare_v2(db,
        "UPDATE pageActivity SET accesses = ?3, writes = ?4, faults = ?5, lastGeneration = ?6 WHERE setId = ?1 AND vpn = ?2",
        -1, &update, NULL);
    if (rc != SQLITE_OK) goto done;
    rc = sqlite3_prepare_v2(db,
        "INSERT INTO pageActivity (setId, vpn, accesses, writes, faults, firstGeneration, lastGeneration) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        -1, &insert, NULL);
    if (rc != SQLITE_OK) goto done;
    if ((rc = counters_allocate(&counters, 1024)) != SQLITE_OK) goto done;
    double start = now();
    int64_t next = 0;
    for (int64_t generation = 0; generation < transactions; generation++) {
        if (generation % transactionsPerCommit == 0 && (rc = step_done(begin)) != SQLITE_OK) goto done;
        for (int64_t end = next + pageCounts[generation]; next < end; next++) {
            if ((rc = counters_make_room(&counters)) != SQLITE_OK) goto done;
            int64_t slot = counters_slot(&counters, pages[next]);
            sqlite3_stmt *write = update;
            if (counters.pages[slot] == -1) {
                counters.pages[slot] = pages[next];
                counters.accesses[slot] = counters.writes[slot] = counters.faults[slot] = 0;
                counters.count++;
                write = insert;
            }
            counters.accesses[slot] += accesses[next];
            counters.writes[slot] += writes[next];
            counters.faults[slot] += faults[next];
            sqlite3_bind_int64(write, 1, setId);
            sqlite3_bind_int64(write, 2, pages[next]);
            sqlite3_bind_int64(write, 3, counters.accesses[slot]);
            sqlite3_bind_int64(write, 4, counters.writes[slot]);
            sqlite3_bind_int64(write, 5, counters.faults[slot]);
            sqlite3_bind_int64(write, 6, generation);
            sqlite3_bind_int64(write, 7, generation);
            if ((rc = step_done(write)) != SQLITE_OK) goto done;
        }
        if ((generation + 1) % transactionsPerCommit == 0 || generation + 1 == transactions) {
            if ((rc = step_done(commit)) != SQLITE_OK) goto done;
        }
    }
    *seconds = now() - start;
done:
    if (rc != SQLITE_OK) {
        snprintf(message, sizeof message, "%s", db && rc != SQLITE_NOMEM ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        *error = message;
    }
    counters_free(&counters);
    sqlite3_finalize(begin);
    sqlite3_finalize(commit);
    sqlite3_finalize(update);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return rc;
}

int reference_activity_rows(const char *path, int64_t setId, reference_activity_row *rows, int64_t capacity,
                            int64_t *count, const char **error) {
    sqlite3 *db = NULL;
    sqlite3_stmt *query = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_prepare_v2(db,
            "SELECT vpn, accesses, writes, faults, firstGeneration, lastGeneration FROM pageActivity WHERE setId = ?1 ORDER BY vpn",
            -1, &query, NULL);
    }
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(query, 1, setId);
        *count = 0;
        while ((rc = sqlite3_step(query)) == SQLITE_ROW) {
            if (*count == capacity) {
                snprintf(message, sizeof message, "%s holds more than %lld pageActivity rows of set %lld", path,
                         (long long)capacity, (long long)setId);
                *error = message;
                sqlite3_finalize(query);
                sqlite3_close(db);
                return SQLITE_FULL;
            }
            reference_activity_row *row = &rows[(*count)++];
            row->page = sqlite3_column_int64(query, 0);
            row->accesses = sqlite3_column_int64(query, 1);
            row->writes = sqlite3_column_int64(query, 2);
            row->faults = sqlite3_column_int64(query, 3);
            row->firstGeneration = sqlite3_column_int64(query, 4);
            row->lastGeneration = sqlite3_column_int64(query, 5);
        }
        if (rc == SQLITE_DONE) rc = SQLITE_OK;
    }
    if (rc != SQLITE_OK) {
        snprintf(message, sizeof message, "%s", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        *error = message;
    }
    sqlite3_finalize(query);
    sqlite3_close(db);
    return rc;
}
