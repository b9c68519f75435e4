# Bytes and SSIMULACRA2 of libwebp (Pillow 13's) at several qualities on the UI screenshots of
# benches/pictures/screenshots.mjs, each resized to WIDTH px (default 1080), to choose the default
# quality of lossy WebP (issue 13).
#
#   python3 -m venv /tmp/iq && /tmp/iq/bin/pip install pillow ssimulacra2
#   /tmp/iq/bin/python benches/pictures/webp_quality.py 1080 /tmp/shots
import glob, io, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from PIL import Image
from ssimulacra2 import compute_ssimulacra2

MODES = [("q70", dict(quality=70, method=4)), ("q75", dict(quality=75, method=4)),
         ("q80", dict(quality=80, method=4)), ("q90", dict(quality=90, method=4)),
         ("lossless", dict(lossless=True, quality=80, method=4))]

def one(path):
    stem = os.path.basename(path)[:-4]
    src = Image.open(path).convert("RGB")
    w = int(sys.argv[1]) if len(sys.argv) > 1 else 1080
    ref = src.resize((w, round(src.height * w / src.width)), Image.LANCZOS)
    refp = f"/tmp/m/{stem}-ref.png"; ref.save(refp, "PNG", optimize=True)
    out = {"png": (os.path.getsize(refp), 100.0)}
    for name, kw in MODES:
        buf = io.BytesIO(); ref.save(buf, "WEBP", **kw)
        decp = f"/tmp/m/{stem}-{name}.png"
        Image.open(io.BytesIO(buf.getvalue())).convert("RGB").save(decp)
        s = 100.0 if name == "lossless" else compute_ssimulacra2(refp, decp)
        out[name] = (len(buf.getvalue()), s)
    return out

if __name__ == "__main__":
    os.makedirs("/tmp/m", exist_ok=True)
    shots = sys.argv[2] if len(sys.argv) > 2 else "/tmp/shots"
    files = sorted(glob.glob(os.path.join(shots, "*.png")))
    with ProcessPoolExecutor(2) as ex:
        results = list(ex.map(one, files))
    for name in ["png"] + [m for m, _ in MODES]:
        total = sum(r[name][0] for r in results)
        scores = sorted(r[name][1] for r in results)
        print(f"{name:9} {total/1e6:6.2f} MB  SSIMULACRA2 median {scores[len(scores)//2]:5.1f}  min {scores[0]:5.1f}")
