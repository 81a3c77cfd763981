"""Run a model exported by `ipvi link --model-out` on Splink's Spark backend.

Development-only (bench/, not the product). This is the script a site runs on its own Spark
cluster with `spark-submit` (docs/spark.md); `check_spark.py` imports it to compare the result
with `ipvi link`.

Input: the Splink settings JSON that `ipvi link --model-out` writes, and the normalised person
records (the columns `ipvi link --features-out` or `ipvi bench-link --records-out` write:
`unique_id`, the normalised fields, `dob` as `YYYYMMDD`, `<name>_soundex`, `<name>_nick`), as CSV
or Parquet. Output: the clusters at the model's threshold as `record_id,person_id` (the columns
`ipvi link --out` writes), and optionally every candidate pair with its match weight, as Parquet
or CSV folders.

Our export writes DuckDB SQL (as Splink's own examples do). Splink 5 runs a settings dictionary's
comparison levels as written, in the dialect of the backend it is given, so the SQL is
translated to Spark SQL here with sqlglot (which Splink itself uses), and the two functions
named differently in Splink's Spark backend are renamed: DuckDB's `jaro_winkler_similarity` is
the `jaro_winkler` function of the jar Splink ships, and `list_has_any` is `arrays_overlap`.

Usage (local mode):
    spark-submit --driver-memory 6g --jars "$(python -c 'from splink.backends.spark import
        similarity_jar_location as j; print(j())')" bench/spark/spark_link.py \
        --model model.json --records features.csv --checkpoint-dir /tmp/splink-ck --out clusters \
        [--pairs-out pairs] [--format csv]
"""

import argparse
import copy
import json
import sys
import time

import sqlglot
from sqlglot import exp

THRESHOLD = 0.95


def to_spark_sql(sql):
    """A DuckDB SQL condition of our export in Spark SQL with Splink's Spark function names."""
    if sql.strip() == "ELSE":
        return sql
    tree = sqlglot.parse_one(sql, read="duckdb")

    def rename(node):
        if isinstance(node, exp.JarowinklerSimilarity):
            return exp.Anonymous(this="jaro_winkler", expressions=[node.this, node.expression])
        if isinstance(node, exp.ArrayOverlaps):
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        return node

    return tree.transform(rename).sql(dialect="spark")


def to_spark_settings(model):
    """The settings dictionary of our export with every SQL condition and blocking rule in
    Spark SQL. Parameters (m, u, λ, term-frequency settings) are copied unchanged."""
    s = copy.deepcopy(model)
    s["sql_dialect"] = "spark"
    for c in s["comparisons"]:
        for lv in c["comparison_levels"]:
            lv["sql_condition"] = to_spark_sql(lv["sql_condition"])
    for br in s["blocking_rules_to_generate_predictions"]:
        br["blocking_rule"] = to_spark_sql(br["blocking_rule"])
        br["sql_dialect"] = "spark"
    return s


def spark_session(app="ipvi-splink", master=None, driver_memory=None, shuffle_partitions=None):
    """A Spark session with Splink's similarity functions (the jar shipped in the splink
    package). `master` and `driver_memory` are for local runs; under spark-submit leave them
    None and pass them to spark-submit."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    b = (
        SparkSession.builder.appName(app)
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.showConsoleProgress", "false")
    )
    if master:
        b = b.master(master)
    if driver_memory:
        b = b.config("spark.driver.memory", driver_memory)
    if shuffle_partitions:
        b = b.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    return b.getOrCreate()


def read_records(spark, path):
    """The normalised person records as a Spark DataFrame of strings (empty = missing)."""
    if path.endswith(".parquet") or not path.endswith(".csv"):
        return spark.read.parquet(path)
    # Every column as a string (a dob or a postcode is not a number); empty fields are null.
    return spark.read.csv(path, header=True, inferSchema=False)


def link(spark, model, records, checkpoint_dir):
    """Predict every candidate pair of `records` with `model` (our export, as a dict) and return
    (the Splink linker, the predictions as a SplinkDataFrame). Splink writes its intermediate
    tables as Parquet under `checkpoint_dir` (on a cluster: storage every node reaches)."""
    from splink import Linker
    from splink.backends.spark import SparkAPI

    spark.sparkContext.setCheckpointDir(checkpoint_dir)
    db = SparkAPI(spark_session=spark)
    linker = Linker(db.register(records), to_spark_settings(model))
    # No threshold: every candidate pair, as `ipvi link --keep-all-pairs` writes them.
    pred = linker.inference.predict()
    return linker, pred


def person_ids(clusters):
    """`record_id,person_id` (the columns `ipvi link --out` writes) from Splink's clusters:
    person ids numbered 1, 2, … in the order of Splink's cluster ids."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    ids = clusters.select("cluster_id").distinct() \
        .withColumn("person_id", F.row_number().over(Window.orderBy("cluster_id")))
    return clusters.join(ids, "cluster_id").select(F.col("unique_id").alias("record_id"), "person_id")


def write(df, path, fmt):
    """Write `df` to the folder `path`: Parquet, or CSV with a header in one part file."""
    if fmt == "csv":
        df.coalesce(1).write.mode("overwrite").csv(path, header=True)
    else:
        df.write.mode("overwrite").parquet(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", required=True, help="settings JSON from `ipvi link --model-out`")
    ap.add_argument("--records", required=True, help="normalised records (CSV file or Parquet)")
    ap.add_argument("--out", required=True, help="folder for record_id,person_id")
    ap.add_argument("--pairs-out", help="folder for unique_id_l,unique_id_r,match_weight")
    ap.add_argument("--threshold", type=float, default=THRESHOLD, help="match probability to join")
    ap.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    ap.add_argument("--checkpoint-dir", required=True,
                    help="folder for Splink's intermediate tables (on a cluster: shared storage)")
    ap.add_argument("--master", help="e.g. local[2] when not run under spark-submit")
    ap.add_argument("--driver-memory", help="e.g. 6g when not run under spark-submit")
    a = ap.parse_args()
    with open(a.model) as f:
        model = json.load(f)
    spark = spark_session(master=a.master, driver_memory=a.driver_memory)
    t0 = time.perf_counter()
    linker, pred = link(spark, model, read_records(spark, a.records), a.checkpoint_dir)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, a.threshold)
    write(person_ids(clusters.as_spark_dataframe()), a.out, a.format)
    if a.pairs_out:
        write(pred.as_spark_dataframe().select("unique_id_l", "unique_id_r", "match_weight"), a.pairs_out, a.format)
    print(f"linked in {time.perf_counter() - t0:.1f} s; clusters written to {a.out}", file=sys.stderr)
    spark.stop()


if __name__ == "__main__":
    sys.exit(main())
