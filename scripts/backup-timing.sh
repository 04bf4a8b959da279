#!/usr/bin/env bash
# Measures scripts/backup.sh and scripts/restore.sh on this machine for a database of a chosen size:
#   scripts/backup-timing.sh [TURNS (50000)] [VECTORS (20000)]
# Fills a scratch database with tables shaped like TeacherTrainer's largest ones (a practice turn:
# the reply, the persona's answer and a judgement as JSON of about 1.5 KB; an embedding row: 384
# floats under an HNSW cosine index, as collection items and scenario exemplars are), backs it up,
# restores it into a second, empty scratch database, and prints the sizes and seconds of each step.
# The scratch databases and key ring (on the sessions Redis, logical database 10) are removed after.
# Uses the development services (scripts/local-services.sh); figures are in docs/operations.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=backup-common.sh
source "$ROOT/scripts/backup-common.sh"
tt_load_connections "$ROOT"
turns="${1:-50000}"
vectors="${2:-20000}"
psql="$(tt_pg_bin psql)"
admin_db="$PGDATABASE"
source_db="tt_timing_source_$$"
target_db="tt_timing_target_$$"
sessions="${ConnectionStrings__sessions%%,*},defaultDatabase=10"
folder="$(mktemp -d)"
cleanup() {
  rm -rf "$folder"
  "$psql" -X -q -d "$admin_db" -c "drop database if exists $source_db with (force)" -c "drop database if exists $target_db with (force)" >/dev/null 2>&1 || true
  redis-cli "${TT_REDIS[@]}" -n 10 del "$TT_KEY_RING_KEY" >/dev/null 2>&1 || true
}
trap cleanup EXIT
base="${ConnectionStrings__teacherdb}"
with_db() { printf '%s' "$base" | sed -E "s/(^|;)(Database|DB)=[^;]*/\1Database=$1/I"; }

"$psql" -X -q -d "$admin_db" -c "create database $source_db" -c "create database $target_db"
tt_say "filling $source_db: $turns turns, $vectors vectors (384 dimensions, HNSW)"
fill_started=$SECONDS
"$psql" -X -q -v ON_ERROR_STOP=1 -d "$source_db" <<SQL
create extension if not exists vector;
create table session_turns (id uuid primary key, session_id uuid not null, index int not null, trainee_text text not null,
  persona_reply text not null, judgement jsonb not null, created_at timestamptz not null);
insert into session_turns
select gen_random_uuid(), md5((i / 10)::text)::uuid, i % 10,
  'I can see this matters to you. What happened at break, and what would help now? ' || i,
  'Fine. Whatever. I just want to finish my rocket first, it is not fair. ' || i,
  jsonb_build_object('overall', i % 100, 'band', 'developing', 'suggestion', repeat('Ask what happened before you redirect. ', 8),
    'criteria', (select jsonb_agg(jsonb_build_object('key', 'c' || c, 'score', (i + c) % 100, 'rationale', repeat('Builds on the student. ', 6))) from generate_series(1, 4) c)),
  now() - (i || ' seconds')::interval
from generate_series(1, $turns) i;
create index on session_turns (session_id, index);
create table collection_items (id uuid primary key, response text not null, embedding vector(384) not null);
insert into collection_items
select gen_random_uuid(), 'How did you get ' || i || '?', (select array_agg(sin(i * 0.37 + d * 1.3))::vector(384) from generate_series(1, 384) d)
from generate_series(1, $vectors) i;
create index on collection_items using hnsw (embedding vector_cosine_ops);
set client_min_messages = error;
analyze;
SQL
tt_say "filled in $((SECONDS - fill_started)) s; database size $("$psql" -X -qtA -d "$source_db" -c "select pg_size_pretty(pg_database_size('$source_db'))")"
# A key ring of three keys, as a web that has run for most of a year has.
for k in 1 2 3; do redis-cli "${TT_REDIS[@]}" -n 10 rpush "$TT_KEY_RING_KEY" "<key id=\"$k\"><encryptedSecret>$(head -c 600 /dev/urandom | base64 -w0)</encryptedSecret></key>" >/dev/null; done

started=$EPOCHREALTIME
file="$(ConnectionStrings__teacherdb="$(with_db "$source_db")" ConnectionStrings__sessions="$sessions" bash "$ROOT/scripts/backup.sh" "$folder" | tail -n 1)"
backup_s=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
started=$EPOCHREALTIME
ConnectionStrings__teacherdb="$(with_db "$target_db")" ConnectionStrings__sessions="$sessions" bash "$ROOT/scripts/restore.sh" "$file"
restore_s=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')
restored="$("$psql" -X -qtA -d "$target_db" -c "select (select count(*) from session_turns) || ' turns, ' || (select count(*) from collection_items) || ' vectors, ' || (select count(*) from pg_indexes where indexdef like '%hnsw%') || ' HNSW index'")"

echo "database: $("$psql" -X -qtA -d "$source_db" -c "select pg_size_pretty(pg_database_size('$source_db'))") ($turns turns, $vectors vectors)"
echo "backup file: $(du -h "$file" | cut -f1)"
printf 'backup: %.1f s\nrestore: %.1f s (restored %s)\n' "$backup_s" "$restore_s" "$restored"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
