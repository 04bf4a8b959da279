#!/usr/bin/env bash
# Installs (once) and starts PostgreSQL 15 with pgvector and Redis on this machine, for running
# TeacherTrainer without a container runtime. Idempotent: safe to run again; it only does what is missing.
# Writes the connection strings to .local/services.env for scripts/run.sh and scripts/test.sh.
#
# Development defaults, overridable from the environment (never use these outside a dev machine):
#   TT_PG_PORT (5432) TT_PG_USER (teacher) TT_PG_PASSWORD (teacher-dev-only) TT_PG_DB (teacherdb)
#   TT_REDIS_PORT (6379: the output cache; bounded by TT_CACHE_MAXMEMORY (256mb), evicts least recently used)
#   TT_SESSIONS_PORT (6380: the web's sign-ins and data-protection keys; never evicts)
set -euo pipefail

PG_VERSION=15
PG_PORT="${TT_PG_PORT:-5432}"
PG_USER="${TT_PG_USER:-teacher}"
PG_PASSWORD="${TT_PG_PASSWORD:-teacher-dev-only}"
PG_DB="${TT_PG_DB:-teacherdb}"
REDIS_PORT="${TT_REDIS_PORT:-6379}"
SESSIONS_PORT="${TT_SESSIONS_PORT:-6380}"
CACHE_MAXMEMORY="${TT_CACHE_MAXMEMORY:-256mb}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$ROOT/.local"
mkdir -p "$STATE_DIR"

say() { printf '\033[1;34m[local-services]\033[0m %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need_pkgs=()
dpkg -s "postgresql-$PG_VERSION" >/dev/null 2>&1 || need_pkgs+=("postgresql-$PG_VERSION")
dpkg -s "postgresql-server-dev-$PG_VERSION" >/dev/null 2>&1 || need_pkgs+=("postgresql-server-dev-$PG_VERSION")
dpkg -s redis-server >/dev/null 2>&1 || need_pkgs+=(redis-server)
# scripts/backup.sh and restore.sh (and their tests) use the client tools of the same major version.
dpkg -s "postgresql-client-$PG_VERSION" >/dev/null 2>&1 || need_pkgs+=("postgresql-client-$PG_VERSION")
command -v redis-cli >/dev/null 2>&1 || need_pkgs+=(redis-tools)
command -v make >/dev/null 2>&1 || need_pkgs+=(make)
command -v gcc >/dev/null 2>&1 || need_pkgs+=(gcc)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  say "installing ${need_pkgs[*]} (Debian packages)"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

PG_CONFIG="/usr/lib/postgresql/$PG_VERSION/bin/pg_config"
if [ ! -f "$("$PG_CONFIG" --sharedir)/extension/vector.control" ]; then
  # Debian 12 has no pgvector package; Debian 13's source package builds against PostgreSQL 15.
  say "building pgvector from the Debian 13 source package"
  work="$(mktemp -d)"
  mkdir -p "$work/apt/lists/partial" "$work/apt/archives/partial"
  echo "deb-src http://deb.debian.org/debian trixie main" > "$work/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
            -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache::Archives=$work/apt/archives"
            -o "APT::Get::List-Cleanup=0")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" source --download-only pgvector >/dev/null)
  tarball="$(ls "$work"/pgvector_*.orig.tar.* | head -n 1)"
  mkdir -p "$work/src" && tar -xf "$tarball" -C "$work/src" --strip-components=1
  make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" >/dev/null
  as_root make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" install >/dev/null
  rm -rf "$work"
fi

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$PG_VERSION main"; then
  say "creating PostgreSQL cluster $PG_VERSION/main on port $PG_PORT"
  as_root pg_createcluster "$PG_VERSION" main -p "$PG_PORT" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
  say "starting PostgreSQL $PG_VERSION"
  as_root pg_ctlcluster "$PG_VERSION" main start
fi
PG_PORT="$(pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" {print $3}')"

psql_admin() { as_root runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
for _ in $(seq 1 30); do psql_admin -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
if [ "$(psql_admin -c "select 1 from pg_roles where rolname='$PG_USER'")" != "1" ]; then
  say "creating role $PG_USER"
  psql_admin -c "create role \"$PG_USER\" login password '$PG_PASSWORD'"
else
  psql_admin -c "alter role \"$PG_USER\" login password '$PG_PASSWORD'"
fi
# The role creates databases so integration tests can make throwaway ones, and may end other
# sessions in them (pg_signal_backend): DROP DATABASE ... WITH (FORCE) must stop an autovacuum
# worker still busy in a just-used test database, which on a slow machine outlasts any retry.
psql_admin -c "alter role \"$PG_USER\" createdb"
psql_admin -c "grant pg_signal_backend to \"$PG_USER\""
if [ "$(psql_admin -c "select 1 from pg_database where datname='$PG_DB'")" != "1" ]; then
  say "creating database $PG_DB"
  psql_admin -c "create database \"$PG_DB\" owner \"$PG_USER\""
fi
# pgvector is not a trusted extension: create it as the superuser, in template1 too, so databases
# made later (tests) have it without superuser rights.
psql_admin -d "$PG_DB" -c 'create extension if not exists vector'
psql_admin -d template1 -c 'create extension if not exists vector'

# Two Redis servers, because eviction is a per-server setting: the output cache may be filled by
# anyone who can read the catalog, so it is bounded and evicts; the web's sign-in tickets and
# data-protection keys must never be evicted by that, so they live in a server that never evicts.
start_redis() { # port, log name, extra arguments...
  local port="$1" log="$2"; shift 2
  if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    say "starting Redis ($log) on port $port"
    # 64 logical databases: the test fixtures lease one each (TeacherTrainer.Tests/Fixtures/RedisDatabaseLeases.cs),
    # about six per suite run, so several checkouts can run their suites against one server at once.
    redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no --databases 64 \
      --logfile "$STATE_DIR/$log.log" "$@" >/dev/null
    for _ in $(seq 1 30); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
}
start_redis "$REDIS_PORT" redis --maxmemory "$CACHE_MAXMEMORY" --maxmemory-policy allkeys-lru
start_redis "$SESSIONS_PORT" sessions --maxmemory-policy noeviction
# A server started by an older version of this script: set the policies it should have.
redis-cli -p "$REDIS_PORT" config set maxmemory "$CACHE_MAXMEMORY" >/dev/null
redis-cli -p "$REDIS_PORT" config set maxmemory-policy allkeys-lru >/dev/null
redis-cli -p "$SESSIONS_PORT" config set maxmemory-policy noeviction >/dev/null

cat > "$STATE_DIR/services.env" <<ENV
# Written by scripts/local-services.sh: development-only connection strings for local services.
export ConnectionStrings__teacherdb="Host=127.0.0.1;Port=$PG_PORT;Database=$PG_DB;Username=$PG_USER;Password=$PG_PASSWORD"
export ConnectionStrings__cache="127.0.0.1:$REDIS_PORT"
export ConnectionStrings__sessions="127.0.0.1:$SESSIONS_PORT"
ENV
say "PostgreSQL $(psql_admin -d "$PG_DB" -c 'show server_version') with pgvector $(psql_admin -d "$PG_DB" -c "select extversion from pg_extension where extname='vector'") on port $PG_PORT; Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on port $REDIS_PORT (cache) and $SESSIONS_PORT (sessions)"
say "connection strings written to .local/services.env"
