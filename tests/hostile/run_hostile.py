#!/usr/bin/env python3
"""Runs every case of the hostile corpus (made by make_hostile.py) through every `ipvi` command
that reads it, each under a 4 GB address space (`ulimit -v 4194304`) and `timeout 30`, and fails
on: an exit by a signal or an abort, a timeout, "panicked" on stderr, a formula written out (a
CSV cell that begins with = + - @ and is not a plain number), or rows unaccounted for (rows read
= used + rejected, in the audit's JSON, analyze's summary.json and classify-text's count). A
clear error and a non-zero exit are fine. The baseline case (the fixture export as it is) must
succeed, so a runner that ran nothing fails.

    run_hostile.py IPVI CASES OUT
"""
import csv
import json
import os
import re
import subprocess
import sys
import time

csv.field_size_limit(1 << 30)
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def dir_commands(inp, o, notes):
    return {
        "audit": ["audit", *inp, "--json", f"{o}/audit.json", "--rejected", f"{o}/rejected.csv",
                  "--diagnostics", f"{o}/diagnostics.csv"],
        "analyze": ["analyze", *inp, "--out", f"{o}/analyze"],
        "report": ["report", *inp, "--out", f"{o}/report.html", "--metrics", f"{o}/metrics.json"],
        "advocates": ["advocates", *inp, "--out", f"{o}/advocates.csv"],
        "evaluate": ["evaluate", *inp, "--notifications", notes, "--start", "2019-01-01", "--json", f"{o}/evaluate.json"],
        "classify": ["classify", "--nibrs", inp[0], "--out", f"{o}/pairs.csv", "--diagnostics", f"{o}/classify_diagnostics.csv"],
    }


def formulas_in(path):
    """Cells of a CSV the product wrote that a spreadsheet would run."""
    bad = []
    try:
        with open(path, newline="", encoding="utf-8", errors="replace") as f:
            for r, row in enumerate(csv.reader(f), 1):
                for c in row:
                    if c[:1] in ("=", "+", "-", "@") and not PLAIN_NUMBER.match(c):
                        bad.append(f"{os.path.basename(path)} row {r}: {c[:60]!r}")
    except (csv.Error, OSError) as e:
        bad.append(f"{path}: not readable as CSV ({e})")
    return bad


def unaccounted(path):
    """Rows read that are neither used nor rejected, in an audit JSON or a summary.json."""
    try:
        j = json.load(open(path))
    except (OSError, ValueError):
        return []
    rows = j.get("rows", j)
    if not isinstance(rows, dict) or "rows_read" not in rows:
        return []
    bad = []
    # A file with no row used or rejected is one the profile does not take: listed apart as
    # not used, out of the counts.
    files = [f for f in rows.get("files", []) if f["rows_used"] + f["rows_rejected"] > 0]
    for f in [rows] + files:
        if f["rows_read"] != f["rows_used"] + f["rows_rejected"]:
            bad.append(f"{os.path.basename(path)} {f.get('file', 'total')}: {f['rows_read']} read, "
                       f"{f['rows_used']} used, {f['rows_rejected']} rejected")
    return bad


def run(ipvi, args, out_dir, log):
    os.makedirs(out_dir, exist_ok=True)
    tfile = os.path.join(out_dir, ".time")
    cmd = ["/usr/bin/time", "-f", "%e %M", "-o", tfile, "bash", "-c",
           'ulimit -v 4194304; exec timeout 30 "$@"', "_", ipvi, *args]
    started = time.monotonic()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True)
    wall = time.monotonic() - started
    secs, kb = wall, 0
    try:
        last = open(tfile).read().split("\n")
        last = [l for l in last if re.match(r"^[\d.]+ \d+$", l)][-1].split()
        secs, kb = float(last[0]), int(last[1])
    except (OSError, IndexError, ValueError):
        pass
    err = p.stderr.decode("utf-8", "replace")
    log.write(f"$ ipvi {' '.join(args)}\n  exit {p.returncode}, {secs:.2f} s, {kb} KB\n")
    log.write("".join(f"  | {l[:300]}\n" for l in err.splitlines()[-6:]))
    return p.returncode, secs, kb, err


def main():
    ipvi, cases_dir, out = sys.argv[1:4]
    manifest = json.load(open(os.path.join(cases_dir, "manifest.json")))
    notes = os.path.join(cases_dir, "notifications.csv")
    with open(notes, "w") as f:
        f.write("person_id,notification_date,list,type,delivered_by\n")
    log = open(os.path.join(out, "hostile.log"), "w")
    failures, table = [], []
    for name, spec in manifest.items():
        case = os.path.join(cases_dir, name)
        runs = []
        for k, inp in enumerate(spec.get("inputs") or [[case]]):
            o = os.path.join(out, name, str(k))
            os.makedirs(o, exist_ok=True)
            for cname, args in dir_commands(inp, o, notes).items():
                runs.append((cname, args))
        for i, (file, column) in enumerate(spec["text"]):
            for kind in ("relationship", "narrative"):
                runs.append(("classify-text", ["classify-text", "--kind", kind, "--in", os.path.join(case, file),
                                               "--column", column, "--out", os.path.join(out, name, f"text{i}_{kind}.csv")]))
        if spec["link"]:
            file, idc, maps = spec["link"]
            m = [a for k, v in maps.items() for a in ("--map", f"{k}={v}")]
            runs.append(("link", ["link", os.path.join(case, file), "--id", idc, *m,
                                  "--out", os.path.join(out, name, "link.csv")]))
        worst = (0.0, 0, "")
        outcomes = []
        for cname, args in runs:
            rc, secs, kb, err = run(ipvi, args, os.path.join(out, name), log)
            outcomes.append(f"{cname}={rc}")
            if secs > worst[0]:
                worst = (secs, kb, cname)
            why = []
            if rc == 124:
                why.append("timed out (30 s)")
            elif rc >= 128 or rc < 0:
                why.append(f"killed by a signal or aborted (exit {rc})")
            if "panicked" in err:
                why.append("panicked: " + err[err.find("panicked"):][:200])
            if name == "baseline" and rc != 0 and cname != "classify":
                why.append(f"the baseline export must be read (exit {rc}): {err.strip()[-200:]}")
            if spec["strict"] and cname == "classify-text" and rc == 0:
                m = re.search(r"(\d+) rows read: (\d+) classified, (\d+) rejected", err)
                if not m:
                    why.append("classify-text gave no row count")
                elif int(m[1]) != int(m[2]) + int(m[3]):
                    why.append(f"rows unaccounted: {m[0]}")
            for w in why:
                failures.append(f"{name} / {cname}: {w}")
        # Every CSV written for this case, and every count of rows.
        for root, _, files in os.walk(os.path.join(out, name)):
            for f in files:
                p = os.path.join(root, f)
                if f.endswith(".csv"):
                    failures += [f"{name}: formula written: {b}" for b in formulas_in(p)[:5]]
                if spec["strict"] and f.endswith(".json"):
                    failures += [f"{name}: rows unaccounted: {b}" for b in unaccounted(p)]
        line = f"{name:<26} {len(runs):>3} runs  slowest {worst[2]:<13} {worst[0]:6.2f} s {worst[1] // 1024:6d} MB  " + " ".join(outcomes)
        print(line, flush=True)
        table.append(line)
    log.close()
    print()
    if failures:
        print(f"hostile: {len(failures)} FAILURE(S) (details in {out}/hostile.log):")
        for f in failures:
            print("  " + f)
        return 1
    print(f"hostile: every case passed ({len(manifest)} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
