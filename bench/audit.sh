#!/usr/bin/env bash
# `make audit`: Lighthouse (mobile, its default throttling) on the home, article, calculator and results pages, or on
# the pages named as arguments (`bash bench/audit.sh home`; CI audits one). Prints the four category scores and
# LCP / CLS / TBT / bytes per page, and writes bench/results/audit.md and audit.json (ignored by git). Serves the site
# as `make run` does (gunicorn, gunicorn.conf.py, same settings) on a private port and a private SQLite database
# migrated from scratch. Needs Debian's Chromium and Lighthouse (bench/package.json, in bench/node_modules): `make
# audit` installs both. Exit code 1 if a page fails to audit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/.venv/bin/python}
GUNICORN=$(dirname "$PY")/gunicorn
RESULTS=$ROOT/bench/results
mkdir -p "$RESULTS"

missing=()
[ -x /usr/bin/chromium ] || missing+=("Chromium at /usr/bin/chromium (sudo apt-get install chromium)")
[ -x bench/node_modules/.bin/lighthouse ] || missing+=("Lighthouse in bench/node_modules (cd bench && npm ci)")
if [ ${#missing[@]} -gt 0 ]; then
  printf '[audit] missing: %s\n' "${missing[@]}" >&2
  echo "[audit] \`make audit\` installs them." >&2
  exit 1
fi

declare -A PATHS=(
  [home]="/"
  [article]="/blog/calcium-and-vitamin-k2-bone-health-combination/"
  [calculator]="/calculator/"
  [results]="/calculator/?age=55&sex=female&life_stage=none&goal=bone_health&food_milk=1&food_natto=0.25&calcium_mg=500&calcium_doses_per_day=1&vitamin_k2_mcg=0"
)
PAGES=("$@")
[ ${#PAGES[@]} -gt 0 ] || PAGES=(home article calculator results)
for name in "${PAGES[@]}"; do
  if [ -z "${PATHS[$name]:-}" ]; then
    echo "[audit] unknown page '$name': choose from home, article, calculator, results" >&2
    exit 2
  fi
done

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
export DJANGO_DEBUG=False
# With DEBUG off the site refuses a weak key: the audited site gets its own, whatever .env holds.
export DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
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

export CHROME_PATH=/usr/bin/chromium
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
REPORTS=()
for name in "${PAGES[@]}"; do
  path=${PATHS[$name]}
  echo "[audit] lighthouse $name: $path"
  curl -fsS -o /dev/null "$BASE$path"  # the page exists (and is now in the page cache, as for any second visitor)
  # Lighthouse sometimes fails to record Chromium's trace ("NO_NAVSTART ... Please run Lighthouse again"): up to three
  # runs, then the page fails the audit.
  for attempt in 1 2 3; do
    if bench/node_modules/.bin/lighthouse "$BASE$path" --quiet --chrome-flags="$CHROME_FLAGS" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output-path="$WORK/$name.json"; then
      break
    fi
    if [ "$attempt" -eq 3 ]; then
      echo "[audit] $name: Lighthouse failed three times" >&2
      exit 1
    fi
    echo "[audit] $name: Lighthouse failed (run $attempt of 3); running it again" >&2
  done
  REPORTS+=("$name=$WORK/$name.json")
done
"$PY" -m bench.audit_report "${REPORTS[@]}"
