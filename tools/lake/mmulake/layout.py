"""The lake's layout: where each table's files are, and the columns and types of each.

    LAKE/
      runs.parquet                      the committed runs: the commit point (written last)
      table=TABLE/run=RUN/part.parquet  one file per table and run, holding a `run` column too
      .staging/                         work in progress of an `add` (removed by the next one)
      .lock                             held by the one `add` at a time

TABLE is each table of a run file with data (the SQLite tables with the same columns, generated
columns left out), plus integer byte addresses: `va`/`pa` (vpn << 12, pfn << 12, unsigned 64-bit)
on mmuEntry, `va` on pageActivity and memoryArea. A row belongs to the lake only when its run is
in runs.parquet, and the views read only those.
"""

import os
import re

import pyarrow as pa

RUNS_FILE = "runs.parquet"
STAGING = ".staging"
LOCK = ".lock"
RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
LABEL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")

_TEXT = pa.string()
_INT = pa.int64()

# Columns of each table as `mmu rows` writes them (its CSV header), in order, with their types.
TABLES = {
    "translationSet": [
        ("id", _INT), ("name", _TEXT), ("architecture", _TEXT), ("headGeneration", _INT), ("compactedThrough", _INT),
        ("headDigest", _INT), ("storedRows", _INT), ("stateDigest", _INT), ("seal", _INT), ("createdAt", _TEXT),
    ],
    "mmuEntry": [
        ("setId", _INT), ("vpn", _INT), ("born", _INT), ("died", _INT), ("pfn", _INT), ("pageShift", _INT),
        ("protection", _INT), ("cacheMode", _INT),
    ],
    "entryState": [("setId", _INT), ("vpn", _INT), ("accessed", _INT), ("dirty", _INT)],
    "pageActivity": [
        ("setId", _INT), ("vpn", _INT), ("accesses", _INT), ("writes", _INT), ("faults", _INT),
        ("firstGeneration", _INT), ("lastGeneration", _INT),
    ],
    "memoryArea": [
        ("setId", _INT), ("vpn", _INT), ("born", _INT), ("died", _INT), ("pageCount", _INT), ("protection", _INT),
        ("kind", _TEXT), ("isShared", _INT), ("name", _TEXT),
    ],
    "liveSummary": [("setId", _INT), ("pageShift", _INT), ("protection", _INT), ("entries", _INT)],
    "transactionLog": [
        ("sequence", _INT), ("setId", _INT), ("generation", _INT), ("globalGeneration", _INT), ("committedAt", _TEXT),
        ("label", _TEXT), ("maps", _INT), ("unmaps", _INT), ("protects", _INT), ("resizes", _INT), ("globals", _INT),
        ("copies", _INT), ("accesses", _INT), ("areas", _INT), ("entriesAdded", _INT), ("entriesRemoved", _INT),
        ("digest", _INT), ("globalDigest", _INT), ("chain", _INT),
    ],
    "snapshot": [
        ("id", _INT), ("setId", _INT), ("name", _TEXT), ("generation", _INT), ("globalGeneration", _INT),
        ("createdAt", _TEXT), ("seal", _INT), ("metadata", _TEXT), ("activityDigest", _INT),
    ],
    "snapshotEntryState": [("snapshotId", _INT), ("vpn", _INT), ("accessed", _INT), ("dirty", _INT)],
    "snapshotPageActivity": [
        ("snapshotId", _INT), ("vpn", _INT), ("accesses", _INT), ("writes", _INT), ("faults", _INT),
        ("firstGeneration", _INT), ("lastGeneration", _INT),
    ],
}

# Integer byte addresses added to a table: (new column, page-number column it comes from).
BYTE_ADDRESSES = {
    "mmuEntry": [("va", "vpn"), ("pa", "pfn")],
    "pageActivity": [("va", "vpn")],
    "memoryArea": [("va", "vpn")],
}

# Columns of runs.parquet before the user's labels.
RUN_COLUMNS = [
    ("run", _TEXT), ("file", _TEXT), ("fileBytes", _INT), ("fileModified", _INT), ("fingerprint", _TEXT),
    ("lastSequence", _INT), ("sets", _INT), ("entries", _INT), ("rows", _INT), ("addedAt", _TEXT),
]


def csv_schema(table):
    """The Arrow schema of a table's CSV file from `mmu rows`."""
    return pa.schema([pa.field(name, kind) for name, kind in TABLES[table]])


def lake_schema(table):
    """The Arrow schema of a table's Parquet files in the lake."""
    fields = [pa.field(name, kind) for name, kind in TABLES[table]]
    fields.append(pa.field("run", _TEXT, nullable=False))
    fields += [pa.field(name, pa.uint64()) for name, _ in BYTE_ADDRESSES.get(table, [])]
    return pa.schema(fields)


def runs_schema(labels):
    """The Arrow schema of runs.parquet with the label columns `labels` (text)."""
    return pa.schema([pa.field(name, kind) for name, kind in RUN_COLUMNS] + [pa.field(name, _TEXT) for name in labels])


def table_directory(lake, table):
    """LAKE/table=TABLE."""
    return os.path.join(lake, f"table={table}")


def run_file(lake, table, run):
    """LAKE/table=TABLE/run=RUN/part.parquet."""
    return os.path.join(table_directory(lake, table), f"run={run}", "part.parquet")
