#!/bin/sh
# Refresh the vendored front-end libraries from npm (no CDN). Files are copied unchanged,
# including the source maps their minified files point to: WhiteNoise's manifest storage
# (production) follows every `sourceMappingURL` and refuses to start when a map is missing.
set -eu
cd "$(dirname "$0")/.."
dest=begegnungsatlas/static/vendor
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent leaflet@1.9.4 leaflet.markercluster@1.5.3 htmx.org@2.0.11 >/dev/null)
for pkg in "$work"/*.tgz; do
    mkdir -p "${pkg%.tgz}" && tar xzf "$pkg" -C "${pkg%.tgz}"
done
l="$work/leaflet-1.9.4/package/dist"
cp "$l/leaflet.js" "$l/leaflet.js.map" "$l/leaflet.css" "$dest/leaflet/"
cp -r "$l/images" "$dest/leaflet/"
cp "$work/leaflet-1.9.4/package/LICENSE" "$dest/leaflet/LICENSE"
m="$work/leaflet.markercluster-1.5.3/package"
cp "$m/dist/leaflet.markercluster.js" "$m/dist/leaflet.markercluster.js.map" "$m/dist/MarkerCluster.css" \
   "$m/dist/MarkerCluster.Default.css" "$m/MIT-LICENCE.txt" "$dest/leaflet.markercluster/"
h="$work/htmx.org-2.0.11/package"
cp "$h/dist/htmx.min.js" "$h/LICENSE" "$dest/htmx/"
chmod 644 "$dest"/*/*.*
echo "vendored files refreshed in $dest"
