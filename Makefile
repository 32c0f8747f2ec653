# Bone Health: `make run` serves the site, `make test` runs every test. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export HOST ?= 127.0.0.1
export PORT ?= 8000

.PHONY: run test lint format bench audit superuser migrate python-version clean

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

superuser: migrate
	$(PY) manage.py createsuperuser

bench: migrate $(DEV)
	$(PY) -m bench

audit: migrate
	bash bench/audit.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
