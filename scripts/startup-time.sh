#!/usr/bin/env bash
# Times the README's start-up figures: runs scripts/run.sh (local services, then the AppHost with its
# dashboard) and polls every 0.5 s from the moment it starts until the dashboard answers, the API's and
# the web's /health answer 200 (through the AppHost's proxied ports, 5390 and 5265), and /api/status says
# healthy (every layer it checks); prints each time with the machine's load average, then stops what it started.
# Needs the services installed and the solution built (otherwise the first run's install and build are
# timed too). For a new database (migrations and seeding timed too) give one: TT_PG_DB=teacherdb_fresh.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LIMIT_S="${TT_STARTUP_LIMIT_S:-300}"
log="$(mktemp)"
start=$(date +%s.%N)
setsid bash scripts/run.sh >"$log" 2>&1 &
pid=$!
stop() { # the AppHost stops its resources (through DCP) after it exits: wait for their ports to close
  kill -TERM -- "-$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -f "$log"
  for _ in $(seq 1 60); do ss -ltn | grep -qE ':(15190|5390|5265) ' || break; sleep 0.5; done
}
trap stop EXIT
since() { echo "$(date +%s.%N) - $start" | bc | xargs printf '%.1f'; }
ok() { curl -fs -o /dev/null --max-time 2 "$1" 2>/dev/null; }
dashboard="" api="" web="" status=""
while :; do
  [ -z "$dashboard" ] && curl -s -o /dev/null --max-time 2 http://localhost:15190 2>/dev/null && dashboard=$(since)
  [ -z "$api" ] && ok http://localhost:5390/health && api=$(since)
  [ -z "$web" ] && ok http://localhost:5265/health && web=$(since)
  if [ -n "$api" ] && [ -z "$status" ] && curl -fs --max-time 2 http://localhost:5390/api/status 2>/dev/null | grep -qiE '"status": *"healthy"'; then status=$(since); fi
  if [ -n "$dashboard" ] && [ -n "$api" ] && [ -n "$web" ] && [ -n "$status" ]; then break; fi
  if ! kill -0 "$pid" 2>/dev/null || [ "$(printf '%.0f' "$(since)")" -gt "$LIMIT_S" ]; then
    echo "[startup] gave up after $(since) s; the last lines of scripts/run.sh:"; tail -n 20 "$log"; exit 1
  fi
  sleep 0.5
done
echo "[startup] dashboard answering after ${dashboard} s; API healthy ${api} s, web healthy ${web} s; /api/status healthy ${status} s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
