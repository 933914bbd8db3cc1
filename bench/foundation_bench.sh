#!/usr/bin/env bash
# KetaChart foundation benchmark (see docs/performance.md for results).
#
#   bench/foundation_bench.sh [BUILD_DIR]      (default: build; relative to the repo)
#
# Builds nothing: BUILD_DIR must hold `ketachart` and `bench_seed_patients`
# (cmake --build BUILD_DIR --target ketachart bench_seed_patients). Installs
# wrk and nginx-light with apt-get when they are missing. All traffic goes to
# 127.0.0.1. Steps:
#   1. seeds N patients (BENCH_PATIENTS, default 1,000,000) with
#      bench_seed_patients, cached in $BENCH_CACHE_DIR (default
#      /tmp/ketachart-bench-1m; reused when it holds the same N; delete it
#      after changing the seed program), and copies the database into a
#      temporary data directory;
#   2. cold start: exec of `ketachart serve` to the first 200 from /healthz
#      (polled every 5 ms), median of 5 starts; idle RSS (VmRSS) of each of
#      those processes 2 s after start;
#   3. logs in as bench.nurse, saves the bytes of one chart
#      (GET /api/v1/patients/{id}) as a static file served by a private nginx
#      (loopback, 2 workers, keep-alive, access_log off);
#   4. three rounds of: wrk -t2 -c32 -d10s on the chart endpoint with the
#      session cookie, a random patient id per request over all N (Lua), then
#      the same wrk against nginx; req/s of both and their ratio; checks that
#      the audit trail gained one patient.read event per successful read
#      (python3 sqlite3); RSS after each round;
#   5. three rounds of name-prefix search latency: wrk -t2 -c4 -d10s
#      --latency rotating through ~100 realistic 3-letter prefixes; p50/p99;
#   6. `ketachart audit verify` on the data directory;
#   7. a summary table of the medians and of the goals (it is a benchmark,
#      not a test: exits 0 whatever the figures, non-zero only when it could
#      not measure).
# Every process it starts is stopped on exit (trap), and the temporary
# directory removed (BENCH_KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
BUILD_DIR=${1:-build}
[[ $BUILD_DIR = /* ]] || BUILD_DIR="$REPO/$BUILD_DIR"
KETACHART="$BUILD_DIR/ketachart"
SEED="$BUILD_DIR/bench_seed_patients"
PATIENTS=${BENCH_PATIENTS:-1000000}
CACHE_DIR=${BENCH_CACHE_DIR:-/tmp/ketachart-bench-1m}
PASSWORD="bench-nurse-password-2026"
WRK_DURATION=${BENCH_DURATION:-10s}   # per wrk run (at most 10s); shorter only for trying the script
ROUNDS=3
COLD_STARTS=5

log() { echo "[bench] $*" >&2; }
die() { echo "foundation_bench: $*" >&2; exit 1; }

for binary in "$KETACHART" "$SEED"; do
  [[ -x $binary ]] || die "$binary is missing; build it: cmake --build $BUILD_DIR --target ketachart bench_seed_patients"
done
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
    { apt-get update >&2 && apt-get install -y --no-install-recommends "${missing[@]}" >&2; } ||
    die "could not install ${missing[*]}"
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

WORK=$(mktemp -d /tmp/ketachart-bench.XXXXXX)
chmod 711 "$WORK"   # nginx workers (user nobody when run as root) must reach $WORK/nginx
DATA="$WORK/data"
SERVER_PID=""
NGINX_PID=""
stop_pid() {  # stop_pid PID: SIGTERM, wait up to 5 s, then SIGKILL
  local pid=$1
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
# shellcheck disable=SC2317  # invoked by the trap
cleanup() {
  stop_pid "$SERVER_PID"
  stop_pid "$NGINX_PID"
  if [[ ${BENCH_KEEP:-0} = 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- helpers (python3: timing, parsing, medians, SQLite counts) -------------
HELPER="$WORK/helper.py"
cat >"$HELPER" <<'PY'
import http.client, json, os, re, sqlite3, statistics, subprocess, sys, time

def free_port():
    import socket
    s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()

def healthz(port):
    try:
        c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=1)
        c.request("GET", "/healthz"); r = c.getresponse(); r.read(); c.close()
        return r.status == 200
    except OSError:
        return False

def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise SystemExit("no VmRSS")

def coldstart(port, log_path, *cmd):
    # Time from exec to the first 200 from /healthz (polled every 5 ms), then
    # VmRSS after 2 s idle; stops the process.
    with open(log_path, "ab") as log:
        t0 = time.perf_counter()
        p = subprocess.Popen(list(cmd), stdout=log, stderr=log)
        while not healthz(port):
            if p.poll() is not None:
                raise SystemExit(f"server exited with {p.returncode} (see {log_path})")
            if time.perf_counter() - t0 > 30:
                p.kill(); raise SystemExit("server not ready after 30 s")
            time.sleep(0.005)
        ms = (time.perf_counter() - t0) * 1000
        time.sleep(2)
        rss = rss_kb(p.pid)
        p.terminate(); p.wait(timeout=10)
    print(f"{ms:.1f} {rss / 1024:.1f}")

def wait_ready(port, timeout):
    t0 = time.time()
    while time.time() - t0 < float(timeout):
        if healthz(int(port)): return
        time.sleep(0.005)
    raise SystemExit("not ready")

def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    value, unit = float(m.group(1)), m.group(2)
    return round(value * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit], 3)

def wrkparse(path):
    # -> JSON: requests, rps, non2xx, errors, p50_ms, p99_ms (when --latency)
    text = open(path).read()
    out = {"requests": 0, "rps": 0.0, "non2xx": 0, "errors": 0, "timeouts": 0}
    m = re.search(r"(\d+) requests in", text); out["requests"] = int(m.group(1)) if m else 0
    m = re.search(r"Requests/sec:\s+([\d.]+)", text); out["rps"] = float(m.group(1)) if m else 0.0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text); out["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        out["errors"] = sum(int(g) for g in m.groups()); out["timeouts"] = int(m.group(4))
    for pct in ("50", "90", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", text, re.M)
        if m: out[f"p{pct}_ms"] = to_ms(m.group(1))
    print(json.dumps(out))

def field(json_text, name):
    print(json.loads(json_text)[name])

def median(*values):
    print(f"{statistics.median(float(v) for v in values):.2f}")

def audit_head(db):
    c = sqlite3.connect(db, timeout=30)
    print(c.execute("SELECT COALESCE(MAX(id), 0) FROM audit_events").fetchone()[0]); c.close()

def audit_reads_after(db, after_id):
    c = sqlite3.connect(db, timeout=30)
    print(c.execute("SELECT COUNT(*) FROM audit_events WHERE id > ? AND action = 'patient.read' "
                    "AND outcome = 'success'", (int(after_id),)).fetchone()[0]); c.close()

def chart_id(db, n):
    # A patient in the middle of the register who has a weight (a typical chart).
    c = sqlite3.connect(db, timeout=30)
    row = c.execute("SELECT patient_id FROM patient_body_measurements WHERE patient_id >= ? "
                    "ORDER BY patient_id LIMIT 1", (int(n) // 2,)).fetchone()
    print(row[0] if row else 1); c.close()

globals()[sys.argv[1]](*sys.argv[2:])
PY
py() { python3 "$HELPER" "$@"; }

# --- 1. seed -------------------------------------------------------------------
mkdir -p "$DATA"
chmod 700 "$DATA"
marker="patients=$PATIENTS password=$PASSWORD format=2"
if [[ -f $CACHE_DIR/ketachart.db && -f $CACHE_DIR/bench-seed.info && $(cat "$CACHE_DIR/bench-seed.info") = "$marker" ]]; then
  log "reusing the seeded database in $CACHE_DIR ($PATIENTS patients)"
  SEED_LINE="reused cache $CACHE_DIR"
else
  if [[ $PATIENTS = 1000000 || -n ${BENCH_CACHE_DIR:-} ]]; then target=$CACHE_DIR; else target="$WORK/seed"; fi
  rm -rf "$target"
  log "seeding $PATIENTS patients into $target"
  SEED_LINE=$("$SEED" --data-dir "$target" --password "$PASSWORD" --patients "$PATIENTS")
  log "$SEED_LINE"
  echo "$marker" >"$target/bench-seed.info"
  CACHE_DIR=$target
fi
cp --reflink=auto "$CACHE_DIR/ketachart.db" "$DATA/ketachart.db"
DB="$DATA/ketachart.db"

PORT=$(py free_port)
NGINX_PORT=$(py free_port)
[[ -n $PORT && -n $NGINX_PORT && $PORT != "$NGINX_PORT" ]] || die "could not pick two free loopback ports"
SERVE=("$KETACHART" serve --data-dir "$DATA" --port "$PORT")

# --- 2. cold start and idle RSS -------------------------------------------------
cold=()
idle_rss=()
for i in $(seq "$COLD_STARTS"); do
  out=$(py coldstart "$PORT" "$WORK/server.log" "${SERVE[@]}") || die "server start $i failed (see $WORK/server.log)"
  read -r ms rss <<<"$out"
  log "start $i: ready in $ms ms, idle RSS $rss MiB"
  cold+=("$ms"); idle_rss+=("$rss")
done
COLD_MS=$(py median "${cold[@]}")
IDLE_RSS=$(py median "${idle_rss[@]}")

# --- 3. server, log-in, one chart as a static file for nginx ------------------------
"${SERVE[@]}" >>"$WORK/server.log" 2>&1 &
SERVER_PID=$!
py wait_ready "$PORT" 30 || die "server did not start (see $WORK/server.log)"
sleep 2
IDLE_RSS_MAIN=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER_PID/status")
curl -sS -f -c "$WORK/cookies" -H 'Content-Type: application/json' \
  -d "{\"username\":\"bench.nurse\",\"password\":\"$PASSWORD\"}" \
  "http://127.0.0.1:$PORT/api/v1/session" >/dev/null || die "log-in as bench.nurse failed"
SESSION=$(awk '$6 == "ketachart_session" {print $7}' "$WORK/cookies")
[[ -n $SESSION ]] || die "no session cookie after log-in"
COOKIE="Cookie: ketachart_session=$SESSION"
CHART_ID=$(py chart_id "$DB" "$PATIENTS")
mkdir -p "$WORK/nginx/www" "$WORK/nginx/tmp"
chmod 755 "$WORK/nginx" "$WORK/nginx/www"
curl -sS -f -H "$COOKIE" -o "$WORK/nginx/www/chart.json" "http://127.0.0.1:$PORT/api/v1/patients/$CHART_ID" ||
  die "GET /api/v1/patients/$CHART_ID failed"
chmod 644 "$WORK/nginx/www/chart.json"
CHART_BYTES=$(stat -c %s "$WORK/nginx/www/chart.json")
log "chart $CHART_ID: $CHART_BYTES bytes of JSON"

cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  sendfile on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/tmp/body;
  proxy_temp_path $WORK/nginx/tmp/proxy;
  fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
  scgi_temp_path $WORK/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/nginx/www;
  }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>>"$WORK/nginx/error.log" &
NGINX_PID=$!
for _ in $(seq 200); do curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/chart.json" && break; sleep 0.05; done
cmp -s <(curl -sS "http://127.0.0.1:$NGINX_PORT/chart.json") "$WORK/nginx/www/chart.json" ||
  die "nginx does not serve the chart (see $WORK/nginx/error.log)"

cat >"$WORK/chart.lua" <<'LUA'
-- One random patient per request over the whole register (not one hot row).
local patients = tonumber(os.getenv("BENCH_PATIENTS"))
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) math.randomseed(os.time() * 1000 + (tid or 0)) end
function request() return wrk.format("GET", "/api/v1/patients/" .. math.random(1, patients)) end
LUA
{
  echo "-- Name-prefix searches rotating through realistic 3-letter prefixes."
  echo "local prefixes = {"
  "$SEED" --print-prefixes | sed 's/.*/  "&",/'
  echo "}"
  cat <<'LUA'
local threads, i = 0, 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) i = (tid or 0) * 50 end
function request()
  i = i + 1
  return wrk.format("GET", "/api/v1/patients?q=" .. prefixes[(i % #prefixes) + 1])
end
LUA
} >"$WORK/search.lua"
PREFIX_COUNT=$("$SEED" --print-prefixes | wc -l)

# --- 4. chart reads vs nginx ---------------------------------------------------------
export BENCH_PATIENTS=$PATIENTS
chart_rps=(); nginx_rps=(); ratios=(); load_rss=(); chart_p50=(); chart_p99=(); audit_ok=yes; audit_notes=()
for round in $(seq "$ROUNDS"); do
  before=$(py audit_head "$DB")
  wrk -t2 -c32 -d"$WRK_DURATION" --latency -s "$WORK/chart.lua" -H "$COOKIE" "http://127.0.0.1:$PORT/" >"$WORK/chart-$round.txt"
  chart=$(py wrkparse "$WORK/chart-$round.txt")
  audited=$(py audit_reads_after "$DB" "$before")
  load_rss+=("$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER_PID/status")")
  wrk -t2 -c32 -d"$WRK_DURATION" --latency -H "$COOKIE" "http://127.0.0.1:$NGINX_PORT/chart.json" >"$WORK/nginx-$round.txt"
  static=$(py wrkparse "$WORK/nginx-$round.txt")
  c_rps=$(py field "$chart" rps); n_rps=$(py field "$static" rps)
  c_req=$(py field "$chart" requests); c_bad=$(py field "$chart" non2xx); c_err=$(py field "$chart" errors)
  ok_reads=$((c_req - c_bad))
  ratio=$(python3 -c "print(f'{$c_rps / $n_rps:.4f}')")
  chart_rps+=("$c_rps"); nginx_rps+=("$n_rps"); ratios+=("$ratio")
  chart_p50+=("$(py field "$chart" p50_ms)"); chart_p99+=("$(py field "$chart" p99_ms)")
  if ((audited < ok_reads)); then audit_ok=no; fi
  audit_notes+=("round $round: wrk completed $c_req chart reads ($c_bad non-2xx, $c_err socket errors), audit trail +$audited patient.read")
  log "round $round: chart $c_rps req/s, nginx $n_rps req/s, ratio $ratio; ${audit_notes[-1]}; RSS ${load_rss[-1]} MiB"
done
CHART_RPS=$(py median "${chart_rps[@]}")
NGINX_RPS=$(py median "${nginx_rps[@]}")
RATIO=$(python3 -c "import statistics; print(f'{statistics.median([${ratios[*]/%/,}]):.3f}')")
LOAD_RSS=$(py median "${load_rss[@]}")
CHART_P50=$(py median "${chart_p50[@]}")
CHART_P99=$(py median "${chart_p99[@]}")

# --- 5. name-prefix search latency -------------------------------------------------------
p50s=(); p99s=(); search_rps=(); search_notes=()
for round in $(seq "$ROUNDS"); do
  wrk -t2 -c4 -d"$WRK_DURATION" --timeout 30s --latency -s "$WORK/search.lua" -H "$COOKIE" \
    "http://127.0.0.1:$PORT/" >"$WORK/search-$round.txt"
  s=$(py wrkparse "$WORK/search-$round.txt")
  p50s+=("$(py field "$s" p50_ms)"); p99s+=("$(py field "$s" p99_ms)"); search_rps+=("$(py field "$s" rps)")
  search_notes+=("round $round: $(py field "$s" requests) searches, $(py field "$s" non2xx) non-2xx, $(py field "$s" timeouts) timeouts")
  log "search round $round: p50 ${p50s[-1]} ms, p99 ${p99s[-1]} ms, ${search_rps[-1]} req/s; ${search_notes[-1]}"
done
SEARCH_P50=$(py median "${p50s[@]}")
SEARCH_P99=$(py median "${p99s[@]}")
SEARCH_RPS=$(py median "${search_rps[@]}")
FINAL_RSS=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER_PID/status")

# --- 6. audit chain ------------------------------------------------------------------------
stop_pid "$SERVER_PID"; SERVER_PID=""
stop_pid "$NGINX_PID"; NGINX_PID=""
verify_started=$(date +%s.%N)
VERIFY=$("$KETACHART" audit verify --data-dir "$DATA" 2>&1) || audit_ok=no
VERIFY_S=$(python3 -c "print(f'{$(date +%s.%N) - $verify_started:.1f}')")

# --- 7. summary ----------------------------------------------------------------------------
goal() {  # goal VALUE OP TARGET -> met / MISSED
  if python3 -c "import sys; sys.exit(0 if $1 $2 $3 else 1)"; then echo met; else echo MISSED; fi
}
cat <<EOF

KetaChart foundation benchmark — $(date -u '+%Y-%m-%d %H:%M UTC')
machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load average at end $(cut -d' ' -f1-3 /proc/loadavg)
commit:  $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO" diff --quiet 2>/dev/null || echo ' (with local changes)')
data:    $PATIENTS patients ($SEED_LINE), database $(du -m "$DB" | cut -f1) MiB
chart:   GET /api/v1/patients/{random 1..$PATIENTS}, sample $CHART_BYTES bytes; nginx serves that sample as a static file
runs:    wrk -t2 -c32 -d$WRK_DURATION (chart, nginx) and -t2 -c4 -d$WRK_DURATION --latency (search over $PREFIX_COUNT prefixes), $ROUNDS rounds each; medians

| measurement                          | median      | runs                          | goal          |          |
|--------------------------------------|-------------|-------------------------------|---------------|----------|
| chart reads (authenticated, audited) | $CHART_RPS req/s | ${chart_rps[*]} | >= 10000/s    | $(goal "$CHART_RPS" '>=' 10000) |
| chart read latency p50 / p99 (c32)   | $CHART_P50 / $CHART_P99 ms | ${chart_p50[*]} / ${chart_p99[*]} |               |          |
| nginx, same JSON bytes (static)      | $NGINX_RPS req/s | ${nginx_rps[*]} |               |          |
| ratio chart / nginx                  | $RATIO      | ${ratios[*]} | >= 0.3        | $(goal "$RATIO" '>=' 0.3) |
| name-prefix search p50               | $SEARCH_P50 ms | ${p50s[*]} |               |          |
| name-prefix search p99               | $SEARCH_P99 ms | ${p99s[*]} | < 10 ms       | $(goal "$SEARCH_P99" '<' 10) |
| name-prefix search throughput        | $SEARCH_RPS req/s | ${search_rps[*]} |               |          |
| cold start (exec to /healthz 200)    | $COLD_MS ms | ${cold[*]} | < 300 ms      | $(goal "$COLD_MS" '<' 300) |
| idle RSS (2 s after start)           | $IDLE_RSS MiB | ${idle_rss[*]} (bench server: $IDLE_RSS_MAIN) | < 40 MB (38.1 MiB) | $(goal "$IDLE_RSS" '<' 38.15) |
| RSS after each chart-read round      | $LOAD_RSS MiB | ${load_rss[*]} (after searches: $FINAL_RSS) |               |          |

audit: $(printf '%s; ' "${audit_notes[@]}")
       every successful read audited: $audit_ok; audit verify (${VERIFY_S} s): $VERIFY
search: $(printf '%s; ' "${search_notes[@]}")
EOF
exit 0
