#!/usr/bin/env bash
# `make audit`: Lighthouse (mobile, its default throttling) on the home, article, calculator and results pages.
# Prints the four category scores and LCP / CLS / TBT / bytes per page, and writes bench/results/audit.md and
# audit.json (ignored by git). Serves the site as `make run` does (gunicorn, gunicorn.conf.py, same settings) on a
# private port and a private SQLite database migrated from scratch. Installs Debian's Chromium and Lighthouse
# (npm, pinned in bench/package.json, into bench/node_modules) when missing. Exit code 1 if a page fails to audit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/.venv/bin/python}
GUNICORN=$(dirname "$PY")/gunicorn
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"

if [ ! -x /usr/bin/chromium ]; then
  echo "[audit] installing Debian's chromium"
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x bench/node_modules/.bin/lighthouse ]; then
  echo "[audit] installing lighthouse into bench/node_modules"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi

WORK=$(mktemp -d /tmp/bonehealth-audit-XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$WORK/audit.sqlite3"
export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
export HOST=127.0.0.1
export PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "[audit] migrating a private database and collecting static files"
"$PY" manage.py migrate --noinput >/dev/null
"$PY" manage.py collectstatic --noinput --verbosity 0
"$GUNICORN" bonehealth.wsgi:application --config gunicorn.conf.py >"$RESULTS/audit-gunicorn.log" 2>&1 &
SERVER_PID=$!
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  sleep 0.2
done

PAGES=(
  "home|/"
  "article|/blog/calcium-and-vitamin-k2-bone-health-combination/"
  "calculator|/calculator/"
  "results|/calculator/?age=55&sex=female&life_stage=none&goal=bone_health&food_milk=1&food_natto=0.25&calcium_mg=500&calcium_doses_per_day=1&vitamin_k2_mcg=0"
)
export CHROME_PATH=/usr/bin/chromium
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
REPORTS=()
for entry in "${PAGES[@]}"; do
  name=${entry%%|*}
  path=${entry#*|}
  echo "[audit] lighthouse $name: $path"
  curl -fsS -o /dev/null "$BASE$path"  # the page exists (and is now in the page cache, as for any second visitor)
  bench/node_modules/.bin/lighthouse "$BASE$path" --quiet --chrome-flags="$CHROME_FLAGS" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$WORK/$name.json"
  REPORTS+=("$name=$WORK/$name.json")
done
"$PY" -m bench.audit_report "$RESULTS" "${REPORTS[@]}"
