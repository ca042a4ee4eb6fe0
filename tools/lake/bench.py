#!/usr/bin/env python3
"""The runs lake's figures: lake build rate, and one cross-run query over the lake with DuckDB
against a loop of SQLite queries over the run files, in the same process, answers checked equal.

    bench.py [--runs 100] [--entries 100000] [--repeat 5] [--jobs N] [--mmu PATH] [--dir DIR]

Makes RUNS run files of ENTRIES live 4 KiB entries each with `mmu` (set p: one load, then per run
its own reprotected range and page counters on 1,000 pages; kept in DIR for a rerun), builds the
lake from them once (entries/s and runs/s), then times the query REPEAT times each way, alternating
(median, min and max). Run it with the interpreter of tools/python/provision and a release mmu:
    swift build -c release --product mmu
    .build/python-venv/bin/python tools/lake/bench.py --mmu .build/release/mmu
"""

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

from mmulake import add, duckdb_views  # noqa: E402

QUERY = "SELECT protection, count(*) AS entries, sum(pageBytes) AS bytes FROM liveEntry GROUP BY protection"


def make_runs(mmu, directory, runs, entries):
    """RUNS files of ENTRIES live entries: one base load made once (set p, ENTRIES pages of rw-u),
    copied, then in each copy its own reprotected 64 KiB range and its own page counters on 1,000
    pages (two more transactions)."""
    def mmu_run(path, *arguments, stdin=None):
        subprocess.run([mmu, *arguments, "--database", path], input=stdin, text=True, check=True, stdout=subprocess.DEVNULL)

    base = os.path.join(directory, "base.sqlite")
    if not os.path.exists(base):
        partial = base + ".partial"
        for stale in (partial, partial + "-wal", partial + "-shm"):
            if os.path.exists(stale):
                os.remove(stale)
        mmu_run(partial, "init")
        mmu_run(partial, "sets", "create", "p")
        mmu_run(partial, "map", "p", "0x400000", "0x10000000", "--count", str(entries), "-p", "rw-u")
        os.rename(partial, base)
    files = []
    for index in range(runs):
        path = os.path.join(directory, f"run-{index:04d}.sqlite")
        files.append(path)
        if os.path.exists(path):
            continue
        partial = path + ".partial"
        shutil.copyfile(base, partial)
        mmu_run(partial, "protect", "p", hex(0x400000 + (index * 37 % (entries // 16)) * 0x10000), "64K", "r--u")
        accesses = "".join(
            json.dumps({"op": "access", "va": hex(0x400000 + ((page * 7 + index * 13) % entries) * 0x1000),
                        "write": page % 3 == 0, "count": 1 + (page + index) % 5}) + "\n"
            for page in range(1000))
        mmu_run(partial, "apply", "p", stdin=accesses)
        os.rename(partial, path)
    return files


def sqlite_loop(files):
    totals = {}
    for path in files:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for protection, count, size in connection.execute(QUERY):
            entries, total = totals.get(protection, (0, 0))
            totals[protection] = (entries + count, total + size)
        connection.close()
    return sorted((protection, entries, total) for protection, (entries, total) in totals.items())


def duckdb_lake(connection):
    return sorted(tuple(int(value) if isinstance(value, int) else value for value in row) for row in connection.execute(QUERY).fetchall())


def summary(samples):
    return {"median": round(statistics.median(samples), 4), "min": round(min(samples), 4), "max": round(max(samples), 4)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--entries", type=int, default=100000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--mmu", default=os.environ.get("MMU") or shutil.which("mmu"))
    parser.add_argument("--dir", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "mmu-lake-bench"))
    arguments = parser.parse_args()
    if not arguments.mmu:
        sys.exit("bench.py: pass --mmu PATH (a release build: swift build -c release --product mmu)")
    runs_directory = os.path.join(arguments.dir, f"runs-{arguments.runs}x{arguments.entries}")
    os.makedirs(runs_directory, exist_ok=True)
    started = time.monotonic()
    files = make_runs(arguments.mmu, runs_directory, arguments.runs, arguments.entries)
    print(f"{len(files)} run files ready in {time.monotonic() - started:.1f} s ({runs_directory})", file=sys.stderr)

    lake = os.path.join(arguments.dir, "lake")
    shutil.rmtree(lake, ignore_errors=True)
    started = time.monotonic()
    records = add.Adder(lake, arguments.mmu, jobs=arguments.jobs).add(files)
    build = time.monotonic() - started
    if any(record["action"] != "added" for record in records):
        sys.exit(f"bench.py: not every run was added: {[r for r in records if r['action'] != 'added'][:3]}")
    rows = sum(record["rows"] for record in records)
    live = sum(record["entries"] for record in records)
    lake_bytes = sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(lake) for name in names)
    file_bytes = sum(os.path.getsize(path) for path in files)

    connection = duckdb_views.connect(lake)
    loop, engine = [], []
    answer = None
    for _ in range(arguments.repeat):
        started = time.monotonic()
        expected = sqlite_loop(files)
        loop.append(time.monotonic() - started)
        started = time.monotonic()
        found = duckdb_lake(connection)
        engine.append(time.monotonic() - started)
        if found != expected:
            sys.exit(f"bench.py: DuckDB on the lake answered {found}, SQLite over the files {expected}")
        answer = found
    result = {
        "runs": len(files), "liveEntriesPerRun": arguments.entries, "jobs": arguments.jobs or os.cpu_count(),
        "build": {"seconds": round(build, 2), "runsPerSecond": round(len(files) / build, 2),
                  "liveEntriesPerSecond": round(live / build), "rowsPerSecond": round(rows / build)},
        "runFileBytes": file_bytes, "lakeBytes": lake_bytes,
        "query": QUERY, "answer": answer,
        "sqliteLoopSeconds": summary(loop), "duckdbLakeSeconds": summary(engine),
        "speedup": round(statistics.median(loop) / statistics.median(engine), 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
