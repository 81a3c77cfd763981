#!/usr/bin/env bash
# Coverage study of the notified / not-yet-notified rate ratio (development only).
#
# For each seed and each effect, generates a jurisdiction with an intervention of known effect,
# evaluates it twice — through the normal pipeline (linkage and the classifier) and with people
# and pair classes taken from truth/ — and appends the estimates to results.tsv. Summarise with
# `python3 bench/coverage/summarise.py bench/coverage/results.tsv`.
#
#   bench/coverage/run.sh [FIRST_SEED] [LAST_SEED] [EFFECTS] [POPULATION]
#   (defaults 1 50 "0.7 1.0" 100000; IPVI=path/to/ipvi, WORK=scratch folder, OUT=results file,
#   YEARS=years of records (5), START=the intervention's start (2021-07-01))
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
first=${1:-1}
last=${2:-50}
effects=${3:-"0.7 1.0"}
population=${4:-100000}
ipvi=${IPVI:-${CARGO_TARGET_DIR:-$here/../../target}/release/ipvi}
work=${WORK:-$(mktemp -d)}
out=${OUT:-$here/results.tsv}
start=${START:-2021-07-01}
years=${YEARS:-5}
[ -f "$out" ] || printf 'seed\teffect\tpopulation\tvariant\tvalue\tlower\tupper\tpeople\tpeople_notified\tevents_notified\tevents_not_notified\tseconds\n' >"$out"
for seed in $(seq "$first" "$last"); do
  for effect in $effects; do
    dir="$work/s$seed-$effect"
    rm -rf "$dir"
    "$ipvi" synth --seed "$seed" --population "$population" --years "$years" --followup-months 0 \
      --intervention-start "$start" --effect "$effect" --out "$dir" >/dev/null
    for variant in pipeline truth; do
      extra=()
      [ "$variant" = truth ] && extra=(--truth-ids --truth-classes)
      t0=$(date +%s.%N)
      "$ipvi" evaluate "$dir" --notifications "$dir/notifications.csv" --start "$start" \
        --json "$dir/$variant.json" "${extra[@]}" >/dev/null 2>"$dir/$variant.err"
      t1=$(date +%s.%N)
      python3 - "$dir/$variant.json" "$seed" "$effect" "$population" "$variant" "$(echo "$t1 - $t0" | bc)" >>"$out" <<'PY'
import json, sys
path, seed, effect, population, variant, secs = sys.argv[1:]
c = json.load(open(path))["comparison"]
r = c.get("rate_ratio") or {}
print("\t".join(str(v) for v in [seed, effect, population, variant, r.get("value", ""), r.get("lower", ""),
      r.get("upper", ""), c["people"], c["people_notified"], c["events_notified"], c["events_not_notified"], secs]))
PY
    done
    rm -rf "$dir"
  done
done
