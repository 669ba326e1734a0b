#!/usr/bin/env bash
# Structure-only changes must not change what borrowlens reports: this records the output of
# `borrowlens check --format json` (and `--format human`) on every file of ../shared/corpus and on
# the cargo registry's sources, and compares a later binary's output with the recording.
#
#   tools/same_output.sh record DIR [BINARY]    # write DIR/{rustc-ui,seeds,registry}.{json,human}
#   tools/same_output.sh compare DIR [BINARY]   # exit 1 and show the first differences if any
#
# BINARY defaults to target/release/borrowlens. Run from the repository root, with the corpora in
# ../shared/corpus. The registry is `${CARGO_HOME:-$HOME/.cargo}/registry/src`, whatever crates it
# holds on this machine: record and compare on the same machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode=${1:?usage: tools/same_output.sh record|compare DIR [BINARY]}
dir=${2:?usage: tools/same_output.sh record|compare DIR [BINARY]}
binary=${3:-target/release/borrowlens}
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"

run() { # NAME PATH...: the json and human outputs of one set, exit status kept
  local name=$1 status=0
  shift
  "$binary" check --format json "$@" >"$out/$name.json" 2>"$out/$name.stderr" || status=$?
  echo "exit $status" >>"$out/$name.stderr"
  status=0
  "$binary" check --format human "$@" >"$out/$name.human" 2>/dev/null || status=$?
}

case $mode in
record) out=$dir ;;
compare) out=$(mktemp -d); trap 'rm -rf "$out"' EXIT ;;
*) echo "usage: tools/same_output.sh record|compare DIR [BINARY]" >&2; exit 2 ;;
esac
mkdir -p "$out"
run rustc-ui ../shared/corpus/rustc-ui/files
run seeds ../shared/corpus/seeds/files
if [ -d "$registry" ]; then run registry "$registry"; fi
if [ "$mode" = compare ]; then
  if diff -r "$dir" "$out" >/tmp/same_output.diff; then
    echo "same output: $(cat "$out"/*.json | wc -l) json lines, $(ls "$out" | wc -l) files"
  else
    head -40 /tmp/same_output.diff
    echo "error: the output differs from the recording in $dir" >&2
    exit 1
  fi
else
  echo "recorded $(cat "$out"/*.json | wc -l) json lines in $dir"
fi
