#!/usr/bin/env bash
# Install the desk's pinned browser libraries from npm (desk-assets/package-lock.json) and copy
# their dist files and LICENSE files into the package, so the desk needs no CDN and downloads
# nothing at run time. Run from anywhere; needs node/npm at build time only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
assets="$root/desk-assets"
vendor="$root/src/eventwire/serve/static/vendor"
(cd "$assets" && npm ci --no-audit --no-fund --ignore-scripts)
nm="$assets/node_modules"
rm -rf "$vendor"
mkdir -p "$vendor"/{uplot,cytoscape,leaflet/images,leaflet.markercluster}
cp "$nm/uplot/dist/uPlot.iife.min.js" "$nm/uplot/dist/uPlot.min.css" "$nm/uplot/LICENSE" \
  "$vendor/uplot/"
cp "$nm/cytoscape/dist/cytoscape.min.js" "$nm/cytoscape/LICENSE" "$vendor/cytoscape/"
cp "$nm/leaflet/dist/leaflet.js" "$nm/leaflet/dist/leaflet.css" "$nm/leaflet/LICENSE" \
  "$vendor/leaflet/"
cp "$nm/leaflet/dist/images/"*.png "$vendor/leaflet/images/"
cp "$nm/leaflet.markercluster/dist/leaflet.markercluster.js" \
  "$nm/leaflet.markercluster/dist/MarkerCluster.css" \
  "$nm/leaflet.markercluster/dist/MarkerCluster.Default.css" \
  "$nm/leaflet.markercluster/MIT-LICENCE.txt" "$vendor/leaflet.markercluster/"
# Record what was copied, with versions, so the package says what it ships.
node -e '
const lock = require(process.argv[1]);
const out = {};
for (const [k, v] of Object.entries(lock.packages)) {
  if (k.startsWith("node_modules/")) out[k.slice(13)] = {version: v.version, license: v.license};
}
console.log(JSON.stringify(out, null, 2));
' "$assets/package-lock.json" > "$vendor/VERSIONS.json"
echo "vendored into $vendor"
