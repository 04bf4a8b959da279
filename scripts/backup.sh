#!/usr/bin/env bash
# Backs up everything TeacherTrainer cannot rebuild into ONE timestamped file,
# teachertrainer-YYYYMMDDTHHMMSSZ.tar, in the folder given (default: $TT_BACKUP_DIR, else ./backups):
#   database.dump               pg_dump --format=custom of the whole database: users and their roles,
#                               refresh tokens, cohorts, sessions, turns and judgements, overrides and
#                               comments, authored scenarios and their versions, collections with vectors
#                               (and the HNSW index definitions, rebuilt on restore)
#   data-protection-keys.json   the web's data-protection key ring from the sessions Redis, as stored
#                               there: each key ENCRYPTED with DataProtection:KeyEncryptionKey, which is
#                               NOT in the backup (keep it, and Jwt:SigningKey, in your secret store)
#   manifest.txt                when, from which server and migration
# Prints the file's path on the last line. Connection strings as the application reads them
# (ConnectionStrings__teacherdb, ConnectionStrings__sessions); see scripts/backup-common.sh.
# The file holds personal data and password hashes: it is written readable by its owner only.
# Restore it with scripts/restore.sh. Runbook: docs/operations.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=backup-common.sh
source "$ROOT/scripts/backup-common.sh"
tt_load_connections "$ROOT"

out_dir="${1:-${TT_BACKUP_DIR:-$ROOT/backups}}"
umask 077
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
file="$out_dir/teachertrainer-$stamp.tar"
[ ! -e "$file" ] || tt_die "$file exists already (one backup a second at most)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

started=$SECONDS
psql="$(tt_pg_bin psql)"
server_version="$("$psql" -X -qtA -c 'show server_version')" \
  || tt_die "cannot reach PostgreSQL at ${PGHOST:-localhost}:${PGPORT:-5432}/$PGDATABASE"
# The API's migrations history table (Data/ApplicationServiceExtensions: MigrationsHistoryTable); its first column is the migration's id.
migration="$({ "$psql" -X -qtA -c 'select * from __ef_migrations order by 1 desc limit 1' 2>/dev/null || true; } | cut -d'|' -f1)"
migration="${migration:-none}"

tt_say "dumping database $PGDATABASE (PostgreSQL $server_version)"
# --no-owner/--no-acl: the restore may run as another role, on another server.
"$(tt_pg_bin pg_dump)" --format=custom --no-owner --no-acl --file "$work/database.dump"

tt_say "exporting the data-protection key ring"
# One JSON array of the list's elements (each an encrypted <key> XML document), read atomically.
redis-cli "${TT_REDIS[@]}" --raw EVAL "return cjson.encode(redis.call('LRANGE', KEYS[1], 0, -1))" 1 "$TT_KEY_RING_KEY" \
  > "$work/data-protection-keys.json" || tt_die "cannot read the key ring from the sessions Redis"
grep -q '^[[{]' "$work/data-protection-keys.json" || tt_die "the sessions Redis answered: $(head -c 300 "$work/data-protection-keys.json")"
keys="$({ grep -o '<key ' "$work/data-protection-keys.json" || true; } | wc -l)"

cat > "$work/manifest.txt" <<MANIFEST
format=teachertrainer-backup/1
created_utc=$stamp
database=$PGDATABASE
server_version=$server_version
pg_dump_version=$("$(tt_pg_bin pg_dump)" --version)
last_migration=$migration
data_protection_keys=$keys
MANIFEST

# Written under a temporary name and renamed: a file with the final name is always complete.
tar -C "$work" -cf "$file.partial" manifest.txt database.dump data-protection-keys.json
mv "$file.partial" "$file"
tt_say "backed up $PGDATABASE (last migration $migration) and $keys data-protection keys in $((SECONDS - started)) s: $(du -h "$file" | cut -f1)"
echo "$file"
