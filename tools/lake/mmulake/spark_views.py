"""The lake in Spark SQL: `define(spark, lake)` registers temporary views with the names and columns
of a run file's tables and views, plus `run` (and `runs`), from the same definitions as DuckDB's.
LAKE is a directory the driver lists and every executor reads at the same path (local mode, or a
shared file system on a cluster). For HDFS or object-store URLs, register each table directory with
`spark.read.option("recursiveFileLookup", "true").parquet(URL)` and the SQL of views.py.

    spark = session()                       # local[2]; or your cluster's SparkSession
    define(spark, "/data/lake")
    spark.sql("SELECT run, count(*) FROM liveEntry GROUP BY run").show()
"""

import os
import shutil

from pyspark.sql import SparkSession
from pyspark.sql import types as T

import pyarrow as pa

from . import layout, views

_TYPES = {pa.int64(): T.LongType(), pa.string(): T.StringType(), pa.uint64(): T.DecimalType(20, 0)}


def _spark_schema(schema):
    return T.StructType([T.StructField(field.name, _TYPES[field.type], True) for field in schema])


def session(cores=2):
    """A small local SparkSession: `cores` threads, few shuffle partitions, no UI.

    Raises RuntimeError, with the fix, when no Java runtime is installed."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise RuntimeError("Spark needs a Java runtime (17 or newer) and none is installed: "
                           "apt-get install openjdk-17-jre-headless (.ci/run does), or set JAVA_HOME")
    return (SparkSession.builder.master(f"local[{cores}]").appName("mmu-lake")
            .config("spark.sql.shuffle.partitions", str(cores * 2))
            .config("spark.default.parallelism", str(cores * 2))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", "1g")
            .getOrCreate())


def _frame(spark, path, schema):
    if os.path.isdir(path) and any(os.scandir(path)):
        return spark.read.schema(_spark_schema(schema)).option("recursiveFileLookup", "true").parquet(path)
    return spark.createDataFrame([], _spark_schema(schema))


def define(spark, lake):
    """Registers the lake's views on `spark` (a local lake path; see the module's note for others)."""
    lake = os.path.abspath(lake)
    runs = os.path.join(lake, layout.RUNS_FILE)
    if os.path.exists(runs):
        spark.read.parquet(runs).createOrReplaceTempView("runs")
    else:
        spark.createDataFrame([], _spark_schema(layout.runs_schema([]))).createOrReplaceTempView("runs")
    for table in layout.TABLES:
        _frame(spark, layout.table_directory(lake, table), layout.lake_schema(table)).createOrReplaceTempView(f"lake_{table}")
        spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {table} AS {views.committed_sql(f'lake_{table}')}")
    for name in views.LOOKUPS:
        spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {views.lookup_sql(name)}")
    for name, sql in views.VIEWS.items():
        spark.sql(f"CREATE OR REPLACE TEMPORARY VIEW {name} AS {sql}")
    return spark
