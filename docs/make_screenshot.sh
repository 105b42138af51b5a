#!/usr/bin/env bash
# Make docs/map.png the way the browser tests see the map: the bundled example built
# self-contained, opened in Debian's headless Chromium with every host unresolvable
# (so no basemap tiles), after its scripts ran.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
routes -q build --self-contained -o "$work/map.html" >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --host-resolver-rules="MAP * ~NOTFOUND" \
  --virtual-time-budget=8000 --window-size=1280,860 --hide-scrollbars \
  --screenshot="$PWD/docs/map.png" "file://$work/map.html" 2>/dev/null
echo docs/map.png
