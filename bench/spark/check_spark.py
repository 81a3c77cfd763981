"""Development-only check: our exported model on Splink's Spark backend, compared with `ipvi link`.

Not part of the product nor of the test command. Needs a Java runtime (Debian's
`default-jre-headless`), `pip install splink pyspark` and a built `ipvi` binary. It

1. links the normalised person records with `ipvi link` (default guards), exporting the model
   (`--model-out`), the columns it reads (`--features-out`), every candidate pair's match weight
   (`--pairs-out --keep-all-pairs`) and the person ids; and again with every clustering guard off
   (the same model: the check asserts the two exports are equal), which is what Splink's
   connected components do;
2. loads the model into Splink's Spark backend (local mode), predicts every candidate pair with
   the same blocking rules and clusters at our threshold (0.95);
3. prints: the match weight of every comparison level in Splink against ours (log2 m/u), the
   per-pair match-weight differences on the pairs both score (and the pairs only one side
   finds), and cluster agreement (pairwise precision / recall of Spark's clusters against ours
   with and without guards and against the truth when the records carry `true_id`; clusters
   identical on both sides), with wall times and peak memory.

The comparisons of pairs and clusters run in Spark too, so they scale with the records.

Usage: python bench/spark/check_spark.py --ipvi target/release/ipvi --records juris.csv \
           --work bench/out/spark/j100k [--master local[2]] [--driver-memory 6g] [--reuse]
where juris.csv is written by `ipvi bench-link --synthetic-population N --years Y --seed S
--records-out juris.csv` (or `--records N`).
"""

import argparse
import json
import math
import os
import resource
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "splink"))
sys.path.insert(0, HERE)

from ipvi_common import FIELDS, run_ipvi_link  # noqa: E402
from spark_link import THRESHOLD, link, read_records, spark_session  # noqa: E402

# Every clustering guard off (`ipvi link --model`): plain connected components at the threshold.
GUARDS_OFF = {
    "guards": {
        "suffix": False, "generation_years": 0, "twins": False, "contradiction": False,
        "max_cluster_size": 1 << 40,
    }
}


class PeakMemory:
    """Peak resident memory of this process and all its descendants (the Spark JVM is one),
    sampled every 0.2 s from /proc."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _tree_rss(self):
        pids, todo = set(), [os.getpid()]
        while todo:
            p = todo.pop()
            pids.add(p)
            try:
                with open(f"/proc/{p}/task/{p}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
        total = 0
        for p in pids:
            try:
                with open(f"/proc/{p}/statm") as f:
                    total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            except OSError:
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self._stop.wait(0.2)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def mib(n):
    return f"{n / 2**20:,.0f} MiB"


def level_weights(model):
    """[(comparison, label, log2(m/u))] of our export's non-null levels."""
    out = []
    for c in model["comparisons"]:
        for lv in c["comparison_levels"]:
            if lv.get("is_null_level"):
                continue
            out.append((c["output_column_name"], lv["label_for_charts"],
                        math.log2(lv["m_probability"] / lv["u_probability"])))
    return out


def splink_level_weights(linker):
    """The same list read from Splink's settings object (what its predictions use)."""
    out = []
    for c in linker._settings_obj.comparisons:
        for lv in c.comparison_levels:
            if lv.is_null_level:
                continue
            out.append((c.output_column_name, lv.label_for_charts, lv._log2_bayes_factor))
    return out


def pairwise_sql(spark, view, pred, ref):
    """Pairwise precision / recall of clustering column `pred` against `ref` in `view`, the
    number of clusters of each, and how many clusters are identical on both sides."""
    r = spark.sql(f"""
        WITH ab AS (SELECT {pred} a, {ref} b, count(*) n FROM {view} GROUP BY {pred}, {ref}),
             a AS (SELECT a, sum(n) n FROM ab GROUP BY a),
             b AS (SELECT b, sum(n) n FROM ab GROUP BY b)
        SELECT
          (SELECT sum(n * (n - 1) / 2) FROM ab) tp,
          (SELECT sum(n * (n - 1) / 2) FROM a) pp,
          (SELECT sum(n * (n - 1) / 2) FROM b) tp_all,
          (SELECT count(*) FROM a) na,
          (SELECT count(*) FROM b) nb,
          (SELECT count(*) FROM ab JOIN a ON ab.a = a.a JOIN b ON ab.b = b.b
            WHERE ab.n = a.n AND ab.n = b.n) same
    """).collect()[0]
    p = r.tp / r.pp if r.pp else 1.0
    rc = r.tp / r.tp_all if r.tp_all else 1.0
    f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
    return p, rc, f1, r.na, r.nb, r.same


def duckdb_pairs(spark, model, features, path):
    """Predict with Splink's DuckDB backend too and count the pairs where ours or Spark's match
    weight differs from DuckDB's (and on which comparison the levels differ)."""
    import duckdb
    from splink import DuckDBAPI, Linker

    con = duckdb.connect()
    rel = con.sql(f"SELECT * FROM read_csv('{features}', all_varchar = true)")
    linker = Linker(DuckDBAPI(con).register(rel), model)
    pred = linker.inference.predict()
    gammas = [c for c in pred.as_duckdbpyrelation().columns if c.startswith("gamma_")]
    con.sql(f"""COPY (SELECT least(unique_id_l, unique_id_r) l, greatest(unique_id_l, unique_id_r) r,
                      match_weight duck, {", ".join(gammas)} FROM {pred.physical_name})
               TO '{path}' (FORMAT parquet)""")
    spark.read.parquet(path).createOrReplaceTempView("duck")
    r = spark.sql("""
        SELECT count(*) n, count(CASE WHEN abs(ours - duck) > 1e-4 THEN 1 END) ours_d,
               count(CASE WHEN abs(theirs - duck) > 1e-4 THEN 1 END) spark_d,
               max(abs(ours - duck)) ours_max, max(abs(theirs - duck)) spark_max
        FROM pairs JOIN duck USING (l, r)
    """).collect()[0]
    print(f"Splink on DuckDB: {r.n} pairs in common; ours differs from DuckDB on {r.ours_d} "
          f"(max |Δ| {r.ours_max:.3g}), Spark differs from DuckDB on {r.spark_d} (max |Δ| {r.spark_max:.3g})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ipvi", required=True)
    ap.add_argument("--records", required=True, help="normalised records (bench-link --records-out)")
    ap.add_argument("--work", required=True, help="folder for ipvi's and Spark's outputs")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--driver-memory", default="6g")
    ap.add_argument("--shuffle-partitions", type=int, default=16)
    ap.add_argument("--reuse", action="store_true", help="reuse ipvi's outputs in --work if present")
    ap.add_argument("--duckdb", action="store_true",
                    help="also predict with Splink's DuckDB backend (in memory: small data only) "
                         "to tell which side a weight difference comes from")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    maps = {f: f for f in FIELDS}

    # 1. Ours, with the default guards and with every guard off.
    def ours(tag, model=None):
        out = {k: os.path.join(a.work, f"{tag}_{k}") for k in ["ids.csv", "model.json", "features.csv", "pairs.csv"]}
        if a.reuse and all(os.path.exists(p) for p in out.values()):
            print(f"ours ({tag}): reusing {a.work}")
            return out
        out, t = run_ipvi_link(a.ipvi, a.records, a.work, tag, "unique_id", maps, model=model)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(f"ours ({tag}, `ipvi link` with --pairs-out --keep-all-pairs --features-out): "
              f"{t:.1f} s, peak {mib(peak)} (largest child so far)")
        return out

    mine = ours("guards")
    guards_off = os.path.join(a.work, "guards_off.json")
    with open(guards_off, "w") as f:
        json.dump(GUARDS_OFF, f)
    plain = ours("noguards", guards_off)
    with open(mine["model.json"]) as f:
        model = json.load(f)
    with open(plain["model.json"]) as f:
        assert json.load(f) == model, "the guards changed the exported model"

    # 2. Splink on Spark.
    import pyspark
    import splink

    print(f"splink {splink.__version__}, pyspark {pyspark.__version__}, master {a.master}, "
          f"driver memory {a.driver_memory}")
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        spark = spark_session(master=a.master, driver_memory=a.driver_memory,
                              shuffle_partitions=a.shuffle_partitions)
        spark.sparkContext.setLogLevel("ERROR")
        t_start = time.perf_counter() - t0
        t0 = time.perf_counter()
        records = read_records(spark, mine["features.csv"])
        n_records = records.count()
        linker, pred = link(spark, model, records, checkpoint_dir=os.path.join(a.work, "checkpoints"))
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, THRESHOLD)
        cl = clusters.as_spark_dataframe().select("unique_id", "cluster_id")
        cl.write.mode("overwrite").parquet(os.path.join(a.work, "spark_clusters"))
        t_spark = time.perf_counter() - t0
        print(f"Splink on Spark: {n_records} records, predict + cluster (clusters written) "
              f"{t_spark:.1f} s (+ {t_start:.1f} s starting Spark)")

        # 3a. Weights per comparison level.
        ours_w, theirs_w = level_weights(model), splink_level_weights(linker)
        assert [x[:2] for x in ours_w] == [x[:2] for x in theirs_w], "levels differ"
        dw = max(abs(x[2] - y[2]) for x, y in zip(ours_w, theirs_w))
        print(f"comparison levels: {len(ours_w)}, max |weight difference| {dw:.3g}; "
              f"λ ours {model['probability_two_random_records_match']:.6g}, Splink "
              f"{linker._settings_obj._probability_two_random_records_match:.6g}")

        # 3b. Pairs.
        t0 = time.perf_counter()
        pred.as_spark_dataframe().select("unique_id_l", "unique_id_r", "match_weight") \
            .createOrReplaceTempView("theirs_raw")
        spark.read.csv(mine["pairs.csv"], header=True).createOrReplaceTempView("ours_raw")
        spark.sql("""
            WITH o AS (SELECT least(unique_id_l, unique_id_r) l, greatest(unique_id_l, unique_id_r) r,
                              CAST(match_weight AS DOUBLE) w FROM ours_raw),
                 t AS (SELECT least(unique_id_l, unique_id_r) l, greatest(unique_id_l, unique_id_r) r,
                              CAST(match_weight AS DOUBLE) w FROM theirs_raw)
            SELECT coalesce(o.l, t.l) l, coalesce(o.r, t.r) r, o.w ours, t.w theirs
            FROM o FULL OUTER JOIN t ON o.l = t.l AND o.r = t.r
        """).write.mode("overwrite").parquet(os.path.join(a.work, "pairs_joined"))
        spark.read.parquet(os.path.join(a.work, "pairs_joined")).createOrReplaceTempView("pairs")
        # The weight at which the probability reaches the threshold (the prior is in the weight).
        w_t = math.log2(THRESHOLD / (1 - THRESHOLD))
        s = spark.sql(f"""
            SELECT count(ours) n_ours, count(theirs) n_theirs,
                   count(CASE WHEN ours IS NOT NULL AND theirs IS NOT NULL THEN 1 END) n_both,
                   max(abs(ours - theirs)) max_d, avg(abs(ours - theirs)) mean_d,
                   count(CASE WHEN abs(ours - theirs) > 1e-4 THEN 1 END) n_d4,
                   count(CASE WHEN (ours >= {w_t}) <> (theirs >= {w_t}) THEN 1 END) n_side
            FROM pairs
        """).collect()[0]
        print(f"candidate pairs: ours {s.n_ours}, Splink {s.n_theirs}, both {s.n_both} "
              f"(only ours {s.n_ours - s.n_both}, only Splink {s.n_theirs - s.n_both})")
        print(f"match weight on pairs both score: max |Δ| {s.max_d:.3g}, mean |Δ| {s.mean_d:.3g}, "
              f"pairs with |Δ| > 1e-4: {s.n_d4}, pairs on different sides of p = {THRESHOLD}: {s.n_side}")
        for r in spark.sql("SELECT * FROM pairs WHERE ours IS NOT NULL AND theirs IS NOT NULL "
                           "ORDER BY abs(ours - theirs) DESC LIMIT 5").collect():
            print(f"  {r.l} – {r.r}: ours {r.ours:.6f} Splink {r.theirs:.6f}")
        for side, other in [("ours", "theirs"), ("theirs", "ours")]:
            for r in spark.sql(f"SELECT * FROM pairs WHERE {other} IS NULL LIMIT 3").collect():
                print(f"  only {side}: {r.l} – {r.r}: {r[side]:.4f}")

        if a.duckdb:
            duckdb_pairs(spark, model, mine["features.csv"], os.path.join(a.work, "duckdb_pairs.parquet"))

        # 3c. Clusters.
        spark.read.parquet(os.path.join(a.work, "spark_clusters")).createOrReplaceTempView("sc")
        spark.read.csv(mine["ids.csv"], header=True).createOrReplaceTempView("ours_g")
        spark.read.csv(plain["ids.csv"], header=True).createOrReplaceTempView("ours_n")
        has_truth = "true_id" in spark.read.csv(a.records, header=True).columns
        truth_sql = ", t.true_id" if has_truth else ""
        if has_truth:
            spark.read.csv(a.records, header=True).select("unique_id", "true_id") \
                .createOrReplaceTempView("t")
        spark.sql(f"""
            SELECT sc.unique_id, sc.cluster_id spark, ours_g.person_id guards, ours_n.person_id plain{truth_sql}
            FROM sc JOIN ours_g ON sc.unique_id = ours_g.record_id JOIN ours_n ON sc.unique_id = ours_n.record_id
            {"JOIN t ON sc.unique_id = t.unique_id" if has_truth else ""}
        """).createOrReplaceTempView("all_ids")
        n_joined = spark.sql("SELECT count(*) n FROM all_ids").collect()[0].n
        print(f"records with a cluster on every side: {n_joined} of {n_records}")
        cmp = [("spark", "plain", "Spark's clusters against ours without guards"),
               ("spark", "guards", "Spark's clusters against ours with guards (default)")]
        if has_truth:
            cmp += [("spark", "true_id", "Spark's clusters against the truth"),
                    ("plain", "true_id", "ours without guards against the truth"),
                    ("guards", "true_id", "ours with guards against the truth")]
        for p_, r_, label in cmp:
            p, rc, f1, na, nb, same = pairwise_sql(spark, "all_ids", p_, r_)
            print(f"{label}: precision {p:.6f} recall {rc:.6f} F1 {f1:.6f}; clusters {na} / {nb}, "
                  f"identical {same}")
        print(f"comparison in Spark: {time.perf_counter() - t0:.1f} s")
        spark.stop()
    print(f"peak memory of this process and the Spark JVM: {mib(mem.peak)}")


if __name__ == "__main__":
    sys.exit(main())
