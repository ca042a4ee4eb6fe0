#include "BenchmarkReference.h"
#include <sqlite3.h>
#include <stdio.h>
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

static int timed_rows(const char *path, const char *sql, int64_t a, int64_t b, int64_t c, double *seconds,
                      int64_t *rows, const char **error) {
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) return fail(db, rc, error);
    sqlite3_stmt *query = NULL;
    double start = now();
    if ((rc = sqlite3_prepare_v2(db, sql, -1, &query, NULL)) != SQLITE_OK) return fail(db, rc, error);
    sqlite3_bind_int64(query, 1, a);
    sqlite3_bind_int64(query, 2, b);
    sqlite3_bind_int64(query, 3, c);
    int64_t count = 0, checksum = 0;
    while ((rc = sqlite3_step(query)) == SQLITE_ROW) {
        for (int column = 0; column < sqlite3_column_count(query); column++) checksum += sqlite3_column_int64(query, column);
        count++;
    }
    sqlite3_finalize(query);
    if (rc != SQLITE_DONE) return fail(db, rc, error);
    *seconds = now() - start;
    *rows = count + (checksum == -1);
    sqlite3_close(db);
    return SQLITE_OK;
}

int reference_changed_rows(const char *path, int64_t setId, int64_t from, int64_t to, double *seconds,
                           int64_t *rows, const char **error) {
    double died = 0, born = 0;
    int64_t diedRows = 0, bornRows = 0;
    int rc = timed_rows(path,
        "SELECT vpn, pfn, pageShift, protection, cacheMode FROM mmuEntry WHERE setId = ?1 AND died > ?2 AND died <= ?3 AND born <= ?2",
        setId, from, to, &died, &diedRows, error);
    if (rc != SQLITE_OK) return rc;
    rc = timed_rows(path,
        "SELECT vpn, pfn, pageShift, protection, cacheMode FROM mmuEntry WHERE setId = ?1 AND bgen > ?2 AND bgen <= ?3 AND (died IS NULL OR died > ?3)",
        setId, from, to, &born, &bornRows, error);
    *seconds = died + born;
    *rows = diedRows + bornRows;
    return rc;
}

int reference_group_by(const char *path, int64_t setId, double *seconds, const char **error) {
    int64_t rows = 0;
    return timed_rows(path,
        "SELECT pageShift, protection, count(*), sum(1 << pageShift) FROM mmuEntry WHERE setId = ?1 AND died IS NULL AND ?2 = ?3 GROUP BY pageShift, protection",
        setId, 0, 0, seconds, &rows, error);
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
    return timed_rows(path,
        "SELECT e.vpn, e.pfn, e.pageShift, e.protection, e.cacheMode FROM mmuEntry e "
        "WHERE e.setId = ?1 AND e.born <= ?2 AND (e.died IS NULL OR e.died > ?2) AND ?3 = ?3 ORDER BY e.vpn",
        setId, generation, 0, seconds, rows, error);
}
