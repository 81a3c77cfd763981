#!/usr/bin/env python3
"""Summarise bench/coverage/results.tsv: per effect and variant, the number of seeds, the
geometric mean of the rate ratio, how often the 95% interval covers the true effect, and how
often it excludes 1. Standard library only."""
import csv
import math
import sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1] if len(sys.argv) > 1 else "bench/coverage/results.tsv"), delimiter="\t"))
groups = defaultdict(list)
for r in rows:
    groups[(float(r["effect"]), r["population"], r["variant"])].append(r)
print("| effect | people | variant | seeds | no estimate | geometric mean | within 5% | covers effect | excludes 1 | mean notified in trials |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (effect, pop, variant), rs in sorted(groups.items()):
    ok = [r for r in rs if r["value"]]
    if not ok:
        print(f"| {effect} | {pop} | {variant} | {len(rs)} | {len(rs)} | | | | | |")
        continue
    g = math.exp(sum(math.log(float(r["value"])) for r in ok) / len(ok))
    cover = sum(float(r["lower"]) <= effect <= float(r["upper"]) for r in ok)
    excl = sum(float(r["lower"]) > 1 or float(r["upper"]) < 1 for r in ok)
    notified = sum(int(r["people_notified"]) for r in ok) / len(ok)
    within = "yes" if abs(g / effect - 1) <= 0.05 else "no"
    print(f"| {effect} | {pop} | {variant} | {len(ok)} | {len(rs) - len(ok)} | {g:.3f} | {within} | "
          f"{cover}/{len(ok)} ({100 * cover / len(ok):.0f}%) | {excl}/{len(ok)} | {notified:.0f} |")
