#!/usr/bin/env bash
# Load benchmark of `tebiki serve` (not a test): the release binary serves a copy of the bundled
# site while 2,000 idle connections are held open (half of them in the middle of a request head,
# like a slowloris client) and wrk runs `-t2 -c64 -d20s` against the guide page. Prints wrk's
# latency distribution and errors, the server's memory before and after, and whether it still
# answers and never panicked.
#
# Run: bash benches/serve_load.sh   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 2; }
cargo build --release --quiet
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; kill "$idle" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/site"
cp -r site.yaml content themes "$work/site/"
target/release/tebiki serve --root "$work/site" --port 0 >"$work/out.log" 2>"$work/err.log" &
server=$!
for _ in $(seq 100); do
  grep -q '^serving ' "$work/out.log" && break
  sleep 0.1
done
url=$(sed -n 's/^serving .* at \(http[^ ]*\) .*/\1/p' "$work/out.log")
port=$(echo "$url" | sed 's/.*:\([0-9]*\)\/$/\1/')
rss() { awk '/^(VmRSS|VmHWM)/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/$server/status"; echo; }
echo "serving at $url"
echo "memory at start:        $(rss)"

# 2,000 idle connections, re-opened when the server cuts them off (its header deadline is 10 s).
python3 - "$port" >"$work/idle.log" 2>&1 <<'EOF' &
import socket, sys, time
port = int(sys.argv[1])
def open_one(i):
    s = socket.create_connection(("127.0.0.1", port))
    if i % 2:
        s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return s
conns = [open_one(i) for i in range(2000)]
print("open", len(conns), flush=True)
end = time.time() + 40
while time.time() < end:
    time.sleep(1)
    for i, s in enumerate(conns):
        try:
            s.setblocking(False)
            if s.recv(1, socket.MSG_PEEK) == b"":
                raise OSError
        except BlockingIOError:
            continue
        except OSError:
            s.close()
            conns[i] = open_one(i)
EOF
idle=$!
sleep 3
echo "idle connections: $(cat "$work/idle.log")"
echo "memory with 2,000 idle: $(rss)"
wrk -t2 -c64 -d20s --latency "${url}zaim-amazon/" | tee "$work/wrk.log"
echo "memory after the load:  $(rss)"
kill "$idle" 2>/dev/null || true
sleep 1
echo "memory after idle ones closed: $(rss)"
status=$(curl -s -o /dev/null -w '%{http_code}' "${url}")
echo "still answers: HTTP $status"
if grep -q panicked "$work/err.log"; then echo "PANIC:"; cat "$work/err.log"; exit 1; fi
echo "panics: 0"
