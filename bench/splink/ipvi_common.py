"""Shared helpers of the development-only Splink checks (bench/splink, bench/spark).

Not part of the product nor of the test command. Runs `ipvi link` with the exports the checks
read (the model as Splink settings JSON, the normalised columns it reads, every candidate pair's
match weight, the person ids) and holds the pairwise precision / recall used to compare
clusterings, the same formula as `ipvi_core::linkage::pairwise_scores`.
"""

import os
import subprocess
import time
from collections import Counter

# The fields `ipvi link --map` takes; the normalised records `ipvi bench-link --records-out`
# and `ipvi link --features-out` write carry them under the same names.
FIELDS = [
    "first_name", "middle_name", "last_name", "suffix", "sex", "address", "city", "postcode",
    "phone", "identifier", "dob",
]


def run_ipvi_link(ipvi, inp, out_dir, tag, id_col, maps, model=None, keep_all_pairs=True):
    """Run `ipvi link` on `inp` and return (the paths it wrote, its wall time in seconds).

    `maps` is {field: column}; `model` an optional settings file given to `--model`. The paths
    are `ids.csv` (record_id,person_id), `model.json` (Splink settings), `features.csv` (the
    columns the model reads) and `pairs.csv` (unique_id_l,unique_id_r,match_weight).
    """
    out = {k: os.path.join(out_dir, f"{tag}_{k}") for k in ["ids.csv", "model.json", "features.csv", "pairs.csv"]}
    cmd = [ipvi, "link", inp, "--id", id_col]
    for field, column in maps.items():
        cmd += ["--map", f"{field}={column}"]
    cmd += [
        "--out", out["ids.csv"], "--model-out", out["model.json"], "--features-out", out["features.csv"],
        "--pairs-out", out["pairs.csv"],
    ]
    if keep_all_pairs:
        cmd.append("--keep-all-pairs")
    if model:
        cmd += ["--model", model]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return out, time.perf_counter() - t0


def pair_key(a, b):
    """A pair of record ids in a fixed order."""
    return (a, b) if a < b else (b, a)


def pairwise(pred, truth):
    """Pairwise precision, recall and F1 of the clustering `pred` against `truth` (two lists of
    cluster labels, one per record, in the same order) and the number of true pairs."""

    def pairs(n):
        return n * (n - 1) // 2

    pp = sum(pairs(n) for n in Counter(pred).values())
    tp_all = sum(pairs(n) for n in Counter(truth).values())
    tp = sum(pairs(n) for n in Counter(zip(pred, truth)).values())
    p = tp / pp if pp else 1.0
    r = tp / tp_all if tp_all else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1, tp_all
