#!/usr/bin/env bash
# Interleaved A/B of audited chart reads for two ketachart binaries on copies
# of the foundation benchmark's seeded database (docs/performance.md).
#
#   bench/chart_read_ab.sh BIN_A BIN_B [ROUNDS]     (default 3 rounds)
#
# AB_ARGS_A / AB_ARGS_B add `serve` flags to one side (e.g. "--threads 32"),
# so one binary can also be compared with itself. AB_CACHE_A names another
# seeded directory for A (e.g. a copy at an older schema: the seed writes the
# newest schema, and an older binary on it would not measure the old one).
# Needs the cache that bench/foundation_bench.sh seeds ($BENCH_CACHE_DIR,
# default /tmp/ketachart-bench-1m) and wrk. Each binary gets its own copy of
# the database (so a migration one of them applies does not touch the other),
# then per round, A then B: start `serve`, log in as bench.nurse,
# wrk -t2 -c32 -d${AB_DURATION:-10s} on random charts, stop. Prints per run:
# req/s, p50/p99, server CPU (utime+stime) per read, bytes the server wrote
# to storage per read (/proc/PID/io write_bytes, so WAL and checkpoints), and
# the load average. Listens on 127.0.0.1 only; removes its copies on exit.
set -euo pipefail
A=$(realpath "$1"); B=$(realpath "$2"); ROUNDS=${3:-3}
CACHE_DIR=${BENCH_CACHE_DIR:-/tmp/ketachart-bench-1m}
DURATION=${AB_DURATION:-10s}
PATIENTS=${BENCH_PATIENTS:-1000000}
PASSWORD="bench-nurse-password-2026"
[[ -f $CACHE_DIR/ketachart.db ]] || { echo "chart_read_ab: no seeded database in $CACHE_DIR (run bench/foundation_bench.sh)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/ketachart-ab.XXXXXX)
SERVER_PID=""
cleanup() {
  if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/a" "$WORK/b"
cp "${AB_CACHE_A:-$CACHE_DIR}"/ketachart.db "$WORK/a/"
cp "$CACHE_DIR"/ketachart.db "$WORK/b/"
cat >"$WORK/chart.lua" <<'LUA'
local patients = tonumber(os.getenv("BENCH_PATIENTS"))
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) math.randomseed(os.time() * 1000 + (tid or 0)) end
function request() return wrk.format("GET", "/api/v1/patients/" .. math.random(1, patients)) end
LUA
export BENCH_PATIENTS=$PATIENTS
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
written() { awk '/^write_bytes:/ {print $2}' "/proc/$1/io"; }
run() {  # run LABEL BIN DIR [SERVE FLAGS...]
  local label=$1 bin=$2 dir=$3; shift 3
  "$bin" serve --data-dir "$dir" --port "$port" "$@" >>"$WORK/server-$label.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
  curl -sS -f -c "$WORK/cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"bench.nurse\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$port/api/v1/session" >/dev/null
  local session; session=$(awk '$6 == "ketachart_session" {print $7}' "$WORK/cookies")
  sleep 1
  local t0 w0 t1 w1; t0=$(cpu_ticks "$SERVER_PID"); w0=$(written "$SERVER_PID")
  wrk -t2 -c32 -d"$DURATION" --latency -s "$WORK/chart.lua" -H "Cookie: ketachart_session=$session" \
    "http://127.0.0.1:$port/" >"$WORK/wrk.txt"
  t1=$(cpu_ticks "$SERVER_PID"); w1=$(written "$SERVER_PID")
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  python3 - "$label" "$WORK/wrk.txt" "$((t1 - t0))" "$((w1 - w0))" "$(getconf CLK_TCK)" "$load" <<'PY'
import re, sys
label, path, ticks, wrote, hz, load = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
text = open(path).read()
reqs = int(re.search(r"(\d+) requests in", text).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
lat = dict(re.findall(r"\s+(50|99)%\s+(\S+)", text))
print(f"{label}: {rps:8.0f} req/s  p50 {lat.get('50')} p99 {lat.get('99')}  "
      f"cpu {ticks / hz * 1e6 / max(reqs, 1):5.0f} us/read  wrote {wrote / max(reqs, 1) / 1024:5.1f} KiB/read  "
      f"non-2xx {bad.group(1) if bad else 0}  load {load}", flush=True)
PY
}
for round in $(seq "$ROUNDS"); do
  # shellcheck disable=SC2086  # the flags are words
  run "A" "$A" "$WORK/a" ${AB_ARGS_A:-}
  # shellcheck disable=SC2086
  run "B" "$B" "$WORK/b" ${AB_ARGS_B:-}
done
