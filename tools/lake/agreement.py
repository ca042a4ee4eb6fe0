#!/usr/bin/env python3
"""Answers the same questions about many run files three ways, for the tests to compare:
(a) SQLite on each file (Python's sqlite3, the files' own views), combined here; (b) DuckDB on the
lake; (c) Spark SQL on the lake (local mode). Prints one JSON document:
{"sqlite": {QUESTION: ROWS}, "duckdb": {...}, "spark": {...}, "sqliteScan": {...}}, each ROWS
sorted, values as JSON; "sqliteScan" answers one question (live entries and bytes per run and set)
through DuckDB's SQLite extension reading the files in place, as the README shows.

    agreement.py LAKE LABELS.csv FILE...     (LABELS.csv as for mmu-lake add: run,workload,...)

Only for files you made (they are opened directly, read-only); the lake's are checked by mmu rows.
"""

import collections
import decimal
import json
import os
import sqlite3
import sys

import duckdb

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

from mmulake import add, duckdb_views, spark_views, views  # noqa: E402

CROSS_RUN = {
    # pages hot in many runs: in how many runs each page was touched, and how often in all
    "hotPages": "SELECT virtualAddress, count(DISTINCT run) AS runs, sum(accesses) AS accesses FROM pageHeat GROUP BY virtualAddress",
    # the page-size mix of each workload
    "sizeMix": "SELECT r.workload, p.pageBytes, sum(p.entries) AS entries, sum(p.bytes) AS bytes "
               "FROM pageSizeStatistics p JOIN runs r ON r.run = p.run GROUP BY r.workload, p.pageBytes",
    # promotions (resizes) per run
    "promotions": "SELECT run, sum(resizes) AS resizes, count(*) AS transactions FROM transactionHistory GROUP BY run",
}


# Live entries and bytes per run and set, from the tables (what DuckDB's SQLite extension reads well).
LIVE_PER_SET = ("SELECT e.run, t.name AS setName, count(*) AS entries, sum(CAST(power(2, e.pageShift) AS BIGINT)) AS bytes "
                "FROM mmuEntry e JOIN translationSet t ON t.run = e.run AND t.id = e.setId "
                "WHERE e.died IS NULL GROUP BY e.run, t.name")


def canonical(value):
    if isinstance(value, decimal.Decimal):
        return int(value)
    if isinstance(value, bool):
        return int(value)
    return value


def rows_of(rows):
    return sorted(([canonical(value) for value in row] for row in rows), key=lambda row: json.dumps(row))


def from_sqlite(files, labels):
    answers = {name: [] for name in views.SQLITE_COLUMNS}
    hot = collections.defaultdict(lambda: [0, 0])
    mix = collections.defaultdict(lambda: [0, 0])
    promotions = []
    for path in files:
        run = add.run_id(path)
        connection = sqlite3.connect(f"file:{os.path.abspath(path)}?mode=ro", uri=True)
        for name, columns in views.SQLITE_COLUMNS.items():
            for row in connection.execute(f"SELECT {', '.join(columns)} FROM {name}"):
                answers[name].append(list(row) + [run])
        for address, accesses in connection.execute("SELECT virtualAddress, sum(accesses) FROM pageHeat GROUP BY virtualAddress"):
            hot[address][0] += 1
            hot[address][1] += accesses
        workload = labels.get(run, {}).get("workload")
        for size, entries, size_bytes in connection.execute(
                "SELECT pageBytes, sum(entries), sum(bytes) FROM pageSizeStatistics GROUP BY pageBytes"):
            mix[(workload, size)][0] += entries
            mix[(workload, size)][1] += size_bytes
        for name, entries, size_bytes in connection.execute(
                "SELECT t.name, count(*), sum(1 << e.pageShift) FROM mmuEntry e JOIN translationSet t ON t.id = e.setId "
                "WHERE e.died IS NULL GROUP BY t.name"):
            answers.setdefault("livePerSet", []).append([run, name, entries, size_bytes])
        resizes, transactions = connection.execute("SELECT sum(resizes), count(*) FROM transactionHistory").fetchone()
        if transactions:
            promotions.append([run, resizes, transactions])
        connection.close()
    answers["hotPages"] = [[address, runs, accesses] for address, (runs, accesses) in hot.items()]
    answers["sizeMix"] = [[workload, size, entries, size_bytes] for (workload, size), (entries, size_bytes) in mix.items()]
    answers["promotions"] = promotions
    return {name: rows_of(rows) for name, rows in answers.items()}


def questions():
    asked = {name: f"SELECT {', '.join(columns)}, run FROM {name}" for name, columns in views.SQLITE_COLUMNS.items()}
    asked.update(CROSS_RUN)
    asked["livePerSet"] = LIVE_PER_SET
    return asked


def from_duckdb(lake):
    connection = duckdb_views.connect(lake)
    return {name: rows_of(connection.execute(sql).fetchall()) for name, sql in questions().items()}


def from_spark(lake):
    spark = spark_views.session()
    spark.sparkContext.setLogLevel("ERROR")
    spark_views.define(spark, lake)
    try:
        return {name: rows_of(tuple(row) for row in spark.sql(sql).collect()) for name, sql in questions().items()}
    finally:
        spark.stop()


def from_sqlite_scan(files):
    connection = duckdb_views.load_sqlite(duckdb.connect())

    def scan(table):
        return " UNION ALL ".join(
            f"SELECT '{add.run_id(path)}' AS run, * FROM sqlite_scan('{os.path.abspath(path)}', '{table}')" for path in files)

    sql = LIVE_PER_SET.replace("FROM mmuEntry e", f"FROM ({scan('mmuEntry')}) e").replace(
        "JOIN translationSet t", f"JOIN ({scan('translationSet')}) t")
    return {"livePerSet": rows_of(connection.execute(sql).fetchall())}


def main():
    lake, labels_path, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    labels = add.read_labels(labels_path)
    print(json.dumps({"sqlite": from_sqlite(files, labels), "duckdb": from_duckdb(lake), "spark": from_spark(lake),
                      "sqliteScan": from_sqlite_scan(files)}, sort_keys=True))


if __name__ == "__main__":
    main()
