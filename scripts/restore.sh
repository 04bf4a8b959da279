#!/usr/bin/env bash
# Restores a file written by scripts/backup.sh:   scripts/restore.sh teachertrainer-YYYYMMDDTHHMMSSZ.tar
#   - the database into the EMPTY database ConnectionStrings__teacherdb names (it refuses one with
#     tables: create a new one, e.g. `createdb -O teacher teacherdb`). pgvector must be installable
#     there: the script creates the extension if missing, which needs a superuser unless it is in
#     template1 already (scripts/local-services.sh puts it there). Indexes, the HNSW ones included,
#     are rebuilt from their definitions; then the tables are analysed.
#   - the data-protection key ring into the sessions Redis (ConnectionStrings__sessions),
#     replacing any ring there, so sign-ins and anti-forgery tokens issued before the backup stay
#     valid. The web must run with the same DataProtection:KeyEncryptionKey as when it was taken.
# Then start the API and web on them (migrations newer than the backup run at the API's start-up).
# Runbook: docs/operations.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=backup-common.sh
source "$ROOT/scripts/backup-common.sh"
[ $# -eq 1 ] && [ -f "$1" ] || tt_die "usage: scripts/restore.sh BACKUP.tar (a file written by scripts/backup.sh)"
backup="$1"
tt_load_connections "$ROOT"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -C "$work" -xf "$backup" manifest.txt database.dump data-protection-keys.json \
  || tt_die "$backup is not a TeacherTrainer backup (manifest.txt, database.dump, data-protection-keys.json)"
grep -qx 'format=teachertrainer-backup/1' "$work/manifest.txt" || tt_die "$backup has an unknown format"
tt_say "restoring $(grep '^created_utc=' "$work/manifest.txt" | cut -d= -f2) ($(grep '^last_migration=' "$work/manifest.txt" | cut -d= -f2)) into $PGDATABASE"

started=$SECONDS
psql=("$(tt_pg_bin psql)" -X -v ON_ERROR_STOP=1 -qtA)
tables="$("${psql[@]}" -c "select count(*) from pg_tables where schemaname not in ('pg_catalog', 'information_schema')")" \
  || tt_die "cannot reach PostgreSQL at ${PGHOST:-localhost}:${PGPORT:-5432}/$PGDATABASE (create the empty database first)"
[ "$tables" = "0" ] || tt_die "database $PGDATABASE has $tables tables: restore only into an empty database (create a new one; keep the old until the restore is checked)"
"${psql[@]}" -c 'create extension if not exists vector' >/dev/null \
  || tt_die "pgvector is missing in $PGDATABASE and this role may not create it: as a superuser run 'create extension vector' in it"

# The extension exists already (above); its own entry would need a superuser, so it is left out.
pg_restore="$(tt_pg_bin pg_restore)"
"$pg_restore" --list "$work/database.dump" | grep -v -E ' EXTENSION - vector( |$)' > "$work/restore.list"
"$pg_restore" --use-list "$work/restore.list" --no-owner --no-acl --no-comments --exit-on-error \
  --single-transaction --dbname "$PGDATABASE" "$work/database.dump"
"${psql[@]}" -c 'set client_min_messages = error' -c 'analyze' >/dev/null

# Replaces the ring atomically with the backup's keys (a web started on an empty Redis may have made one).
keys="$(redis-cli "${TT_REDIS[@]}" --raw -x EVAL "
  local keys = cjson.decode(ARGV[1])
  redis.call('DEL', KEYS[1])
  for _, key in ipairs(keys) do redis.call('RPUSH', KEYS[1], key) end
  return #keys" 1 "$TT_KEY_RING_KEY" < "$work/data-protection-keys.json")" || tt_die "cannot write the key ring to the sessions Redis"
[[ "$keys" =~ ^[0-9]+$ ]] || tt_die "the sessions Redis answered: $keys"

tt_say "restored $PGDATABASE and $keys data-protection keys in $((SECONDS - started)) s"
