#!/usr/bin/env bash
# Produces every figure in docs/evaluation.md, in one run (about 10 minutes on 2 cores), into
# artifacts/evaluation-report.txt. The in-process harnesses come first (cross-validated figures;
# the fit-* commands also rewrite the shipped model files, byte for byte the same when nothing
# changed: `git diff` shows whether a refit moved anything); then the API-level checks CI runs
# (the quality, red-line and robustness tests against the real services).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
out="$ROOT/artifacts/evaluation-report.txt"
mkdir -p "$(dirname "$out")"
: > "$out"
dotnet build TeacherTrainer.Benchmarks -c Release -v q -nologo >/dev/null
run() {
  echo "== dotnet run -c Release --project TeacherTrainer.Benchmarks -- $*" | tee -a "$out"
  dotnet run -c Release --no-build --project TeacherTrainer.Benchmarks -- "$@" 2>&1 | tee -a "$out"
  echo | tee -a "$out"
}
run baselines       # the data README's plain baselines, same model and data
run moves           # move classifier: 5-fold CV, held-out precision/recall, sincere->harmful
run fit-uptake      # uptake: 5-fold lesson-grouped CV
run fit-tutoring    # MRBench within-moment rho of the general rubric's overall: 5-fold moment-grouped CV
run fit-collection  # Bridge: expert over novice, stock replies over novice
run quality         # scenario authors' ratings: scenario-grouped CV, overlapping exemplars left out
run robustness      # gamed replies against the good replies they imitate, by family
echo "== scripts/test.sh (quality, red lines, robustness through the API)" | tee -a "$out"
bash scripts/test.sh --filter "FullyQualifiedName~EvaluationQuality|FullyQualifiedName~RedLine|FullyQualifiedName~RobustnessSuite|FullyQualifiedName~MoveClassifier" \
  --logger "console;verbosity=detailed" 2>&1 | grep -E "Spearman|rho|bridge|stock|robustness|held-out|caught|flagged|passed, " | tee -a "$out"
echo "report: $out"
