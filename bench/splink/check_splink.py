"""Development-only check of IPVI Analyzer's linkage against Splink (DuckDB backend).

Not part of the product nor of the test command. Needs `pip install splink` (PyPI) and a built
`ipvi` binary. It

1. takes a sample of FEBRL dataset3, links it with `ipvi link`, exporting our trained model as
   Splink settings JSON, the normalised columns the model reads, and every candidate pair's
   match weight;
2. loads the JSON into Splink, predicts on the same columns, and prints the maximum absolute
   difference between Splink's match weights and ours (and any pair found by one only);
3. on the full dataset3, runs Splink (a) with our trained parameters and (b) trained by Splink
   itself (u by random sampling, m by EM, lambda from deterministic rules) with the same
   comparisons and blocking rules, clusters at probability 0.95, and prints pairwise
   precision, recall, F1 and time next to ours.

Usage: python bench/splink/check_splink.py --ipvi target/release/ipvi \
           --data ../shared/data/febrl/dataset3.csv [--sample 1000] [--seed 1]
"""

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time

import pandas as pd
import splink
from splink import DuckDBAPI, Linker

from ipvi_common import pair_key, pairwise, run_ipvi_link

THRESHOLD = 0.95


def read_febrl(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, skipinitialspace=True))
    header = [h.strip() for h in rows[0]]
    out = []
    for r in rows[1:]:
        d = dict(zip(header, [x.strip() for x in r]))
        d["address"] = (d["street_number"] + " " + d["address_1"]).strip()
        out.append(d)
    return out


def write_input(rows, path):
    cols = ["rec_id", "given_name", "surname", "address", "suburb", "postcode", "date_of_birth", "soc_sec_id"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for r in rows:
            w.writerow([r[c] for c in cols])


FEBRL_MAPS = {
    "first_name": "given_name", "last_name": "surname", "dob": "date_of_birth", "address": "address",
    "city": "suburb", "postcode": "postcode", "identifier": "soc_sec_id",
}


def run_ipvi(ipvi, inp, tmp, tag):
    return run_ipvi_link(ipvi, inp, tmp, tag, "rec_id", FEBRL_MAPS)


def load_features(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = df.replace({"": None})
    return df


def pairwise_f1(pred_ids, truth):
    keys = list(truth)
    return pairwise([pred_ids[k] for k in keys], [truth[k] for k in keys])[:3]


def truth_of(rec_id):
    return rec_id.split("-")[1]


def splink_predict(settings, features):
    db = DuckDBAPI()
    df = db.register(features)
    linker = Linker(df, settings)
    return linker


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ipvi", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--sample", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(f"splink {splink.__version__}")
    rows = read_febrl(a.data)
    tmp = tempfile.mkdtemp(prefix="ipvi_splink_")

    # 1–2. Same model, same sample: compare match weights pair by pair.
    rng = random.Random(a.seed)
    sample = rng.sample(rows, min(a.sample, len(rows)))
    inp = os.path.join(tmp, "sample.csv")
    write_input(sample, inp)
    out, _ = run_ipvi(a.ipvi, inp, tmp, "sample")
    settings = json.load(open(out["model.json"]))
    linker = splink_predict(settings, load_features(out["features.csv"]))
    pred = linker.inference.predict().as_pandas_dataframe()
    theirs = {pair_key(str(r.unique_id_l), str(r.unique_id_r)): float(r.match_weight) for r in pred.itertuples()}
    ours = {}
    with open(out["pairs.csv"]) as f:
        for r in csv.DictReader(f):
            ours[pair_key(r["unique_id_l"], r["unique_id_r"])] = float(r["match_weight"])
    common = set(ours) & set(theirs)
    diffs = sorted(((abs(ours[k] - theirs[k]), k) for k in common), reverse=True)
    print(f"sample of {len(sample)} records: {len(ours)} candidate pairs (ours), {len(theirs)} (Splink), {len(common)} in both")
    print(f"pairs only ours: {len(set(ours) - set(theirs))}, only Splink: {len(set(theirs) - set(ours))}")
    if diffs:
        print(f"max absolute match-weight difference: {diffs[0][0]:.6g} (pair {diffs[0][1]})")
        print(f"mean absolute difference: {sum(d for d, _ in diffs) / len(diffs):.6g}")
        for d, k in diffs[:5]:
            print(f"  {k}: ours {ours[k]:.4f} Splink {theirs[k]:.4f}")

    # 3. Full dataset3: F1 and time, ours and Splink's.
    full = os.path.join(tmp, "full.csv")
    write_input(rows, full)
    out, t_ours = run_ipvi(a.ipvi, full, tmp, "full")
    truth = {r["rec_id"]: truth_of(r["rec_id"]) for r in rows}
    with open(out["ids.csv"]) as f:
        our_ids = {r["record_id"]: r["person_id"] for r in csv.DictReader(f)}
    p, r_, f1 = pairwise_f1(our_ids, truth)
    print(f"ours (ipvi link, train + predict + cluster): precision {p:.4f} recall {r_:.4f} F1 {f1:.4f} time {t_ours:.2f} s")
    features = load_features(out["features.csv"])
    settings = json.load(open(out["model.json"]))

    def splink_f1(linker, label, t0):
        pred = linker.inference.predict(threshold_match_probability=0.01)
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, THRESHOLD).as_pandas_dataframe()
        t = time.perf_counter() - t0
        ids = {str(r.unique_id): str(r.cluster_id) for r in clusters.itertuples()}
        p, r_, f1 = pairwise_f1(ids, truth)
        print(f"Splink {label}: precision {p:.4f} recall {r_:.4f} F1 {f1:.4f} time {t:.2f} s")

    t0 = time.perf_counter()
    splink_f1(splink_predict(settings, features), "with our trained parameters", t0)

    # Splink trains the same comparisons itself.
    untrained = json.loads(json.dumps(settings))
    for c in untrained["comparisons"]:
        for lv in c["comparison_levels"]:
            lv.pop("m_probability", None)
            lv.pop("u_probability", None)
    t0 = time.perf_counter()
    linker = splink_predict(untrained, features)
    linker.training.estimate_probability_two_random_records_match(
        ['l."first_name" = r."first_name" AND l."last_name" = r."last_name" AND l."dob" = r."dob"'], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for br in ['l."dob" = r."dob"', 'l."first_name" = r."first_name" AND l."last_name" = r."last_name"',
               'l."postcode" = r."postcode"']:
        linker.training.estimate_parameters_using_expectation_maximisation(br)
    splink_f1(linker, "trained by Splink (same comparisons and blocking)", t0)


if __name__ == "__main__":
    sys.exit(main())
