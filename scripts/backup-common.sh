# Shared by scripts/backup.sh and scripts/restore.sh (sourced, not run): turns the connection
# strings the application itself reads into what the PostgreSQL and Redis command-line tools take.
#
#   ConnectionStrings__teacherdb  Npgsql form: Host=...;Port=...;Database=...;Username=...;Password=...[;SSL Mode=Require]
#   ConnectionStrings__sessions   StackExchange.Redis form: host:port[,password=...][,user=...][,ssl=true][,defaultDatabase=N]
#
# When neither is in the environment, .local/services.env (written by scripts/local-services.sh)
# gives the development ones. Values containing ';' or ',' are not supported here.

# The Redis list the web keeps its (encrypted) data-protection key ring in:
# TeacherTrainer.Web/Extensions/DataProtectionExtensions.cs, KeysKey.
TT_KEY_RING_KEY="teachertrainer:web:data-protection-keys"

tt_say() { printf '\033[1;34m[%s]\033[0m %s\n' "$(basename "$0" .sh)" "$*" >&2; }
tt_die() { printf '\033[1;31m[%s]\033[0m %s\n' "$(basename "$0" .sh)" "$*" >&2; exit 1; }

tt_load_connections() {
  local root="$1"
  if [ -z "${ConnectionStrings__teacherdb:-}" ] && [ -f "$root/.local/services.env" ]; then
    # shellcheck disable=SC1091
    source "$root/.local/services.env"
  fi
  [ -n "${ConnectionStrings__teacherdb:-}" ] || tt_die "ConnectionStrings__teacherdb is not set (the API's database connection string)"
  [ -n "${ConnectionStrings__sessions:-}" ] || tt_die "ConnectionStrings__sessions is not set (the web's sign-in Redis, which holds the data-protection keys)"
  tt_pg_env "$ConnectionStrings__teacherdb"
  tt_redis_args "$ConnectionStrings__sessions"
}

# Exports PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD (and PGSSLMODE) from an Npgsql connection string.
tt_pg_env() {
  local part key value
  local IFS=';'
  for part in $1; do
    [ -n "$part" ] || continue
    key="$(printf '%s' "${part%%=*}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')"
    value="${part#*=}"
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      database|db) export PGDATABASE="$value" ;;
      username|userid|user|uid) export PGUSER="$value" ;;
      password|pwd) export PGPASSWORD="$value" ;;
      sslmode) export PGSSLMODE="$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]' | sed 's/verifyca/verify-ca/;s/verifyfull/verify-full/')" ;;
    esac
  done
  [ -n "${PGDATABASE:-}" ] || tt_die "the database connection string names no Database"
}

# Fills the array TT_REDIS (redis-cli arguments) and exports REDISCLI_AUTH from a StackExchange.Redis connection string.
tt_redis_args() {
  local part key value endpoint="" database=0
  TT_REDIS=()
  local IFS=','
  for part in $1; do
    part="$(printf '%s' "$part" | tr -d ' ')"
    [ -n "$part" ] || continue
    if [[ "$part" != *=* ]]; then [ -n "$endpoint" ] || endpoint="$part"; continue; fi
    key="$(printf '%s' "${part%%=*}" | tr '[:upper:]' '[:lower:]')"
    value="${part#*=}"
    case "$key" in
      password) export REDISCLI_AUTH="$value" ;;
      user) TT_REDIS+=(--user "$value") ;;
      ssl) [ "$(printf '%s' "$value" | tr '[:upper:]' '[:lower:]')" = "true" ] && TT_REDIS+=(--tls) ;;
      defaultdatabase) database="$value" ;;
    esac
  done
  [ -n "$endpoint" ] || tt_die "the sessions connection string names no host"
  TT_REDIS+=(-h "${endpoint%:*}" -n "$database")
  if [[ "$endpoint" == *:* ]]; then TT_REDIS+=(-p "${endpoint##*:}"); fi
}

# The newest installed PostgreSQL client tools: pg_dump refuses a server newer than itself, and
# reads every older one, so the newest is the one that works with the most servers.
tt_pg_bin() {
  local newest
  newest="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$newest" ] && [ -x "$newest/$1" ]; then printf '%s/%s' "$newest" "$1"
  elif command -v "$1" >/dev/null 2>&1; then command -v "$1"
  else tt_die "$1 is not installed (Debian: apt-get install postgresql-client-15, or the version of your server)"; fi
}
