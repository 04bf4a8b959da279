#!/usr/bin/env bash
# The formatting and analysis check CI runs before the tests (.ci/run): `dotnet format --verify-no-changes`
# over the solution, i.e. whitespace, code style and analyzer rules at severity warning, as .editorconfig sets
# them (see docs/architecture.md, "Checks"). Exits non-zero, naming each file and rule, when anything would change.
# To fix what it reports: dotnet format TeacherTrainer.sln --severity warn
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if dotnet format TeacherTrainer.sln --verify-no-changes --severity warn >"$log" 2>&1; then
  echo "[format] dotnet format --verify-no-changes: nothing to change"
  exit 0
fi
grep -E "error|warning" "$log" | sed "s|$ROOT/||g" | head -n 300
echo "[format] FAILED: the code does not match .editorconfig (whitespace, style or analyzer rules above)."
echo "[format] Run 'dotnet format TeacherTrainer.sln --severity warn' and commit the result."
exit 1
