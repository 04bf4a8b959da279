#!/usr/bin/env bash
# Every speed figure of the judge (docs/evaluation.md "Speed", docs/performance.md), in one command,
# on loopback only (about 10 minutes on 2 cores). Starts PostgreSQL and Redis with local-services.sh,
# builds in Release, then runs, printing the machine's load average beside each:
#   1. one judgement in process, warm (BenchmarkDotNet JudgementBenchmarks: p95 of single calls);
#   2. where a judgement's time goes (judgement-profile: a Stopwatch per stage);
#   3. POST /api/evaluations over loopback, one client: general rubric, scenario, 1,000-item collection
#      (the API as its own Release process on a fresh database; Server-Timing per stage);
#   4. practice turns at saturation and paced (the load command with 20 trainees, no vector search).
# Output: artifacts/speed/report.txt (and BenchmarkDotNet's own files under artifacts/speed/bdn).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/local-services.sh >/dev/null
mkdir -p artifacts/speed
exec > >(tee artifacts/speed/report.txt) 2>&1
load() { echo "[speed] $1: $(date -u +%H:%M:%S) UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"; }
load "start"
dotnet build TeacherTrainer.Benchmarks -c Release -v quiet -nologo >/dev/null
BENCH="dotnet TeacherTrainer.Benchmarks/bin/Release/net10.0/TeacherTrainer.Benchmarks.dll"

load "1. one judgement in process (BenchmarkDotNet)"
dotnet run -c Release --no-build --project TeacherTrainer.Benchmarks -- --filter '*JudgementBenchmarks*' \
  --artifacts artifacts/speed/bdn | sed -n '/^| Method/,/^$/p'
load "2. where a judgement's time goes"
$BENCH judgement-profile --iterations 300
load "3. POST /api/evaluations over loopback"
timeout 900 $BENCH evaluations --requests 300
load "4. practice turns (20 trainees, unpaced and paced at 100/s)"
timeout 1200 $BENCH load --skip-vectors --levels 20 --out artifacts/speed/load | grep -E '^\[load\] (embedding|practice)|turns,|/s \(mean' || true
load "end"
