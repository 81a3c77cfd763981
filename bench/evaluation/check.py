#!/usr/bin/env python3
"""Development-only check of `ipvi evaluate` against lifelines and statsmodels on the same inputs.

    ipvi evaluate DIR --notifications DIR/notifications.csv --start D --json ev.json --dump dump/
    /work/venv-eval/bin/python bench/evaluation/check.py ev.json dump/

Recomputes every statistic from the inputs the CLI used (`--dump`): the Kaplan–Meier rates by
group (lifelines, exponential Greenwood = log–log intervals), the stacked-trial rate ratio
(statsmodels Poisson GLM with a dummy per stratum, offset log days, person-clustered sandwich) and
the interrupted time series (statsmodels Poisson GLM, Pearson-scaled covariance). Prints each
pair of numbers and whether they agree to 3 significant figures; exits 1 when one does not.
The virtual environment lives outside the repository: `python3 -m venv /work/venv-eval &&
/work/venv-eval/bin/pip install lifelines statsmodels pandas`.
"""
import json
import math
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm
from lifelines import KaplanMeierFitter

ev = json.load(open(sys.argv[1]))
dump = sys.argv[2]
checked = failed = 0


def sig3(a, b):
    if a == b:
        return True
    return abs(a - b) <= 0.5e-3 * max(abs(a), abs(b))


def same(what, ours, theirs):
    global checked, failed
    ok = sig3(ours, theirs)
    checked += 1
    failed += not ok
    print(f"{'ok  ' if ok else 'DIFF'} {what}: ours {ours:.6g}  theirs {theirs:.6g}")


# Kaplan–Meier by group.
km = pd.read_csv(f"{dump}/km.csv")
for s in ev["survival"]:
    d = km[km.group == s["group"]]
    f = KaplanMeierFitter().fit(d.days, d.event)
    for days, rate in s["rates"]:
        if rate is None:
            continue
        sf = f.survival_function_at_times(days).iloc[0]
        ci = f.confidence_interval_survival_function_
        row = ci[ci.index <= days].iloc[-1]
        same(f"KM {s['group']} {days:.0f} d rate", rate["rate"], 1 - sf)
        same(f"KM {s['group']} {days:.0f} d lower", rate["lower"], 1 - row.iloc[1])
        same(f"KM {s['group']} {days:.0f} d upper", rate["upper"], 1 - row.iloc[0])

# The stacked-trial rate ratio.
tr = pd.read_csv(f"{dump}/trials.csv")
tr["stratum"] = tr.period.astype(str) + "/" + tr.list.astype(str) + "/" + tr.gap_band.astype(str)
agg = tr.groupby(["stratum", "notified"]).agg(events=("events", "sum"), days=("days", "sum")).unstack(fill_value=0)
keep = agg[(agg[("days", 1)] > 0) & (agg[("days", 0)] > 0) & (agg[("events", 0)] + agg[("events", 1)] > 0)].index
t = tr[tr.stratum.isin(keep)].reset_index(drop=True)
X = pd.get_dummies(t.stratum, dtype=float)
X.insert(0, "notified", t.notified.astype(float))
glm = sm.GLM(t.events, X, family=sm.families.Poisson(), offset=np.log(t.days))
fit = glm.fit(cov_type="cluster", cov_kwds={"groups": t.person.values, "use_correction": False})
g = t.person.nunique()
b = fit.params["notified"]
se = math.sqrt(fit.cov_params().loc["notified", "notified"] * g / (g - 1))
rr = ev["comparison"]["rate_ratio"]
print(f"stacked trials: {len(t)} rows, {len(keep)} strata, {g} people")
same("trial rate ratio", rr["value"], math.exp(b))
same("trial rate ratio lower", rr["lower"], math.exp(b - 1.959963984540054 * se))
same("trial rate ratio upper", rr["upper"], math.exp(b + 1.959963984540054 * se))

# Interrupted time series.
se_ = pd.read_csv(f"{dump}/series.csv")
for s in ev["series"]:
    r = s["its"]
    if r is None:
        continue
    y = se_[se_.series == s["name"]]["count"].to_numpy()
    post_flag = se_[se_.series == s["name"]]["post"].to_numpy()
    n, start, h = len(y), int(np.argmax(post_flag)), r["harmonics"]
    t_ = np.arange(n, dtype=float)
    post = (t_ >= start).astype(float)
    cols = [np.ones(n), t_ / 12, post, post * (t_ - start) / 12]
    for k in range(1, h + 1):
        w = 2 * np.pi * k * t_ / 12
        cols += [np.sin(w), np.cos(w)]
    X = np.column_stack(cols)
    f = sm.GLM(y, X, family=sm.families.Poisson()).fit()
    disp = max(1.0, f.pearson_chi2 / f.df_resid)
    cov = f.cov_params() * disp
    m = np.mean((np.arange(start, n) - start) / 12)
    bb = f.params[2] + f.params[3] * m
    v = cov[2, 2] + m * m * cov[3, 3] + 2 * m * cov[2, 3]
    z = 1.959963984540054
    same(f"ITS {s['name']} dispersion", r["dispersion"], disp)
    same(f"ITS {s['name']} level change", r["level_change"]["value"], math.exp(f.params[2]))
    same(f"ITS {s['name']} level lower", r["level_change"]["lower"], math.exp(f.params[2] - z * math.sqrt(cov[2, 2])))
    same(f"ITS {s['name']} slope change /month", r["slope_change"]["value"], math.exp(f.params[3] / 12))
    same(f"ITS {s['name']} average effect", r["average_effect"]["value"], math.exp(bb))
    same(f"ITS {s['name']} average lower", r["average_effect"]["lower"], math.exp(bb - z * math.sqrt(v)))
    same(f"ITS {s['name']} average upper", r["average_effect"]["upper"], math.exp(bb + z * math.sqrt(v)))

print(f"{checked - failed} of {checked} numbers agree to 3 significant figures")
sys.exit(1 if failed else 0)
