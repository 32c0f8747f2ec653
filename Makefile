# Bone Health: `make run` serves the site, `make test` runs every test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export HOST ?= 127.0.0.1
export PORT ?= 8000

.PHONY: run test lint format bench profile audit bench-tools audit-tools superuser migrate backup restore python-version clean

python-version:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { \
	  echo "Bone Health needs Python 3.12 or newer (Django 6.1), but '$(PYTHON)' is $$($(PYTHON) -V 2>&1)."; \
	  echo "Fix: install it with 'pyenv install 3.13.0' (this folder's .python-version selects it),"; \
	  echo "or run 'make PYTHON=/path/to/python3.13 run'."; \
	  exit 1; }

# Reinstall only when a requirements file changed (or the venv's Python is gone). `make run` installs what production
# runs; the test, lint and bench targets add the tools of requirements-dev.txt.
$(VENV)/.installed: requirements.txt | python-version
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

DEV := $(VENV)/.dev-installed
$(DEV): requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# .env holds the secret key and the SQLite database the site's data: both are private to their owner (mode 600).
.env:
	@echo "Writing a local .env with a freshly generated DJANGO_SECRET_KEY"
	@umask 077 && printf 'DJANGO_SECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > .env

migrate: $(VENV)/.installed .env
	@chmod go-rwx .env $(wildcard db.sqlite3 db.sqlite3-*)
	umask 077 && $(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0

run: migrate
	@echo "Serving Bone Health on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	exec $(VENV)/bin/gunicorn bonehealth.wsgi:application --config gunicorn.conf.py

# The browser tests' tools (axe-core, vnu.jar) from npm; without npm those tests say plainly that they were skipped.
BROWSER_TOOLS := tests/browser/node_modules/.installed
$(BROWSER_TOOLS): tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund --prefix tests/browser && touch $@; \
	else echo "npm not found: axe-core and vnu.jar for tests/browser are not installed"; fi

test: $(DEV) $(BROWSER_TOOLS)
	$(PY) -m pytest

lint: $(DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(DEV)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The first administrator account. Not Django's createsuperuser: it offers to bypass the password rules; this asks
# again until the password passes every validator (12 characters at least, not common, not like the username).
superuser: migrate
	$(PY) manage.py create_admin_account

# Backups (docs/backups.md): `make backup` writes one archive of the database and the uploads into BACKUP_DIR
# (default backups/, mode 700) and keeps the newest BACKUP_KEEP (14). `make restore FILE=...` brings one back into an
# empty database; over the current content only with CONFIRM=yes, after backing that up first.
backup: $(VENV)/.installed .env
	umask 077 && $(PY) manage.py backup

restore: $(VENV)/.installed .env
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/bonehealth-....tar.gz [CONFIRM=yes]"; exit 2; }
	umask 077 && $(PY) manage.py restore "$(FILE)" $(if $(filter yes,$(CONFIRM)),--replace)

# The bench's and the audit's tools come from the system's package manager and npm, installed here once (sudo when
# not root); the Python and shell sides only check for them and say what is missing.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
APT_INSTALL := $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq

bench-tools:
	@missing=; command -v wrk >/dev/null || missing="$$missing wrk"; \
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || missing="$$missing nginx-light"; \
	if [ -n "$$missing" ]; then echo "Installing$$missing with apt-get"; $(APT_INSTALL)$$missing >/dev/null; fi

/usr/bin/chromium:
	@echo "Installing Debian's chromium with apt-get (Lighthouse drives it)"
	$(APT_INSTALL) chromium >/dev/null

LIGHTHOUSE := bench/node_modules/.installed
$(LIGHTHOUSE): bench/package.json bench/package-lock.json
	@command -v npm >/dev/null || { echo "make audit needs npm (Node 18.16 or newer): sudo apt-get install npm"; exit 1; }
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

audit-tools: /usr/bin/chromium $(LIGHTHOUSE)

bench: $(DEV) bench-tools
	$(PY) -m bench

# Where a cold-path request spends its time (pyinstrument, in one process): PAGE=robots|article|results|api, or all.
profile: $(DEV)
	$(PY) -m bench.profile $(PAGE)

# AUDIT_PAGES=home audits one page (CI does); by default all four.
audit: $(VENV)/.installed audit-tools
	bash bench/audit.sh $(AUDIT_PAGES)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
