#!/bin/sh
# Re-vendor the browser assets from npm (pinned versions in package.json / package-lock.json).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
cp "$here/package.json" "$here/package-lock.json" "$tmp/"
(cd "$tmp" && npm ci --no-audit --no-fund --ignore-scripts)
n="$tmp/node_modules"
cp "$n/leaflet/dist/leaflet.js" "$n/leaflet/dist/leaflet.css" "$n/leaflet/LICENSE" "$here/leaflet/"
cp -r "$n/leaflet/dist/images" "$here/leaflet/"
cp "$n/topojson-client/dist/topojson-client.min.js" "$n/topojson-client/LICENSE" "$here/topojson-client/"
cp "$n/world-atlas/countries-110m.json" "$n/world-atlas/LICENSE" "$here/world-atlas/"
rm -rf "$tmp"
