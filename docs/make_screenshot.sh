#!/usr/bin/env bash
# Make the two pictures of the README from the bundled example:
# - docs/map.png: the HTML map as the browser tests see it, built with --tiles none (the
#   page loads nothing; the basemap is the bundled Natural Earth outlines), opened in
#   Debian's headless Chromium with every host unresolvable, after its scripts ran;
# - docs/print.png: the printed map, A4 at 100 dpi, as `routes build -o map.png` draws it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
routes -q build --tiles none -o "$work/map.html" >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --host-resolver-rules="MAP * ~NOTFOUND" \
  --virtual-time-budget=8000 --window-size=1280,860 --hide-scrollbars \
  --screenshot="$PWD/docs/map.png" "file://$work/map.html" 2>/dev/null
routes -q build --size A4 --dpi 100 -o docs/print.png >/dev/null
echo docs/map.png docs/print.png
