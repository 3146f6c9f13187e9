# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# What serving needs (requirements.lock), and that with the tests and tools (requirements-test.lock): both pinned,
# with hashes, from pyproject.toml by `make lock`. A stamp per lock file, so a change to either reinstalls.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
TEST_STAMP := $(VENV)/.installed-test-$(shell cat pyproject.toml requirements-test.lock | cksum | cut -d' ' -f1)

.PHONY: install install-test lock assets catalogs messages run test test-sqlite test-postgres lint bench bench-race-day clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("sportsrun needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-[0-9]* && touch $@

$(TEST_STAMP): pyproject.toml requirements-test.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-test-* && touch $@

# Serving only (`make run`, a production host).
install: $(STAMP) assets catalogs

# Serving, the tests and the tools (`make test`, `make bench`).
install-test: $(STAMP) $(TEST_STAMP) assets catalogs

# Pins every dependency, with hashes, for every platform and Python 3.11+ (README, "Installing"); uv comes from
# PyPI into $(VENV)/locktools, used for nothing else.
lock:
	test -x $(VENV)/locktools/bin/uv || ($(PYTHON) -m venv $(VENV)/locktools && $(VENV)/locktools/bin/pip install --quiet uv)
	$(VENV)/locktools/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
		--no-header --upgrade -q -o requirements.lock
	$(VENV)/locktools/bin/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
		--generate-hashes --no-header --upgrade -q -c requirements.lock -o requirements-test.lock

# htmx and jsQR (the check-in scanner's QR reader where the browser has no BarcodeDetector), pinned in
# package.json/package-lock.json, from the npm registry into static/vendor/ (not committed). Without npm
# the pages still work, only without htmx's enhancements (and the scanner only where the browser reads QR).
VENDOR := static/vendor/htmx.min.js static/vendor/jsQR.js
assets: $(VENDOR)

$(VENDOR) &: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && mkdir -p static/vendor && \
		cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js && \
		cp node_modules/jsqr/dist/jsQR.js static/vendor/jsQR.js; \
	else \
		echo "warning: npm not found: pages will work without htmx (install Node.js and npm, then make assets)" >&2; \
	fi

# Compiled message catalogs (.mo) from the .po files kept in the repo.
catalogs: $(STAMP)
	$(BIN)/pybabel compile --statistics -d sportsrun/locale -D messages

# Re-extract messages after changing user-visible text; then translate the new entries in the .po files.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -o sportsrun/locale/messages.pot --no-location --sort-output --ignore-dirs=".venv node_modules .git" .
	$(BIN)/pybabel update -i sportsrun/locale/messages.pot -d sportsrun/locale -D messages --no-fuzzy-matching

# Serve the demo campaign on http://127.0.0.1:8000 (SQLite file sportsrun.db in this folder).
run: install
	$(BIN)/sportsrun migrate
	$(BIN)/sportsrun demo
	$(BIN)/sportsrun serve --host 127.0.0.1 --port 8000

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The whole suite on SQLite (browser journeys included when Debian's chromium is installed), then
# on PostgreSQL when SPORTSRUN_TEST_POSTGRES_URL is set (.ci/postgres start prints one).
# With CI=true a missing PostgreSQL or Chromium fails the run.
test: lint test-sqlite test-postgres

test-sqlite: install-test
	$(BIN)/pytest

test-postgres: install-test
	@if [ -n "$$SPORTSRUN_TEST_POSTGRES_URL" ]; then \
		SPORTSRUN_TEST_DB=postgres $(BIN)/pytest -m "not slow and not browser and not pure"; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but SPORTSRUN_TEST_POSTGRES_URL is not set: the PostgreSQL run cannot be skipped in CI" >&2; exit 1; \
	else \
		echo "PostgreSQL run skipped: set SPORTSRUN_TEST_POSTGRES_URL (see README) to run the suite on PostgreSQL too"; \
	fi

# The figures the issues name. PostgreSQL runs use SPORTSRUN_TEST_POSTGRES_URL (or a throwaway
# cluster when Debian's postgresql is installed) for the registration bench. The race-day stack (nginx in
# front of two servers on PostgreSQL) runs its mix for RACE_DAY_MINUTES here, then its fault runs; it
# needs Debian's nginx (apt-get install nginx) and stops `make` with that advice without it.
RACE_DAY_MINUTES ?= 2

bench: install-test
	$(BIN)/python bench/registrations.py
	$(BIN)/python bench/registrations_held.py
	$(BIN)/python bench/registrations_keyed.py
	$(BIN)/python bench/timing_import.py
	$(BIN)/python bench/timing_under_load.py
	$(BIN)/python bench/name_fix.py
	$(BIN)/python bench/results_read.py
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/query_costs.py
	$(BIN)/python bench/entrant_import.py
	$(BIN)/python bench/football.py
	$(BIN)/python bench/campaign.py
	$(BIN)/python bench/race_day.py --minutes $(RACE_DAY_MINUTES)
	$(BIN)/python bench/race_day_faults.py

# Race day alone, its mix for 10 minutes (`make bench-race-day RACE_DAY_MINUTES=30` for longer).
bench-race-day: RACE_DAY_MINUTES = 10
bench-race-day: install-test
	$(BIN)/python bench/race_day.py --minutes $(RACE_DAY_MINUTES)
	$(BIN)/python bench/race_day_faults.py

clean:
	rm -rf $(VENV) .pytest_cache sportsrun.egg-info
