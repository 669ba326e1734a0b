#!/usr/bin/env bash
# The VS Code suite: packages the extension for this platform with BINARY inside
# (scripts/package.sh), installs code-server 4.100.3 and playwright-core into .tools/vscode-e2e
# (once; reused while the lock file is the same) and Debian's Chromium, installs the .vsix into
# code-server and runs e2e.js on a copy of a seed, with no `borrowlens` on PATH and no
# `borrowlens.server.path`: the server must be the bundled one.
# Exits non-zero when any check fails. The screenshot lands in editors/vscode/test/out/.
# Usage: editors/vscode/test/run.sh [BINARY]   (see ../../shared/EDITOR-TESTING.md, "VS Code")
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ext=$(cd "$here/.." && pwd)
root=$(cd "$ext/../.." && pwd)
cd "$root"

target=${CARGO_TARGET_DIR:-target}
case $target in /*) ;; *) target=$root/$target ;; esac
binary=${1:-$target/release/borrowlens}
seeds=${BORROWLENS_SEEDS:-$root/../shared/corpus/seeds/files/seeds}
out=$here/out
[ -x "$binary" ] || { echo "error: no server at $binary (cargo build --release -p borrowlens)" >&2; exit 1; }
binary=$(realpath "$binary")
[ -d "$seeds" ] || { echo "error: no seeds at $seeds" >&2; exit 1; }
step() { printf -- '-- %s (%ss)\n' "$*" "$SECONDS"; }

# npm writes nothing but warnings about the machine's npmrc here; keep its output short.
npm_quiet() {
  local log
  log=$(mktemp)
  if "$@" > "$log" 2>&1; then
    grep -v '^npm warn' "$log" || true
    rm -f "$log"
  else
    grep -v '^npm warn' "$log" >&2 || true
    rm -f "$log"
    return 1
  fi
}

step "system packages: chromium, ripgrep, libkrb5-dev"
missing=()
for pkg in chromium ripgrep libkrb5-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
chromium_bin=$(command -v chromium)

case $(uname -s)-$(uname -m) in
  Linux-x86_64) vsce_target=linux-x64 ;;
  Linux-aarch64) vsce_target=linux-arm64 ;;
  *) echo "error: no VS Code target for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
tmp=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

step "extension: scripts/package.sh $vsce_target (npm ci, type check, bundle, server inside, vsce)"
vsix=$tmp/borrowlens-$vsce_target.vsix
bash "$ext/scripts/package.sh" "$vsce_target" "$binary" "$vsix"

step "code-server 4.100.3 and playwright-core in .tools/vscode-e2e"
tools=$root/.tools/vscode-e2e
lock_hash=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$tools/.borrowlens-lock" 2>/dev/null)" != "$lock_hash" ] || [ ! -x "$tools/node_modules/.bin/code-server" ]; then
  rm -rf "$tools"
  mkdir -p "$tools"
  cp "$here/package.json" "$here/package-lock.json" "$tools/"
  # @vscode/ripgrep's postinstall downloads rg from GitHub: seed its cache with Debian's rg.
  cache=$(node -p "require('os').tmpdir()")/vscode-ripgrep-cache-1.15.11
  scratch=$(mktemp -d)
  mkdir -p "$cache"
  cp "$(command -v rg)" "$scratch/rg"
  tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$scratch" rg
  rm -rf "$scratch"
  # As root, install scripts need unsafe_perm; node-pty's runs `npx node-gyp`, which yes=false cancels.
  (cd "$tools" && export npm_config_unsafe_perm=true npm_config_yes=true && npm_quiet npm ci --no-audit --no-fund)
  echo "$lock_hash" > "$tools/.borrowlens-lock"
fi
# Keep code-server's config and state out of the home directory.
export XDG_CONFIG_HOME=$tmp/xdg/config XDG_DATA_HOME=$tmp/xdg/data XDG_CACHE_HOME=$tmp/xdg/cache
code_server=$tools/node_modules/.bin/code-server
"$code_server" --version | head -1
ws=$tmp/ws
file=s002_shared_then_exclusive.rs
mkdir -p "$ws" "$tmp/ud/User" "$tmp/ext"
cp "$seeds/$file" "$ws/"
chmod -R u+w "$ws"
printf '[package]\nname = "seed"\nversion = "0.1.0"\nedition = "2021"\n' > "$ws/Cargo.toml"

step "install $(basename "$vsix") and the probe"
(cd "$here/probe" && npm_quiet "$ext/node_modules/.bin/vsce" package --no-dependencies --skip-license \
  --allow-missing-repository -o "$tmp/probe.vsix")
for package in "$vsix" "$tmp/probe.vsix"; do
  # code-server's exit status says nothing about the install: read what it printed.
  "$code_server" --install-extension "$package" --extensions-dir "$tmp/ext" > "$tmp/install.txt" 2>&1 || true
  if ! grep -q 'was successfully installed' "$tmp/install.txt"; then
    cat "$tmp/install.txt" >&2
    echo "error: installing $package failed" >&2
    exit 1
  fi
done

# No borrowlens.server.path: the extension must find the server it carries.
cat > "$tmp/ud/User/settings.json" <<JSON
{
  "workbench.colorTheme": "Default Dark Modern",
  "workbench.colorCustomizations": {
    "borrowlens.sharedBorrowBackground": "#3794ff40",
    "borrowlens.sharedRegionBackground": "#3794ff1a",
    "borrowlens.mutableBorrowBackground": "#d1861666",
    "borrowlens.mutableRegionBackground": "#d186161f"
  },
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "editor.minimap.enabled": false,
  "editor.fontSize": 15,
  "editor.inlayHints.enabled": "on",
  "editor.inlayHints.maximumLength": 0,
  "editor.occurrencesHighlight": "off",
  "editor.selectionHighlight": false,
  "editor.lightbulb.enabled": "on",
  "editor.hover.above": false,
  "remote.autoForwardPorts": false,
  "window.zoomLevel": 0
}
JSON

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
probe_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Nor on PATH: code-server runs without the directories that hold a `borrowlens` (node by its
# absolute path, should it live in one of them).
node=$(command -v node)
clean_path=
IFS=: read -ra path_dirs <<< "$PATH"
for dir in "${path_dirs[@]}"; do
  [ -n "$dir" ] && [ ! -e "$dir/borrowlens" ] && clean_path=${clean_path:+$clean_path:}$dir
done
step "start code-server on 127.0.0.1:$port"
PATH=$clean_path BORROWLENS_PROBE_PORT=$probe_port "$node" "$code_server" --auth none --bind-addr "127.0.0.1:$port" \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  --user-data-dir "$tmp/ud" --extensions-dir "$tmp/ext" "$ws" > "$tmp/code-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/code-server.log" >&2; echo "error: code-server exited" >&2; exit 1; }
  sleep 0.5
done

step "run e2e.js in headless Chromium"
rm -rf "$out"
mkdir -p "$out"
status=0
PLAYWRIGHT=$tools/node_modules/playwright-core CHROMIUM=$chromium_bin URL="http://127.0.0.1:$port" \
  WS=$ws FILE=$file OUT=$out PROBE="http://127.0.0.1:$probe_port" EXTENSIONS=$tmp/ext SHOWCASE=$here/showcase.rs \
  timeout 300 node "$here/e2e.js" 2>&1 | tee "$out/e2e.txt" || status=$?
cp "$tmp/code-server.log" "$out/" 2>/dev/null || true
# Trust the summary line as well as the exit status: both must say that all passed.
if [ "$status" -ne 0 ] || ! grep -Eq '^[0-9]+ passed, 0 failed' "$out/e2e.txt"; then
  echo "vscode suite FAILED (exit status $status); logs and screenshots in $out" >&2
  exit 1
fi
rm -rf "$out/profile"
step "vscode suite passed; screenshot: $out/borrowlens-vscode.png"
