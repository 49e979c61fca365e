#!/usr/bin/env bash
# regen-fixtures.sh [DIR...]
#
# Regenerate plan.json / graph.dot / graph-plan.dot with scripts/gen-plan.sh.
# With no arguments: every fixture directory directly under fixtures/terraform/
# (a directory holding .tf files). With arguments: exactly those directories.
# Works from any cwd. Exits non-zero if any directory failed.
set -uo pipefail

SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd "$SCRIPTS/.." && pwd -P)
GEN="$SCRIPTS/gen-plan.sh"

dirs=()
if [ $# -gt 0 ]; then
  dirs=("$@")
else
  shopt -s nullglob
  for d in "$ROOT"/fixtures/terraform/*/; do
    d=${d%/}
    set -- "$d"/*.tf
    [ $# -gt 0 ] && dirs+=("$d")
  done
fi
[ ${#dirs[@]} -gt 0 ] || { echo "regen-fixtures.sh: nothing to regenerate" >&2; exit 1; }

failed=()
for d in "${dirs[@]}"; do
  echo "regen-fixtures.sh: regenerating $d"
  if ! bash "$GEN" "$d"; then
    failed+=("$d")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "regen-fixtures.sh: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "regen-fixtures.sh: regenerated ${#dirs[@]} fixture dir(s)"
