"""The runs lake: MMUStore run files as Parquet, queried with DuckDB on one machine or Spark on many.

Modules: layout (the lake's tables, columns and paths), add (adding run files), duckdb_views and
spark_views (the SQLite views of a run file, over the whole lake, for each engine), views (the view
definitions both engines share).
"""
