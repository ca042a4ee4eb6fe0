#include "CSQLiteSupport.h"
#include <sqlite3.h>

static int set_flag(sqlite3 *db, int option, int value) {
    int current = -1;
    return sqlite3_db_config(db, option, value, &current);
}

int mmu_sqlite_harden(void *handle, int untrusted) {
    sqlite3 *db = handle;
    int rc;
    if ((rc = set_flag(db, SQLITE_DBCONFIG_DEFENSIVE, 1)) != SQLITE_OK) return rc;
    if ((rc = set_flag(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0)) != SQLITE_OK) return rc;
    if ((rc = set_flag(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0)) != SQLITE_OK) return rc;
    if (untrusted) {
        if ((rc = set_flag(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0)) != SQLITE_OK) return rc;
        if ((rc = set_flag(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0)) != SQLITE_OK) return rc;
        sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
        sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);
        sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
        sqlite3_limit(db, SQLITE_LIMIT_COLUMN, 100);
        sqlite3_limit(db, SQLITE_LIMIT_EXPR_DEPTH, 50);
        sqlite3_limit(db, SQLITE_LIMIT_VDBE_OP, 250000);
    }
    return SQLITE_OK;
}

void mmu_sqlite_forbid_attach(void *handle) {
    sqlite3_limit((sqlite3 *)handle, SQLITE_LIMIT_ATTACHED, 0);
}

int mmu_sqlite_db_config_flag(void *handle, int option) {
    int current = -1;
    if (sqlite3_db_config((sqlite3 *)handle, option, -1, &current) != SQLITE_OK) return -1;
    return current;
}
