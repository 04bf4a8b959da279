#!/usr/bin/env bash
# The performance report's measurements (docs/performance.md), reproducible in one command, on
# loopback only, bounded in time (about 10 minutes; --quick: about 3). Starts PostgreSQL and Redis
# with local-services.sh, builds in Release, then runs `TeacherTrainer.Benchmarks load`, which
# starts its own redis-server and the ApiService (Release build, embedded AI, a fresh database,
# practice rate limits raised for the run), drives it, and stops what it started.
# Results: artifacts/perf/results.json, report.md and charts/*.svg.
# Extra arguments go to the load command (for example: --quick, --duration 30, --levels 1,20,100).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/local-services.sh >/dev/null
echo "[perf] load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# The Benchmarks build builds the ApiService it references into its own bin/Release, which the load command runs.
dotnet build TeacherTrainer.Benchmarks -c Release -v quiet -nologo >/dev/null
timeout 1800 dotnet TeacherTrainer.Benchmarks/bin/Release/net10.0/TeacherTrainer.Benchmarks.dll load "$@"
echo "[perf] load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
