#!/usr/bin/env bash
# Moves every flat rule file `rules/<provider>/<ID>.yaml` into its service directory
# `rules/<provider>/<service>/<ID>.yaml`, where <service> is the id's middle part lower-cased
# (AWS-S3-001 -> rules/aws/s3/AWS-S3-001.yaml, AWS-FOO-BAR-001 -> rules/aws/foo-bar/).
# Tracked files move with `git mv` (history follows); untracked ones with `mv`.
# Fixtures (fixtures/rules/<ID>/) and snapshots are named by id alone and don't move.
#
# Usage: scripts/relocate-rules.sh [RULES_DIR]   (default: rules/ of this repository)
# Prints each move; moves nothing and exits 1 when a file's id is malformed or its
# destination already exists.
set -euo pipefail

root="${1:-$(cd "$(dirname "$0")/.." && pwd)/rules}"
if [[ ! -d "$root" ]]; then
  echo "relocate-rules: no such directory: $root" >&2
  exit 2
fi

# Plan every move first, so a bad file stops the run before anything moves.
moves=()
status=0
shopt -s nullglob
for provider_dir in "$root"/*/; do
  for file in "$provider_dir"*.yaml "$provider_dir"*.yml; do
    name="$(basename "$file")"
    id="${name%.*}"
    if [[ ! "$id" =~ ^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+-[0-9]{3}$ ]]; then
      echo "relocate-rules: $file: the file name is not a rule id (PROVIDER-SERVICE-NNN)" >&2
      status=1
      continue
    fi
    middle="${id#*-}"
    middle="${middle%-*}"
    service="$(printf '%s' "$middle" | tr '[:upper:]' '[:lower:]')"
    dest="${provider_dir}${service}/${name}"
    if [[ -e "$dest" ]]; then
      echo "relocate-rules: $file: $dest already exists" >&2
      status=1
      continue
    fi
    moves+=("$file" "$dest")
  done
done
if [[ $status -ne 0 ]]; then
  exit "$status"
fi

for ((i = 0; i < ${#moves[@]}; i += 2)); do
  from="${moves[i]}"
  to="${moves[i + 1]}"
  mkdir -p "$(dirname "$to")"
  if git -C "$(dirname "$from")" ls-files --error-unmatch "$(basename "$from")" >/dev/null 2>&1; then
    git -C "$(dirname "$from")" mv "$(basename "$from")" "$to"
  else
    mv "$from" "$to"
  fi
  echo "${from#"$root"/} -> ${to#"$root"/}"
done
