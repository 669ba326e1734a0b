#!/usr/bin/env bash
# Packages the extension for one platform with the server inside: a `.vsix` for VS Code's TARGET
# (vsce's platform names: linux-x64, linux-arm64, linux-armhf, alpine-x64, alpine-arm64,
# darwin-x64, darwin-arm64, win32-x64, win32-arm64) carrying BINARY, a release build of
# `borrowlens` for that platform, as server/borrowlens (server/borrowlens.exe for win32).
#
# Usage: editors/vscode/scripts/package.sh TARGET BINARY [OUT]
#   OUT defaults to editors/vscode/borrowlens-TARGET.vsix.
#
# It `npm ci`s the extension when node_modules does not match package-lock.json, type-checks and
# bundles src/ into dist/, and packs a copy of the extension (never the work tree itself, so that
# runs for several targets do not share a server/ directory). The copy of the binary loses its
# debug info when strip or objcopy knows its format (a release build with line tables is ~55 MB,
# ~13 MB without; the symbols stay, for readable backtraces) and stays executable. The binary's
# format and architecture are checked against TARGET first.
set -euo pipefail

usage() { echo "usage: $0 TARGET BINARY [OUT]" >&2; exit 2; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
target=$1
binary=$2
ext=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${3:-$ext/borrowlens-$target.vsix}

case $target in
  linux-x64 | alpine-x64) want=elf-x86_64 ;;
  linux-arm64 | alpine-arm64) want=elf-aarch64 ;;
  linux-armhf) want=elf-arm ;;
  darwin-x64) want=macho-x86_64 ;;
  darwin-arm64) want=macho-arm64 ;;
  win32-x64) want=pe-x86_64 ;;
  win32-arm64) want=pe-arm64 ;;
  *) echo "error: unknown target '$target' (linux-x64, linux-arm64, linux-armhf, alpine-x64, alpine-arm64, darwin-x64, darwin-arm64, win32-x64, win32-arm64)" >&2; exit 2 ;;
esac
[ -f "$binary" ] || { echo "error: no binary at $binary (cargo build --release -p borrowlens)" >&2; exit 1; }
case $target in win32-*) name=borrowlens.exe ;; *) name=borrowlens ;; esac

# Bytes of a file as hex, LEN bytes from OFFSET.
hex() { od -An -tx1 -j "$2" -N "$3" "$1" | tr -d ' \n'; }
# The binary's format and architecture, from its header: elf-x86_64, macho-arm64, pe-x86_64, ...
# (a fat Mach-O is macho-universal, good for either darwin target).
kind() {
  local magic
  magic=$(hex "$1" 0 4)
  case $magic in
    7f454c46)
      case $(hex "$1" 18 2) in 3e00) echo elf-x86_64 ;; b700) echo elf-aarch64 ;; 2800) echo elf-arm ;; *) echo elf-other ;; esac ;;
    cffaedfe)
      case $(hex "$1" 4 4) in 07000001) echo macho-x86_64 ;; 0c000001) echo macho-arm64 ;; *) echo macho-other ;; esac ;;
    cafebabe) echo macho-universal ;;
    4d5a*)
      local pe
      pe=$(hex "$1" 60 4)
      pe=$((16#${pe:6:2}${pe:4:2}${pe:2:2}${pe:0:2}))
      case $(hex "$1" "$pe" 6) in 504500006486) echo pe-x86_64 ;; 5045000064aa) echo pe-arm64 ;; *) echo pe-other ;; esac ;;
    *) echo unknown ;;
  esac
}
have=$(kind "$binary")
if [ "$have" != "$want" ] && ! { [ "$have" = macho-universal ] && [ "${want%%-*}" = macho ]; }; then
  echo "error: $binary is $have, but $target needs $want" >&2
  exit 1
fi

# npm writes nothing but warnings about the machine's npmrc here; keep its output short.
npm_quiet() {
  local log status=0
  log=$(mktemp)
  "$@" > "$log" 2>&1 || status=$?
  if [ "$status" -eq 0 ]; then grep -v '^npm warn' "$log" || true; else grep -v '^npm warn' "$log" >&2 || true; fi
  rm -f "$log"
  return "$status"
}

cd "$ext"
lock_hash=$({ sha256sum package-lock.json 2> /dev/null || shasum -a 256 package-lock.json; } | cut -d' ' -f1)
if [ "$(cat node_modules/.borrowlens-lock 2>/dev/null)" != "$lock_hash" ]; then
  npm_quiet npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.borrowlens-lock
fi
npm_quiet npm run --silent build

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# Everything .vscodeignore might let in; it decides what the .vsix holds.
tar -cf - --exclude=./node_modules --exclude=./test --exclude=./server --exclude='./*.vsix' . | tar -xf - -C "$stage"
mkdir "$stage/server"
copy=$stage/server/$name
how="copied as is (no strip or objcopy that reads it)"
if command -v strip > /dev/null && strip --strip-debug -o "$copy" "$binary" 2> /dev/null; then
  how="debug info stripped by strip"
elif rm -f "$copy" && command -v objcopy > /dev/null && objcopy --strip-debug "$binary" "$copy" 2> /dev/null; then
  how="debug info stripped by objcopy"
else
  rm -f "$copy"
fi
[ -f "$copy" ] || cp "$binary" "$copy"
chmod 0755 "$copy"
echo "server: $binary ($have, $(du -h "$binary" | cut -f1)) -> server/$name ($(du -h "$copy" | cut -f1), $how)"

# vsce rewrites the README's relative links to the repository, but knows no `directory`: give it
# the extension's folder in the repository, read from package.json.
base=$(node -p "const r = require('./package.json').repository; r.url.replace(/\.git\$/, '') + '/{kind}/HEAD/' + r.directory")
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
(cd "$stage" && npm_quiet "$ext/node_modules/.bin/vsce" package --no-dependencies --skip-license \
  --target "$target" --baseContentUrl "${base/\{kind\}/blob}" --baseImagesUrl "${base/\{kind\}/raw}" -o "$out")
[ -f "$out" ] || { echo "error: vsce wrote no $out" >&2; exit 1; }
# The mode travels in the zip (VS Code restores it on install; the extension sets it otherwise).
if command -v zipinfo > /dev/null && ! zipinfo "$out" "extension/server/$name" | grep -q '^-rwx'; then
  echo "error: extension/server/$name is not executable in $out" >&2
  exit 1
fi
echo "packaged: $out ($(du -h "$out" | cut -f1))"
