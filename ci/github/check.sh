#!/usr/bin/env bash
# Runs `planguard check` for the action: annotations on stdout, the reports in
# PLANGUARD_REPORT_DIR. Env: INPUT_PLAN (plan files or globs, one a line), INPUT_CONFIG,
# INPUT_SOURCE_DIR, INPUT_FORMATS (comma-separated among sarif,junit,markdown,json; markdown
# is always written for the comment), INPUT_SOFT_FAIL (true/false), PLANGUARD_REPORT_DIR
# (default RUNNER_TEMP), GITHUB_OUTPUT. Exits with planguard's code: 0 pass, 1 guardrail
# violated (0 with soft fail), 2 usage or input error.
set -euo pipefail

fail() { echo "::error title=planguard check::$*" >&2; exit 2; }

report_dir="${PLANGUARD_REPORT_DIR:-${RUNNER_TEMP:?RUNNER_TEMP is not set}}"
mkdir -p "$report_dir"

plans=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line%"${line##*[![:space:]]}"}"
  if [[ -n "$line" ]]; then plans+=("$line"); fi
done <<< "${INPUT_PLAN:-}"
[[ ${#plans[@]} -gt 0 ]] || fail "input 'plan' is empty: give the plan JSON file(s)"

args=(check --format github)
if [[ -n "${INPUT_CONFIG:-}" ]]; then args+=(--config "$INPUT_CONFIG"); fi
if [[ -n "${INPUT_SOURCE_DIR:-}" ]]; then args+=(--source-dir "$INPUT_SOURCE_DIR"); fi
case "${INPUT_SOFT_FAIL:-false}" in
  true) args+=(--soft-fail) ;;
  false) ;;
  *) fail "input 'soft-fail' must be true or false" ;;
esac

formats="${INPUT_FORMATS:-sarif,junit,markdown}"
wrote_markdown=false
outputs=()
IFS=',' read -r -a requested <<< "$formats"
for format in "${requested[@]}"; do
  format="${format//[[:space:]]/}"
  case "$format" in
    "") ;;
    sarif) file="$report_dir/planguard.sarif" ;;
    junit) file="$report_dir/planguard-junit.xml" ;;
    markdown) file="$report_dir/planguard.md"; wrote_markdown=true ;;
    json) file="$report_dir/planguard.json" ;;
    *) fail "input 'formats': expected sarif, junit, markdown or json" ;;
  esac
  if [[ -n "$format" ]]; then
    args+=(--output "$format=$file")
    outputs+=("$format=$file")
  fi
done
if [[ "$wrote_markdown" == false ]]; then
  args+=(--output "markdown=$report_dir/planguard.md")
  outputs+=("markdown=$report_dir/planguard.md")
fi

status=0
planguard "${args[@]}" -- "${plans[@]}" || status=$?

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  {
    for output in "${outputs[@]}"; do echo "$output"; done
    echo "exit-code=$status"
  } >> "$GITHUB_OUTPUT"
fi
exit "$status"
