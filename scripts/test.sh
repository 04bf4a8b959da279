#!/usr/bin/env bash
# Runs the whole test suite against real services: starts PostgreSQL (pgvector) and Redis with
# local-services.sh, installs Debian's Chromium for the browser tests if missing, runs every test,
# and ends with one line "N passed, N failed, N skipped" taken from the test results file.
# Extra arguments go to dotnet test (for example: --filter "FullyQualifiedName~Unit").
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

bash scripts/local-services.sh || { echo "local services failed to start"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC1091
source .local/services.env

if ! command -v chromium >/dev/null 2>&1; then
  echo "[test] installing Debian's chromium for the browser tests"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null;
  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; fi
fi

results="$ROOT/artifacts/test-results"
rm -rf "$results" && mkdir -p "$results"
console_log="$results/console.log"
# A test that runs past the hang timeout is stopped and named (with a mini dump in the results folder),
# instead of eating the whole CI budget; no single test here takes near that long (TT_HANG_TIMEOUT overrides).
dotnet test TeacherTrainer.sln -c Release \
  --blame-hang-timeout "${TT_HANG_TIMEOUT:-10m}" --blame-hang-dump-type mini \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@" 2>&1 | tee "$console_log"
status=${PIPESTATUS[0]}

trx="$(find "$results" -name '*.trx' | head -n 1)"
if [ -z "$trx" ]; then
  echo "no test results were written (the build or the test host failed)"
  echo "0 passed, 1 failed"
  exit 1
fi
counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
count() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
passed="$(count passed)"; failed="$(count failed)"; total="$(count total)"; executed="$(count executed)"
errors="$(count error)"; timeouts="$(count timeout)"; aborted="$(count aborted)"
failed=$(( ${failed:-0} + ${errors:-0} + ${timeouts:-0} + ${aborted:-0} ))
skipped=$(( ${total:-0} - ${executed:-0} ))
# Repeat each failure's message and stack just above the summary, so the tail of a CI log names
# what failed without scrolling back through hundreds of passing lines.
if [ "$failed" -gt 0 ]; then
  echo "---- failures ----"
  awk '/^  Failed /{show=1} /^  (Passed|Skipped) |^Test Run |^Results File: /{show=0} show' "$console_log" | head -n 400
  echo "------------------"
fi
echo "${passed:-0} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then exit "$status"; fi
[ "$failed" -eq 0 ]
