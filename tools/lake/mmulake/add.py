"""Adding run files to the lake: checked by `mmu rows`, converted to Parquet in parallel, published
by renames, committed by writing runs.parquet last.

A run is published in three steps, so that a kill at any moment leaves each run in the lake exactly
once (or not yet, until the next `add`):
1. in a worker (one per core): `mmu rows FILE` checks the file as an untrusted file and writes its
   tables as CSV under LAKE/.staging; they become Parquet files there, each synced;
2. in the one publishing thread: if the run was in the lake, runs.parquet is first committed
   without it; then each table's file is renamed over table=T/run=RUN/part.parquet (one name per
   table and run, so a table never holds a run twice);
3. runs.parquet, the commit point, is written to a temporary name, synced and renamed (at most
   once a second while work remains, and at the end). Readers see only runs it lists.
A run already committed is skipped when its file has the same path, size and modification time,
or when its checked contents have the same fingerprint (sets, heads, digests, snapshots, log).
"""

import concurrent.futures
import csv
import datetime
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from . import layout

STAGE = re.compile(r"rejected at stage '([^']+)'")


class LakeError(Exception):
    """A refusal of the whole `add` (a bad label file, a busy lake); nothing was changed."""


def read_runs(lake):
    """The committed runs: {run: row as a dict}, and the label names, from runs.parquet."""
    path = os.path.join(lake, layout.RUNS_FILE)
    if not os.path.exists(path):
        return {}, []
    table = pq.read_table(path)
    known = {name for name, _ in layout.RUN_COLUMNS}
    labels = [name for name in table.column_names if name not in known]
    return {row["run"]: row for row in table.to_pylist()}, labels


def read_labels(path):
    """{run: {label: value}} from a CSV file whose header is `run,LABEL,...`."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if not rows or not rows[0] or rows[0][0] != "run":
        raise LakeError(f"{path}: the first line must be the header run,LABEL,... (for example run,workload,policy)")
    names = rows[0][1:]
    reserved = {name for name, _ in layout.RUN_COLUMNS}
    for name in names:
        if not layout.LABEL_NAME.match(name) or name in reserved:
            raise LakeError(f"{path}: {name!r} cannot be a label name (letters, digits and _, not one of {sorted(reserved)})")
    if len(set(names)) != len(names):
        raise LakeError(f"{path}: a label is named twice in the header")
    labels = {}
    for number, row in enumerate(rows[1:], start=2):
        if not row:
            continue
        if len(row) != len(names) + 1:
            raise LakeError(f"{path}:{number}: {len(row)} fields, the header has {len(names) + 1}")
        if row[0] in labels:
            raise LakeError(f"{path}:{number}: run {row[0]!r} is labelled twice")
        labels[row[0]] = dict(zip(names, row[1:]))
    return labels


def run_id(path):
    """The run's name in the lake: the file name without its extension."""
    return os.path.splitext(os.path.basename(path))[0]


def fingerprint(sets, snapshots, last):
    """A digest of what says whether a run changed: every set row (heads, digests, seals), every
    snapshot row, and the last log row (its sequence and chain)."""
    digest = hashlib.sha256()
    for rows in (sets, snapshots):
        digest.update(json.dumps(sorted(rows.to_pylist(), key=lambda row: row["id"]), sort_keys=True).encode())
    digest.update(json.dumps(last and [last["sequence"], last["chain"]]).encode())
    return digest.hexdigest()


def _read_csv(path, table):
    """A streaming reader of a table's CSV file from `mmu rows`, in blocks of 4 MiB (bounded
    memory, whatever the run's size)."""
    has_text = any(kind == pa.string() for _, kind in layout.TABLES[table])
    return pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=4 << 20),
        parse_options=pacsv.ParseOptions(newlines_in_values=has_text),
        convert_options=pacsv.ConvertOptions(
            column_types=layout.csv_schema(table), strings_can_be_null=True, quoted_strings_can_be_null=False))


def _lake_batch(batch, table, run, schema):
    """A CSV batch as the lake stores it: with `run` and the integer byte addresses."""
    columns = list(batch.columns) + [pa.array([run] * batch.num_rows, pa.string())]
    for _, source in layout.BYTE_ADDRESSES.get(table, []):
        columns.append(pc.shift_left(pc.cast(batch[source], pa.uint64()), pa.scalar(12, pa.uint64())))
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def _sync(path, directory=False):
    descriptor = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class Adder:
    """One `add` on one lake: holds the lake's lock while it runs."""

    def __init__(self, lake, mmu, jobs=None, labels=None, report=None, progress=None):
        self.lake = os.path.abspath(lake)
        self.mmu = mmu
        self.jobs = jobs or os.cpu_count() or 1
        self.labels = labels or {}
        self.report = report or (lambda record: None)
        self.progress = progress or (lambda line: None)
        self.staging = os.path.join(self.lake, layout.STAGING)

    def add(self, files):
        """Adds `files`; returns the records reported (one per file)."""
        os.makedirs(self.lake, exist_ok=True)
        lock = open(os.path.join(self.lake, layout.LOCK), "a")
        try:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise LakeError(f"{self.lake} is busy: another mmu-lake add is running on it") from None
            return self._add_locked(files)
        finally:
            lock.close()

    def _add_locked(self, files):
        shutil.rmtree(self.staging, ignore_errors=True)
        os.makedirs(self.staging, exist_ok=True)
        self.runs, self.label_names = read_runs(self.lake)
        for labels in self.labels.values():
            for name in labels:
                if name not in self.label_names:
                    self.label_names.append(name)
        self.records = []
        self.dirty = False
        self.last_commit = time.monotonic()
        self.done = 0
        self.total = len(files)
        self.started = time.monotonic()
        work = []
        seen = set()
        for path in files:
            run = run_id(path)
            absolute = os.path.abspath(path)
            if not layout.RUN_ID.match(run):
                self._finish({"run": run, "file": path, "action": "refused", "stage": "name",
                              "reason": "a run's name (the file name without its extension) must be letters, digits, '.', '_' or '-', starting with a letter or digit"})
                continue
            if run in seen:
                self._finish({"run": run, "file": path, "action": "refused", "stage": "name",
                              "reason": f"run {run} is named by two files in this add"})
                continue
            seen.add(run)
            committed = self.runs.get(run)
            try:
                status = os.stat(absolute)
                stat = (status.st_size, status.st_mtime_ns)
            except OSError:
                stat = None
            if committed and stat and committed["file"] == absolute and (committed["fileBytes"], committed["fileModified"]) == stat:
                self._relabel(run)
                self._finish({"run": run, "file": path, "action": "skipped", "stage": None, "reason": "the file is unchanged"})
                continue
            work.append((run, path, absolute, stat, committed and committed["fingerprint"]))
        with concurrent.futures.ThreadPoolExecutor(max_workers=self.jobs) as pool:
            futures = [pool.submit(self._prepare, *item) for item in work]
            for future in concurrent.futures.as_completed(futures):
                self._publish(future.result())
        self._commit()
        shutil.rmtree(self.staging, ignore_errors=True)
        return self.records

    def _relabel(self, run):
        labels = self.labels.get(run)
        if labels and any(self.runs[run].get(name) != value for name, value in labels.items()):
            self.runs[run].update(labels)
            self.dirty = True

    def _prepare(self, run, path, absolute, stat, old_fingerprint):
        """Checks and converts one run file in LAKE/.staging (a worker thread); any failure refuses
        the run and leaves the lake as it was."""
        work = os.path.join(self.staging, f"{run}-{uuid.uuid4().hex}")
        try:
            prepared = self._convert(run, path, absolute, stat, old_fingerprint, work)
        except (OSError, ValueError, pa.ArrowException) as error:
            prepared = {"run": run, "file": path, "action": "refused", "stage": "convert", "reason": str(error)}
        if prepared["action"] != "ready":
            shutil.rmtree(work, ignore_errors=True)
        return prepared

    def _convert(self, run, path, absolute, stat, old_fingerprint, work):
        started = time.monotonic()
        os.makedirs(work)
        base = {"run": run, "file": path}
        rows = subprocess.run([self.mmu, "rows", absolute, "-o", os.path.join(work, "csv"), "--json"],
                              capture_output=True, text=True, errors="replace")
        if rows.returncode != 0:
            message = rows.stderr.strip().removeprefix("Error: ")
            stage = STAGE.search(message)
            return {**base, "action": "refused", "stage": stage.group(1) if stage else "mmu rows", "reason": message}
        written = {table["table"]: table for table in json.loads(rows.stdout)["tables"]}
        for table, columns in layout.TABLES.items():
            names = [name for name, _ in columns]
            if table not in written or written[table]["columns"] != names:
                return {**base, "action": "refused", "stage": "layout",
                        "reason": f"mmu rows wrote {table} with columns {written.get(table, {}).get('columns')}, the lake has {names}: use the mmu this lake is for"}
        csv_file = {table: written[table]["path"] for table in layout.TABLES}
        sets = _read_csv(csv_file["translationSet"], "translationSet").read_all()
        last = None
        for batch in _read_csv(csv_file["transactionLog"], "transactionLog"):
            if batch.num_rows:
                candidate = batch.slice(pc.index(batch["sequence"], pc.max(batch["sequence"])).as_py(), 1).to_pylist()[0]
                if last is None or candidate["sequence"] > last["sequence"]:
                    last = candidate
        new_fingerprint = fingerprint(sets, _read_csv(csv_file["snapshot"], "snapshot").read_all(), last)
        if new_fingerprint == old_fingerprint:
            return {**base, "action": "skipped", "stage": None, "reason": "no new generations", "stat": stat, "absolute": absolute}
        counts = {}
        live = 0
        for table in layout.TABLES:
            target = os.path.join(work, f"{table}.parquet")
            schema = layout.lake_schema(table)
            counts[table] = 0
            with pq.ParquetWriter(target, schema, compression="zstd") as writer:
                for batch in _read_csv(csv_file[table], table):
                    counts[table] += batch.num_rows
                    if table == "mmuEntry":
                        live += batch["died"].null_count
                    writer.write_batch(_lake_batch(batch, table, run, schema))
            _sync(target)
        shutil.rmtree(os.path.join(work, "csv"))
        return {**base, "action": "ready", "work": work, "stat": stat, "absolute": absolute,
                "fingerprint": new_fingerprint, "lastSequence": last["sequence"] if last else -1,
                "sets": sets.num_rows, "entries": live, "rows": sum(counts.values()),
                "seconds": time.monotonic() - started}

    def _publish(self, prepared):
        """Renames a prepared run into place (the publishing thread)."""
        run = prepared["run"]
        if prepared["action"] != "ready":
            if prepared["action"] == "skipped" and run in self.runs:
                self._relabel(run)
                if prepared["stat"]:
                    self.runs[run]["fileBytes"], self.runs[run]["fileModified"] = prepared["stat"]
                    self.runs[run]["file"] = prepared["absolute"]
                    self.dirty = True
            prepared.pop("stat", None)
            prepared.pop("absolute", None)
            self._finish(prepared)
            return
        replacing = run in self.runs
        if replacing:
            previous = self.runs.pop(run)
            self.dirty = True
            self._commit(force=True)
        for table in layout.TABLES:
            final = layout.run_file(self.lake, table, run)
            os.makedirs(os.path.dirname(final), exist_ok=True)
            os.replace(os.path.join(prepared["work"], f"{table}.parquet"), final)
            _sync(os.path.dirname(final), directory=True)
        shutil.rmtree(prepared["work"], ignore_errors=True)
        size, modified = prepared["stat"] or (None, None)
        row = {"run": run, "file": prepared["absolute"], "fileBytes": size, "fileModified": modified,
               "fingerprint": prepared["fingerprint"], "lastSequence": prepared["lastSequence"],
               "sets": prepared["sets"], "entries": prepared["entries"], "rows": prepared["rows"],
               "addedAt": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
        labels = self.labels.get(run) or ({name: previous.get(name) for name in self.label_names} if replacing else {})
        row.update({name: labels.get(name) for name in self.label_names})
        self.runs[run] = row
        self.dirty = True
        if time.monotonic() - self.last_commit >= 1:
            self._commit()
        action = "replaced" if replacing else "added"
        self._finish({"run": run, "file": prepared["file"], "action": action, "stage": None,
                      "reason": "new generations" if replacing and prepared["lastSequence"] > previous["lastSequence"]
                      else ("changed" if replacing else None),
                      "entries": prepared["entries"], "rows": prepared["rows"], "seconds": round(prepared["seconds"], 3)})

    def _commit(self, force=False):
        """Writes runs.parquet (the commit point): temporary name, sync, rename, sync."""
        if not self.dirty and not force:
            return
        schema = layout.runs_schema(self.label_names)
        rows = [{name: row.get(name) for name in schema.names} for _, row in sorted(self.runs.items())]
        table = pa.Table.from_pylist(rows, schema=schema)
        temporary = os.path.join(self.lake, f".{layout.RUNS_FILE}.{uuid.uuid4().hex}.tmp")
        pq.write_table(table, temporary)
        _sync(temporary)
        os.replace(temporary, os.path.join(self.lake, layout.RUNS_FILE))
        _sync(self.lake, directory=True)
        self.dirty = False
        self.last_commit = time.monotonic()

    def _finish(self, record):
        self.done += 1
        self.records.append(record)
        self.report(record)
        elapsed = time.monotonic() - self.started
        detail = f"{record['entries']:,} live entries, {record['rows']:,} rows" if "entries" in record else record["reason"]
        stage = f" at stage '{record['stage']}'" if record.get("stage") else ""
        self.progress(f"[{self.done}/{self.total}] {record['run']}: {record['action']}{stage} ({detail}); {elapsed:.1f} s")


def stderr_progress(line):
    print(line, file=sys.stderr, flush=True)
