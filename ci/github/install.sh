#!/usr/bin/env bash
# Installs a planguard release for this runner into the tool cache and puts it on PATH.
# Env: PLANGUARD_VERSION (X.Y.Z or "latest"), PLANGUARD_RELEASE_BASE_URL (where
# v<ver>/planguard-<ver>-<target>.tar.gz and its .sha256 live), PLANGUARD_ARCHIVE_DIR (a
# local directory holding those files instead, for tests and mirrors), RUNNER_OS,
# RUNNER_ARCH, RUNNER_TOOL_CACHE, GITHUB_PATH, GITHUB_OUTPUT.
set -euo pipefail

fail() { echo "::error title=planguard install::$*" >&2; exit 2; }

version="${PLANGUARD_VERSION:-latest}"
base_url="${PLANGUARD_RELEASE_BASE_URL:-https://github.com/planguard/planguard/releases/download}"
archive_dir="${PLANGUARD_ARCHIVE_DIR:-}"
tool_cache="${RUNNER_TOOL_CACHE:?RUNNER_TOOL_CACHE is not set (run on a GitHub runner or set it)}"

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-gnu ;;
  Linux/ARM64) target=aarch64-unknown-linux-gnu ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) fail "no planguard release for runner OS/arch '${RUNNER_OS:-unset}/${RUNNER_ARCH:-unset}'" ;;
esac
exe=""
if [[ "$target" == *windows* ]]; then exe=".exe"; fi

if [[ "$version" == latest ]]; then
  if [[ -n "$archive_dir" ]]; then
    fail "version 'latest' cannot be resolved from a local archive directory; give a version"
  fi
  # /releases/latest redirects to /releases/tag/v<ver>: the version without an API token.
  latest_url="${base_url%/download}/latest"
  resolved="$(curl -fsSLI -o /dev/null -w '%{url_effective}' "$latest_url")" ||
    fail "could not resolve the latest release from $latest_url"
  version="${resolved##*/v}"
fi
version="${version#v}"
if [[ ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
  fail "expected a version X.Y.Z or 'latest'"
fi

install_dir="$tool_cache/planguard/$version/$target"
if [[ -x "$install_dir/planguard$exe" ]]; then
  echo "planguard $version ($target) found in the tool cache"
else
  name="planguard-$version-$target"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  if [[ -n "$archive_dir" ]]; then
    cp "$archive_dir/$name.tar.gz" "$archive_dir/$name.tar.gz.sha256" "$work/" ||
      fail "$name.tar.gz or its .sha256 is missing from PLANGUARD_ARCHIVE_DIR"
  else
    for file in "$name.tar.gz" "$name.tar.gz.sha256"; do
      curl -fsSL --retry 3 -o "$work/$file" "$base_url/v$version/$file" ||
        fail "could not download $base_url/v$version/$file"
    done
  fi
  expected="$(awk '{print $1; exit}' "$work/$name.tar.gz.sha256")"
  if command -v sha256sum >/dev/null; then
    actual="$(sha256sum "$work/$name.tar.gz" | awk '{print $1}')"
  else
    actual="$(shasum -a 256 "$work/$name.tar.gz" | awk '{print $1}')"
  fi
  if [[ -z "$expected" || "$expected" != "$actual" ]]; then
    fail "checksum mismatch for $name.tar.gz: the archive is not the one released"
  fi
  tar -xzf "$work/$name.tar.gz" -C "$work"
  [[ -f "$work/$name/planguard$exe" ]] || fail "$name.tar.gz does not hold $name/planguard$exe"
  mkdir -p "$install_dir"
  cp "$work/$name/planguard$exe" "$install_dir/"
  chmod +x "$install_dir/planguard$exe"
  echo "planguard $version ($target) installed into the tool cache"
fi

if [[ -n "${GITHUB_PATH:-}" ]]; then echo "$install_dir" >> "$GITHUB_PATH"; fi
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  { echo "version=$version"; echo "path=$install_dir"; } >> "$GITHUB_OUTPUT"
fi
