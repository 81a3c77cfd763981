#!/usr/bin/env python3
"""Summarise bench/coverage/results.tsv: per effect and variant, the number of seeds, the
geometric mean of the rate ratio (with the 95% range of that mean over seeds, from their spread), how often the 95% interval covers the true effect, and how
often it excludes 1. Standard library only."""
import csv
import math
import sys
from collections import defaultdict

rows = list(csv.DictReader(open(sys.argv[1] if len(sys.argv) > 1 else "bench/coverage/results.tsv"), delimiter="\t"))
groups = defaultdict(list)
for r in rows:
    groups[(float(r["effect"]), r["population"], r["variant"])].append(r)
print("| effect | people | variant | seeds | no estimate | geometric mean (95% range over seeds) | within 5% | covers effect | excludes 1 | median interval (upper/lower) | median smallest detectable ratio | mean notified in trials |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for (effect, pop, variant), rs in sorted(groups.items()):
    ok = [r for r in rs if r["value"]]
    if not ok:
        print(f"| {effect} | {pop} | {variant} | {len(rs)} | {len(rs)} | | | | | |")
        continue
    logs = [math.log(float(r["value"])) for r in ok]
    mean = sum(logs) / len(logs)
    sd = math.sqrt(sum((v - mean) ** 2 for v in logs) / (len(logs) - 1)) if len(logs) > 1 else float("nan")
    half = 1.96 * sd / math.sqrt(len(logs))
    g = math.exp(mean)
    cover = sum(float(r["lower"]) <= effect <= float(r["upper"]) for r in ok)
    excl = sum(float(r["lower"]) > 1 or float(r["upper"]) < 1 for r in ok)
    notified = sum(int(r["people_notified"]) for r in ok) / len(ok)
    widths = sorted(float(r["upper"]) / float(r["lower"]) for r in ok)
    med_w = widths[len(widths) // 2]
    # 80% power, 5% two-sided: exp(-(1.95996 + 0.84162)·SE), SE = ln(upper/lower) / (2·1.95996).
    mde = math.exp(-(1.959964 + 0.841621) * math.log(med_w) / (2 * 1.959964))
    within = "yes" if abs(g / effect - 1) <= 0.05 else "no"
    print(f"| {effect} | {pop} | {variant} | {len(ok)} | {len(rs) - len(ok)} | {g:.3f} ({math.exp(mean - half):.3f}–{math.exp(mean + half):.3f}) | {within} | "
          f"{cover}/{len(ok)} ({100 * cover / len(ok):.0f}%) | {excl}/{len(ok)} | {med_w:.2f} | {mde:.2f} | {notified:.0f} |")
