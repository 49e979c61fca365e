#!/usr/bin/env bash
# gen-plan.sh DIR
#
# Generate real Terraform artifacts for the configuration in DIR, written
# beside the .tf files:
#   DIR/plan.json       `terraform show -json tfplan`, byte for byte
#   DIR/graph.dot       `terraform graph` (resource-only graph in TF >= 1.7)
#   DIR/graph-plan.dot  `terraform graph -type=plan`
#
# All Terraform work happens in a temporary copy of DIR, so .terraform/, lock
# files, the binary plan and state never land in DIR.
#
# Two-stage fixtures: if DIR/stage1/ exists, it is copied to the temp dir and
# applied first (local state; only works for terraform_data / local-only
# resources). Then the stage1 files are replaced by DIR's own and the plan is
# made against that state. This yields update / replace / delete / no-op /
# forget / move actions.
#
# Optional DIR/vars.tfvars is passed with -var-file (for the final plan; a
# DIR/stage1/vars.tfvars is likewise used for the stage1 apply).
#
# If the configuration uses the AWS provider (`provider "aws"` or `aws_`),
# `terraform init` gets -plugin-dir=$TF_PLUGIN_DIR (default /opt/tf-plugins).
#
# Environment:
#   TERRAFORM      terraform binary (default: terraform on PATH)
#   TF_PLUGIN_DIR  local provider mirror (default: /opt/tf-plugins)
#   KEEP_TMP=1     keep the temp working dir and print its path (debugging)
set -euo pipefail

die() { echo "gen-plan.sh: error: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 DIR"
[ -d "$1" ] || die "not a directory: $1"
DIR=$(cd "$1" && pwd -P)

TERRAFORM=${TERRAFORM:-terraform}
TF_PLUGIN_DIR=${TF_PLUGIN_DIR:-/opt/tf-plugins}
command -v "$TERRAFORM" >/dev/null 2>&1 || die "terraform not found (set TERRAFORM=...)"

# Offline, quiet, reproducible-ish Terraform.
export TF_IN_AUTOMATION=1
export CHECKPOINT_DISABLE=1
export TF_INPUT=0
unset TF_LOG TF_WORKSPACE TF_DATA_DIR 2>/dev/null || true

shopt -s nullglob
tf_files=("$DIR"/*.tf "$DIR"/*.tf.json)
[ ${#tf_files[@]} -gt 0 ] || die "no .tf files in $DIR"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/gen-plan.XXXXXX")
cleanup() {
  if [ "${KEEP_TMP:-0}" = 1 ]; then
    echo "gen-plan.sh: kept work dir $TMP" >&2
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
WORK="$TMP/work"
mkdir -p "$WORK"
# An empty CLI config: no ~/.terraformrc warning, and no user plugin cache or
# provider_installation settings leaking into the fixtures.
: >"$TMP/terraformrc"
export TF_CLI_CONFIG_FILE="$TMP/terraformrc"
LOG="$TMP/terraform.log"

# Run terraform in $WORK, logging; on failure show the log and exit.
tf() {
  if ! (cd "$WORK" && "$TERRAFORM" "$@") >>"$LOG" 2>&1; then
    echo "gen-plan.sh: error: 'terraform $*' failed for $DIR:" >&2
    sed 's/^/  | /' "$LOG" >&2
    exit 1
  fi
}

# Copy DIR's own sources (everything except stage1/, generated output and
# Terraform working files) into $1.
copy_sources() {
  local src=$1 dst=$2
  (cd "$src" && tar -cf - \
      --exclude=./stage1 \
      --exclude=./plan.json --exclude=./graph.dot --exclude=./graph-plan.dot \
      --exclude=.terraform --exclude=.terraform.lock.hcl \
      --exclude='*.tfstate' --exclude='*.tfstate.backup' \
      --exclude=tfplan --exclude='*.tfplan' \
      .) | (cd "$dst" && tar -xf -)
}

# Remove configuration (not state) from $WORK before laying the final config.
clear_config() {
  find "$WORK" -mindepth 1 -maxdepth 1 \
    ! -name .terraform ! -name .terraform.lock.hcl \
    ! -name terraform.tfstate ! -name terraform.tfstate.backup \
    -exec rm -rf {} +
}

needs_aws() {
  grep -rqsE 'provider[[:space:]]+"aws"|aws_' --include='*.tf' --include='*.tf.json' "$1"
}

init() {
  local args=(init -input=false -no-color)
  if needs_aws "$WORK"; then
    [ -d "$TF_PLUGIN_DIR" ] || die "AWS provider needed but plugin dir $TF_PLUGIN_DIR missing"
    args+=(-plugin-dir="$TF_PLUGIN_DIR")
  fi
  tf "${args[@]}"
}

varfile_args() {
  if [ -f "$WORK/vars.tfvars" ]; then echo "-var-file=vars.tfvars"; fi
}

# Stage 1: apply the starting configuration to local state.
if [ -d "$DIR/stage1" ]; then
  copy_sources "$DIR/stage1" "$WORK"
  init
  # shellcheck disable=SC2046
  tf apply -auto-approve -input=false -no-color $(varfile_args)
  clear_config
fi

# Final configuration.
copy_sources "$DIR" "$WORK"
init
# shellcheck disable=SC2046
tf plan -input=false -no-color -out=tfplan $(varfile_args)

# Write outputs to temp files first so a failure leaves old fixtures intact.
(cd "$WORK" && "$TERRAFORM" show -json tfplan) >"$TMP/plan.json" 2>>"$LOG" \
  || { sed 's/^/  | /' "$LOG" >&2; die "terraform show -json failed for $DIR"; }
(cd "$WORK" && "$TERRAFORM" graph) >"$TMP/graph.dot" 2>>"$LOG" \
  || { sed 's/^/  | /' "$LOG" >&2; die "terraform graph failed for $DIR"; }
(cd "$WORK" && "$TERRAFORM" graph -type=plan) >"$TMP/graph-plan.dot" 2>>"$LOG" \
  || { sed 's/^/  | /' "$LOG" >&2; die "terraform graph -type=plan failed for $DIR"; }

# Sanity: plan.json must be JSON with resource_changes or planned_values.
python3 - "$TMP/plan.json" <<'EOF' || die "plan.json for $DIR is not valid plan JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert "format_version" in d and "planned_values" in d
EOF

cp "$TMP/plan.json" "$DIR/plan.json"
cp "$TMP/graph.dot" "$DIR/graph.dot"
cp "$TMP/graph-plan.dot" "$DIR/graph-plan.dot"

# One-line summary of resource change actions.
python3 - "$DIR" <<'EOF'
import collections, json, os, sys
d = sys.argv[1]
p = json.load(open(os.path.join(d, "plan.json")))
c = collections.Counter()
for rc in p.get("resource_changes", []):
    c["-".join(rc["change"]["actions"])] += 1
summary = ", ".join(f"{k}={v}" for k, v in sorted(c.items())) or "no resource changes"
print(f"gen-plan.sh: {d}: {len(p.get('resource_changes', []))} resource_changes ({summary})")
EOF
