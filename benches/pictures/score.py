# SSIMULACRA2 of the published 1080 px variants (issue 13): each screenshot of SHOTS resized to
# 1080 px with Lanczos (the ideal) against what tebiki and Hugo published for it, decoded.
# Prints bytes and the mean and minimum score of each. Build tebiki's with no annotations
# (TEBIKI_BENCH_PLAIN=1: a mask would be burned in) and keep Hugo's (HUGO_KEEP).
#
#   /tmp/iq/bin/python benches/pictures/score.py SHOTS tebiki=DIR/public hugo=DIR ...
import glob, os, sys
from concurrent.futures import ProcessPoolExecutor
from PIL import Image
from ssimulacra2 import compute_ssimulacra2

WIDTH = 1080

def candidates(kind, folder, i, stem):
    if kind.startswith("tebiki"):
        return glob.glob(os.path.join(folder, "**", f"s{i}-*-{WIDTH}.webp"), recursive=True)
    return glob.glob(os.path.join(folder, "**", f"{stem}_hu*.webp"), recursive=True)

def one(job):
    i, shot, outputs, tmp = job
    stem = os.path.basename(shot)[:-4]
    src = Image.open(shot).convert("RGB")
    ref = src.resize((WIDTH, round(src.height * WIDTH / src.width)), Image.LANCZOS)
    refp = os.path.join(tmp, f"{stem}-ref.png"); ref.save(refp)
    row = {}
    for kind, folder in outputs:
        for path in candidates(kind, folder, i, stem):
            img = Image.open(path)
            if img.width != WIDTH:
                continue
            decp = os.path.join(tmp, f"{stem}-{kind}.png"); img.convert("RGB").save(decp)
            row[kind] = (os.path.getsize(path), compute_ssimulacra2(refp, decp))
    return row

if __name__ == "__main__":
    shots = sorted(glob.glob(os.path.join(sys.argv[1], "*.png")))
    outputs = [arg.split("=", 1) for arg in sys.argv[2:]]
    tmp = "/tmp/tebiki-score"; os.makedirs(tmp, exist_ok=True)
    with ProcessPoolExecutor(2) as ex:
        rows = list(ex.map(one, [(i, s, outputs, tmp) for i, s in enumerate(shots)]))
    for kind, _ in outputs:
        got = [r[kind] for r in rows if kind in r]
        if not got:
            print(f"{kind:12} no {WIDTH} px files found"); continue
        scores = [s for _, s in got]
        print(f"{kind:12} {len(got):3} files {sum(b for b, _ in got)/1e6:6.3f} MB  "
              f"SSIMULACRA2 mean {sum(scores)/len(scores):5.1f}  min {min(scores):5.1f}")
