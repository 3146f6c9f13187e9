# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install assets catalogs messages run test test-sqlite test-postgres lint bench bench-race-day clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("sportsrun needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) assets catalogs

# htmx, pinned in package.json/package-lock.json, from the npm registry into static/vendor/ (not
# committed). Without npm the pages still work, only without htmx's enhancements.
assets: static/vendor/htmx.min.js

static/vendor/htmx.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && mkdir -p static/vendor && \
		cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js; \
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

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The whole suite on SQLite (browser journeys included when Debian's chromium is installed), then
# on PostgreSQL when SPORTSRUN_TEST_POSTGRES_URL is set (.ci/postgres start prints one).
# With CI=true a missing PostgreSQL or Chromium fails the run.
test: lint test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest

test-postgres: install
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

bench: install
	$(BIN)/python bench/registrations.py
	$(BIN)/python bench/registrations_held.py
	$(BIN)/python bench/registrations_keyed.py
	$(BIN)/python bench/timing_import.py
	$(BIN)/python bench/timing_under_load.py
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
bench-race-day: install
	$(BIN)/python bench/race_day.py --minutes $(RACE_DAY_MINUTES)
	$(BIN)/python bench/race_day_faults.py

clean:
	rm -rf $(VENV) .pytest_cache sportsrun.egg-info
