"""The lake in DuckDB: `connect(lake)` returns a connection whose views have the names and columns
of a run file's tables and views, plus `run` (and `runs`, one row per committed run with its
labels). A query written for one run file runs on the whole lake; add `run` to tell runs apart.
"""

import glob
import os

import duckdb
import pyarrow as pa

from . import layout, views

_SQL_TYPES = {pa.int64(): "BIGINT", pa.string(): "VARCHAR", pa.uint64(): "UBIGINT"}


def _quoted(text):
    return "'" + text.replace("'", "''") + "'"


def _empty(schema):
    columns = ", ".join(f"CAST(NULL AS {_SQL_TYPES[field.type]}) AS {field.name}" for field in schema)
    return f"(SELECT {columns} WHERE false)"


def define(connection, lake):
    """Creates the lake's views on `connection`."""
    lake = os.path.abspath(lake)
    runs = os.path.join(lake, layout.RUNS_FILE)
    if os.path.exists(runs):
        connection.execute(f"CREATE OR REPLACE VIEW runs AS SELECT * FROM read_parquet({_quoted(runs)})")
    else:
        connection.execute(f"CREATE OR REPLACE VIEW runs AS SELECT * FROM {_empty(layout.runs_schema([]))}")
    for table in layout.TABLES:
        pattern = os.path.join(layout.table_directory(lake, table), "run=*", "part.parquet")
        source = (f"read_parquet({_quoted(pattern)}, hive_partitioning = false)" if glob.glob(pattern)
                  else _empty(layout.lake_schema(table)))
        connection.execute(f"CREATE OR REPLACE VIEW {table} AS {views.committed_sql(source)}")
    for name in views.LOOKUPS:
        connection.execute(f"CREATE OR REPLACE VIEW {name} AS {views.lookup_sql(name)}")
    for name, sql in views.VIEWS.items():
        connection.execute(f"CREATE OR REPLACE VIEW {name} AS {sql}")
    return connection


def connect(lake, database=":memory:"):
    """A DuckDB connection (in memory unless `database` names a file) with the lake's views."""
    return define(duckdb.connect(database), lake)


def load_sqlite(connection):
    """Loads DuckDB's SQLite extension from the pinned `duckdb-extension-sqlite-scanner` package
    (no download), so that `ATTACH 'run.sqlite' AS r (TYPE sqlite, READ_ONLY)` works offline."""
    import duckdb_extension_sqlite_scanner
    directory = os.path.join(os.path.dirname(duckdb_extension_sqlite_scanner.__file__), "extensions", f"v{duckdb.__version__}")
    connection.execute(f"LOAD {_quoted(os.path.join(directory, 'sqlite_scanner.duckdb_extension'))}")
    return connection
