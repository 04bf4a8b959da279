#!/usr/bin/env bash
# Starts the whole system on a machine without a container runtime: local PostgreSQL (pgvector) and
# Redis (installed and started by local-services.sh), then the Aspire AppHost with its dashboard.
# With Docker and a GPU instead, run the AppHost directly (F5, or: dotnet run --project TeacherTrainer.AppHost).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/local-services.sh
# shellcheck disable=SC1091
source .local/services.env
export Infrastructure__Mode=Existing
exec dotnet run --project TeacherTrainer.AppHost --launch-profile http "$@"
