#!/usr/bin/env bash
# planguard against its peers on synthetic plans: time (s) and peak RSS (MB), same run.
#
#   benches/peers/run.sh                 # 1k, 10k, 50k
#   benches/peers/run.sh 1000 10000      # chosen sizes
#
# Tools are installed under target/peers/ only (never committed):
#   - Checkov into a venv:  target/peers/venv  (pip install checkov)
#   - regorus (Microsoft's Rust Rego interpreter):
#       cargo install regorus --example regorus --root target/peers/regorus
# planguard is the release CLI: `planguard check PLAN --format json --output FILE`
# (whole rule pack, dependency graph, cost estimate, guardrails, JSON report). regorus runs
# the five policies of benches/peers/rego/ (public IP, open SSH ingress, wildcard IAM,
# monitoring, S3 encryption): `regorus eval -d ... -i PLAN data.planguard.deny`, and planguard
# runs the same five in-process (`planguard check PLAN --policy benches/peers/rego --namespace
# planguard`, its whole analysis included): the second table compares the two.
#
# Environment:
#   CHECKOV_TIMEOUT  seconds before Checkov is killed (default 600); reported "killed after"
#   CHECKOV_MAX      largest size Checkov runs at (default 10000; it was killed after
#                    15 min and 11 GB at 50k on this kind of machine). 0 skips Checkov.
#   REPEAT           runs of planguard and regorus per size, the fastest is kept (default 1)
#   SEED             generator seed (default 1)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
PEERS=$ROOT/target/peers
PLANS=$ROOT/target/bench-plans
REGO_DIR=$ROOT/benches/peers/rego
CHECKOV_TIMEOUT=${CHECKOV_TIMEOUT:-600}
CHECKOV_MAX=${CHECKOV_MAX:-10000}
REPEAT=${REPEAT:-1}
SEED=${SEED:-1}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 50000)
mkdir -p "$PEERS" "$PLANS"
OUT=$PEERS/out
mkdir -p "$OUT"

log() { printf '%s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------
log "building planguard (release)"
cargo build --release -q -p planguard-cli -p planguard-bench
PLANGUARD=$ROOT/target/release/planguard
GEN=$ROOT/target/release/planguard-bench

CHECKOV=$PEERS/venv/bin/checkov
if [ "$CHECKOV_MAX" -gt 0 ] && [ ! -x "$CHECKOV" ]; then
  log "installing checkov into $PEERS/venv"
  python3 -m venv "$PEERS/venv"
  "$PEERS/venv/bin/pip" install -q checkov
fi

REGORUS=$PEERS/regorus/bin/regorus
if [ ! -x "$REGORUS" ]; then
  log "installing regorus into $PEERS/regorus"
  cargo install --locked -q regorus --version 0.14.1 --example regorus --root "$PEERS/regorus"
fi
REGO_ARGS=()
for f in "$REGO_DIR"/*.rego; do REGO_ARGS+=(-d "$f"); done

# --- measuring ---------------------------------------------------------------------------
# measure NAME TIMEOUT CMD...: runs CMD under /usr/bin/time, prints "SECONDS MB" or
# "killed SECONDS MB" (timeout) or "error CODE"; stdout goes to $OUT/NAME.out.
measure() {
  local name=$1 limit=$2
  shift 2
  local tf=$OUT/$name.time
  local code=0
  if [ "$limit" -gt 0 ]; then
    /usr/bin/time -f '%e %M %x' -o "$tf" timeout -s KILL "$limit" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || code=$?
  else
    /usr/bin/time -f '%e %M %x' -o "$tf" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" || code=$?
  fi
  local secs kb
  read -r secs kb _ < <(grep -E '^[0-9.]+ [0-9]+' "$tf" | tail -n1)
  local mb=$(( kb / 1024 ))
  if [ "$code" -eq 137 ] || [ "$code" -eq 124 ]; then
    echo "killed $secs $mb"
  elif [ "$code" -gt 1 ]; then
    # planguard check exits 1 when a guardrail fails: that is a result, not an error.
    echo "error $code"
  else
    echo "$secs $mb"
  fi
}

# best NAME CMD...: the fastest of $REPEAT runs.
best() {
  local name=$1
  shift
  local best_line="" i
  for ((i = 0; i < REPEAT; i++)); do
    local line
    line=$(measure "$name" 0 "$@")
    if [ -z "$best_line" ] || { [[ $line =~ ^[0-9] ]] && awk -v a="${line%% *}" -v b="${best_line%% *}" 'BEGIN{exit !(a<b)}'; }; then
      best_line=$line
    fi
  done
  echo "$best_line"
}

ratio() { # ratio PEER PLANGUARD -> PEER/PLANGUARD with one decimal, or "-"
  awk -v p="$1" -v q="$2" 'BEGIN{ if (p ~ /^[0-9.]+$/ && q ~ /^[0-9.]+$/ && q > 0) printf "%.1f", p / q; else print "-" }'
}

log "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(free -g | awk '/^Mem:/{print $2}') GB; load: $(uptime | sed 's/.*load average: //')"

ROWS=()
REGO_ROWS=()
for n in "${SIZES[@]}"; do
  plan=$PLANS/plan-$n-s$SEED.json
  if [ ! -f "$plan" ]; then
    log "generating $plan"
    "$GEN" gen --resources "$n" --seed "$SEED" --out "$plan.tmp" && mv "$plan.tmp" "$plan"
  fi
  mb=$(awk -v b="$(stat -c %s "$plan")" 'BEGIN{printf "%.1f", b / 1e6}')

  log "[$n] planguard"
  pg=$(best "planguard-$n" "$PLANGUARD" --color never check "$plan" --format json --output "$OUT/planguard-$n.json")
  pg_findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$OUT/planguard-$n.json" 2>/dev/null || echo "?")

  log "[$n] planguard --policy (5 policies, whole analysis)"
  pp=$(best "planguard-policy-$n" "$PLANGUARD" --color never check "$plan" --policy "$REGO_DIR" --namespace planguard --format json --output "$OUT/planguard-policy-$n.json")
  pp_findings=$(python3 -c 'import json,sys; print(sum(f["category"] == "policy" for f in json.load(open(sys.argv[1]))["findings"]))' "$OUT/planguard-policy-$n.json" 2>/dev/null || echo "?")

  log "[$n] regorus (5 policies)"
  rg=$(best "regorus-$n" "$REGORUS" eval "${REGO_ARGS[@]}" -i "$plan" data.planguard.deny)
  rg_findings=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
v = d["result"][0]["expressions"][0]["value"]
print(len(v))' "$OUT/regorus-$n.out" 2>/dev/null || echo "?")

  if [ "$CHECKOV_MAX" -gt 0 ] && [ "$n" -le "$CHECKOV_MAX" ]; then
    log "[$n] checkov (timeout ${CHECKOV_TIMEOUT}s)"
    ck=$(measure "checkov-$n" "$CHECKOV_TIMEOUT" "$CHECKOV" -f "$plan" --framework terraform_plan --quiet --compact -o json)
  else
    ck="skipped"
  fi

  read -r pg_s pg_mb <<<"$pg"
  ck_s=-; ck_mb=-; ck_note=""
  case $ck in
    skipped) ck_note="skipped (CHECKOV_MAX=$CHECKOV_MAX)" ;;
    killed*) read -r _ ck_s ck_mb <<<"$ck"; ck_note="killed after ${ck_s}s"; ck_s=">$ck_s" ;;
    error*) ck_note="$ck" ;;
    *) read -r ck_s ck_mb <<<"$ck" ;;
  esac
  rg_s=-; rg_mb=-
  case $rg in
    error*) rg_s=$rg ;;
    *) read -r rg_s rg_mb <<<"$rg" ;;
  esac
  ROWS+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' \
    "$n" "$mb" "$pg_s" "$pg_mb" "$ck_s" "$ck_mb" "$(ratio "${ck_s#>}" "$pg_s")" "$(ratio "$ck_mb" "$pg_mb")" \
    "$rg_s" "$rg_mb" "$(ratio "$rg_s" "$pg_s")" "$(ratio "$rg_mb" "$pg_mb")")${ck_note:+ checkov: $ck_note}")
  pp_s=-; pp_mb=-
  case $pp in
    error*) pp_s=$pp ;;
    *) read -r pp_s pp_mb <<<"$pp" ;;
  esac
  REGO_ROWS+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |' \
    "$n" "$pp_s" "$pp_mb" "$rg_s" "$rg_mb" "$(ratio "$rg_s" "$pp_s")" "$(ratio "$rg_mb" "$pp_mb")" "$pp_findings" "$rg_findings")")
  log "[$n] findings: planguard $pg_findings, regorus $rg_findings, planguard policy results $pp_findings"
done

echo
echo "| resources | plan MB | planguard s | planguard MiB | Checkov s | Checkov MiB | Checkov/planguard time | Checkov/planguard memory | regorus s | regorus MiB | regorus/planguard time | regorus/planguard memory |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "| resources | planguard + 5 Rego policies s | MiB | regorus CLI, 5 policies s | MiB | regorus/planguard time | regorus/planguard memory | planguard policy results | regorus results |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${REGO_ROWS[@]}"
