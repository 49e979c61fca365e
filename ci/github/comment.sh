#!/usr/bin/env bash
# Posts the Markdown report on the pull request with `planguard comment github`.
# Env: PLANGUARD_COMMENT_BEHAVIOR (update, new, delete-and-new, hide-and-new, or off),
# PLANGUARD_REPORT (the Markdown file), PLANGUARD_PULL_REQUEST, GITHUB_EVENT_NAME,
# GITHUB_REPOSITORY, PLANGUARD_GITHUB_TOKEN.
set -euo pipefail

behavior="${PLANGUARD_COMMENT_BEHAVIOR:-update}"
case "$behavior" in
  off) echo "planguard comment: off"; exit 0 ;;
  update | new | delete-and-new | hide-and-new) ;;
  *) echo "::error title=planguard comment::expected comment behaviour update, new, delete-and-new, hide-and-new or off" >&2; exit 2 ;;
esac
case "${GITHUB_EVENT_NAME:-}" in
  pull_request | pull_request_target) ;;
  *) echo "planguard comment: not a pull request event, nothing to comment on"; exit 0 ;;
esac
report="${PLANGUARD_REPORT:?PLANGUARD_REPORT is not set}"
[[ -f "$report" ]] || { echo "::error title=planguard comment::the Markdown report was not written (did the check step run?)" >&2; exit 2; }
[[ -n "${PLANGUARD_PULL_REQUEST:-}" ]] || { echo "::error title=planguard comment::no pull request number in the event" >&2; exit 2; }
[[ -n "${PLANGUARD_GITHUB_TOKEN:-}" ]] || { echo "::error title=planguard comment::input 'github-token' is empty" >&2; exit 2; }

# The token goes by environment (planguard reads GITHUB_TOKEN), never on a command line.
GITHUB_TOKEN="$PLANGUARD_GITHUB_TOKEN" planguard comment github --path "$report" --behavior "$behavior" \
  --repo "${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}" \
  --pull-request "$PLANGUARD_PULL_REQUEST"
