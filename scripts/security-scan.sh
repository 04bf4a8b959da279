#!/usr/bin/env bash
# Scans the running API and web app with Debian's wapiti, on loopback only, bounded in time
# (about 10 minutes). Installs wapiti if missing, starts its own redis-server, a fresh database,
# the ApiService and the Web (Release builds, Production settings) on free loopback ports, signs
# in, scans both, prints a summary by category and severity, and stops everything it started.
# Reports: artifacts/security/wapiti-{api,web}.{json,html}. See docs/security.md ("Scan").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="$ROOT/artifacts/security"; mkdir -p "$OUT"
SCAN_SECONDS="${TT_SCAN_SECONDS:-240}"
# Every module that stays on loopback: not ssrf (it asks an outside server for callbacks), nikto
# (it downloads its database) or wapp (its fingerprints); buster and brute_login_form are slow and add nothing here.
MODULES="${TT_SCAN_MODULES:-backup,blindsql,cookieflags,crlf,csp,csrf,exec,file,htaccess,http_headers,methods,permanentxss,redirect,sql,xss}"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
command -v wapiti >/dev/null || { as_root apt-get update -qq; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wapiti >/dev/null; }
bash scripts/local-services.sh >/dev/null
# shellcheck disable=SC1091
source .local/services.env
dotnet build TeacherTrainer.ApiService -c Release -v quiet -nologo >/dev/null
dotnet build TeacherTrainer.Web -c Release -v quiet -nologo >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
REDIS_PORT="$(free_port)"; SESSIONS_PORT="$(free_port)"; API_PORT="$(free_port)"; WEB_PORT="$(free_port)"
DB="tt_scan_$(date +%s)"
# The web app runs as in production: HTTPS (its cookies are Secure-only), with a throwaway self-signed certificate.
CERT_DIR="$(mktemp -d)"; CERT_PASSWORD="$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" -keyout "$CERT_DIR/key.pem" -out "$CERT_DIR/cert.pem" >/dev/null 2>&1
openssl pkcs12 -export -in "$CERT_DIR/cert.pem" -inkey "$CERT_DIR/key.pem" -out "$CERT_DIR/web.pfx" -passout "pass:$CERT_PASSWORD" >/dev/null 2>&1
BASE_CS="$ConnectionStrings__teacherdb"
DB_CS="$(echo "$BASE_CS" | sed "s/Database=[^;]*/Database=$DB/")"
PGURL="$(echo "$BASE_CS" | python3 -c 'import sys; p=dict(kv.split("=",1) for kv in sys.stdin.read().strip().split(";") if kv); print("postgresql://%s:%s@%s:%s/%s" % (p["Username"], p["Password"], p["Host"], p.get("Port", "5432"), p["Database"]))')"
psql "$PGURL" -qc "create database \"$DB\""
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$PGURL" -qc "drop database if exists \"$DB\" with (force)" || true
  rm -rf "$CERT_DIR"
}
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --maxmemory 64mb --maxmemory-policy allkeys-lru >/dev/null & pids+=($!)
redis-server --port "$SESSIONS_PORT" --bind 127.0.0.1 --save '' --appendonly no --maxmemory-policy noeviction >/dev/null & pids+=($!)
ADMIN_EMAIL="admin@scan.local"; ADMIN_PASSWORD="Tt-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
(cd TeacherTrainer.ApiService/bin/Release/net10.0 && \
  ASPNETCORE_URLS="http://127.0.0.1:$API_PORT" ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__teacherdb="$DB_CS" ConnectionStrings__cache="127.0.0.1:$REDIS_PORT" AI__Provider=Embedded \
  Jwt__SigningKey="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" Bootstrap__AdminEmail="$ADMIN_EMAIL" Bootstrap__AdminPassword="$ADMIN_PASSWORD" \
  RateLimits__SignIn__PermitLimit=100000 RateLimits__Practice__PermitLimit=100000 RateLimits__Evaluation__PermitLimit=100000 \
  Logging__LogLevel__Default=Warning exec dotnet TeacherTrainer.ApiService.dll > "$OUT/api.log" 2>&1) & pids+=($!)
(cd TeacherTrainer.Web/bin/Release/net10.0 && \
  ASPNETCORE_URLS="https://127.0.0.1:$WEB_PORT" ASPNETCORE_ENVIRONMENT=Production \
  Kestrel__Certificates__Default__Path="$CERT_DIR/web.pfx" Kestrel__Certificates__Default__Password="$CERT_PASSWORD" \
  ConnectionStrings__sessions="127.0.0.1:$SESSIONS_PORT" DataProtection__KeyEncryptionKey="$(head -c 48 /dev/urandom | base64 | tr -d '\n')" \
  services__apiservice__http__0="http://127.0.0.1:$API_PORT" \
  Logging__LogLevel__Default=Warning exec dotnet TeacherTrainer.Web.dll > "$OUT/web.log" 2>&1) & pids+=($!)
for _ in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$API_PORT/alive" >/dev/null 2>&1 && curl -skf "https://127.0.0.1:$WEB_PORT/alive" >/dev/null 2>&1 && break; sleep 1
done
API="http://127.0.0.1:$API_PORT"; WEB="https://127.0.0.1:$WEB_PORT"
TOKEN="$(curl -sf -X POST "$API/api/auth/signup" -H 'content-type: application/json' \
  -d "{\"email\":\"scan$RANDOM@scan.local\",\"password\":\"Tt-scan-$(date +%s%N)\",\"displayName\":\"Scanner\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"
SESSION="$(curl -sf -X POST "$API/api/sessions" -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
  -d '{"scenario":"year1-lego-rocket-tidy-up-refusal"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
echo "[scan] API $API, web $WEB, load average $(cut -d' ' -f1-3 /proc/loadavg)"

starts=(/ /openapi/v1.json /scalar /api/status /health "/api/scenarios?category=classroom-disruption&q=upset"
  /api/scenarios/year1-lego-rocket-tidy-up-refusal /api/sessions "/api/sessions/$SESSION" /api/progress /api/assignments
  /api/auth/me /api/collections /api/cohorts /api/invitations /api/sharing)
args=(); for s in "${starts[@]}"; do args+=(-s "$API$s"); done
wapiti -u "$API/" "${args[@]}" --scope folder -H "Authorization: Bearer $TOKEN" --flush-session -m "$MODULES" \
  --max-scan-time "$SCAN_SECONDS" --max-attack-time 60 -f json -o "$OUT/wapiti-api.json" >"$OUT/wapiti-api.log" 2>&1 || true
wapiti -u "$API/" "${args[@]}" --scope folder -H "Authorization: Bearer $TOKEN" --skip-crawl -m "$MODULES" \
  -f html -o "$OUT/wapiti-api-html" >/dev/null 2>&1 || true
wapiti -u "$WEB/" --scope domain -d 4 --flush-session -m "$MODULES" --max-scan-time "$SCAN_SECONDS" --max-attack-time 60 \
  -f json -o "$OUT/wapiti-web.json" >"$OUT/wapiti-web.log" 2>&1 || true
wapiti -u "$WEB/" --scope domain --skip-crawl -m "$MODULES" -f html -o "$OUT/wapiti-web-html" >/dev/null 2>&1 || true
echo "[scan] load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$OUT/wapiti-api.json" "$OUT/wapiti-web.json" <<'PY'
import json, sys
levels = {1: "low", 2: "medium", 3: "high"}
for path in sys.argv[1:]:
    try:
        report = json.load(open(path))
    except Exception as e:
        print(f"{path}: no report ({e})"); continue
    info = report.get("infos", {})
    print(f"== {path}: target {info.get('target')}, {info.get('crawled_pages_nbr', '?')} pages crawled")
    for section in ("vulnerabilities", "anomalies", "additionals"):
        for category, items in sorted(report.get(section, {}).items()):
            if not items: continue
            by = {}
            for item in items:
                by.setdefault(levels.get(item.get("level"), str(item.get("level"))), []).append(item)
            for level, found in sorted(by.items()):
                print(f"  {section}: {category} [{level}] x{len(found)}")
                for item in found[:3]:
                    print(f"      {item.get('method')} {item.get('path')} {item.get('parameter') or ''} :: {(item.get('info') or '')[:140]}")
PY
