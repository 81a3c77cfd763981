"""Development-only benchmark: a standard Splink (DuckDB backend) deduplication on the same
person records IPVI Analyzer links, timed end to end and judged against the truth.

Not part of the product nor of the test command. The input is the normalised column table that
`ipvi bench-link --records N --seed S --records-out FILE.csv` writes for generated records (with
`true_id` and `trap` columns), or that `ipvi link --features-out FILE.csv` writes for FEBRL
(`--truth febrl`: the true person is the middle part of `rec-<person>-...`).

The Splink model is the setup a Splink user would write from the documentation's examples, not
a copy of ours:
- comparisons: NameComparison on first, middle and last name (Jaro-Winkler levels, term
  frequency on the exact level), DateOfBirthComparison, ExactMatch on sex and suffix,
  Levenshtein on address, ExactMatch with term frequencies on city, ExactMatch on postcode,
  phone and identifier (columns that are empty in a data set fall to the null level);
- blocking rules for predictions: first + last name, last name + dob, first name + dob,
  identifier, phone, address + postcode, and the first two letters of each name with the year of
  birth;
- training: the probability that two random records match from deterministic rules (recall
  0.7), u by random sampling (1e6 pairs, seeded, as many as ours), m by EM in two sessions
  (blocked on first + last name, and on dob);
- prediction at match probability 0.5 and clustering at 0.95 (our defaults).

Time is measured from reading the CSV to having the cluster id of every record in Python. Peak
memory: run the script under `/usr/bin/time -f %M`.

Usage: python bench/splink/splink_standard.py --data FILE.csv [--truth columns|febrl]
"""

import argparse
import sys
import time

import duckdb
import splink
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on

from ipvi_common import pairwise


def settings():
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[
            block_on("first_name", "last_name"),
            block_on("last_name", "dob"),
            block_on("first_name", "dob"),
            block_on("identifier"),
            block_on("phone"),
            block_on("address", "postcode"),
            block_on("substr(first_name, 1, 2)", "substr(last_name, 1, 2)", "substr(dob, 1, 4)"),
        ],
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("middle_name"),
            cl.NameComparison("last_name"),
            cl.ExactMatch("suffix"),
            cl.DateOfBirthComparison("dob", input_is_string=True, datetime_format="%Y%m%d"),
            cl.ExactMatch("sex"),
            cl.LevenshteinAtThresholds("address", [1, 3]),
            cl.ExactMatch("city").configure(term_frequency_adjustments=True),
            cl.ExactMatch("postcode"),
            cl.ExactMatch("phone"),
            cl.ExactMatch("identifier"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--truth", choices=["columns", "febrl"], default="columns")
    ap.add_argument("--threads", type=int, default=0, help="DuckDB threads (0 = DuckDB's default)")
    a = ap.parse_args()
    print(f"splink {splink.__version__}, duckdb {duckdb.__version__}")

    t0 = time.perf_counter()
    con = duckdb.connect()
    if a.threads:
        con.execute(f"SET threads = {a.threads}")
    con.execute(
        f"CREATE TABLE recs AS SELECT * FROM read_csv('{a.data}', all_varchar = true, header = true)"
    )
    db = DuckDBAPI(connection=con)
    df = db.register("recs")
    linker = Linker(df, settings(), log_level="WARNING")
    t_load = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "last_name", "dob"), block_on("identifier")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    t_train = time.perf_counter()
    pred = linker.inference.predict(threshold_match_probability=0.5)
    t_pred = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, threshold_match_probability=0.95)
    cl_ids = dict(con.execute(f"SELECT unique_id, cluster_id FROM {clusters.physical_name}").fetchall())
    t_end = time.perf_counter()
    n_pred = con.execute(f"SELECT count(*) FROM {pred.physical_name}").fetchone()[0]

    cols = "unique_id, true_id, trap" if a.truth == "columns" else "unique_id, split_part(unique_id, '-', 2), 'none'"
    rows = con.execute(f"SELECT {cols} FROM recs").fetchall()
    ids = [r[0] for r in rows]
    truth = [r[1] for r in rows]
    trap = [r[2] for r in rows]
    pred_ids = [cl_ids[i] for i in ids]
    print(f"records            {len(ids)}")
    print(f"load               {t_load - t0:.2f} s")
    print(f"train (λ, u, EM)   {t_train - t_load:.2f} s")
    print(f"predict            {t_pred - t_train:.2f} s ({n_pred} pairs at p >= 0.5)")
    print(f"cluster            {t_end - t_pred:.2f} s")
    print(f"total              {t_end - t0:.2f} s")
    p, r, f1, _ = pairwise(pred_ids, truth)
    print(f"precision          {p:.5f}")
    print(f"recall             {r:.5f}")
    print(f"F1                 {f1:.5f}")
    for label, key in [("Jr/Sr (generation)", "generation"), ("Twin", "twin")]:
        idx = [k for k, t in enumerate(trap) if key in (t or "").split("+")]
        if idx:
            p, r, f1, n = pairwise([pred_ids[k] for k in idx], [truth[k] for k in idx])
            print(f"{label} records: {len(idx)} — precision {p:.4f} recall {r:.4f} F1 {f1:.4f} ({n} true pairs)")


if __name__ == "__main__":
    sys.exit(main())
