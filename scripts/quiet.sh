#!/usr/bin/env bash
# Runs a command and keeps its output to itself unless it fails: one line on success, the
# whole output on failure. For steps of `npm test` whose success says nothing worth reading
# (the app build lists every bundle it wrote, some 370 lines).
#
#   bash scripts/quiet.sh npm run build:app
set -uo pipefail

log=$(mktemp /tmp/quiet.XXXXXX)
trap 'rm -f "$log"' EXIT
start=$SECONDS
if "$@" >"$log" 2>&1; then
  echo "$*: ok ($((SECONDS - start)) s)"
else
  status=$?
  cat "$log"
  echo "$*: failed with exit code $status" >&2
  exit "$status"
fi
