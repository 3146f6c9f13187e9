# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run test test-sqlite test-postgres lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("sportsrun needs Python 3.11 or newer" if sys.version_info < (3, 11) else 0)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Serve the demo campaign on http://127.0.0.1:8000 (SQLite file sportsrun.db in this folder).
run: install
	$(BIN)/sportsrun migrate
	$(BIN)/sportsrun demo
	$(BIN)/sportsrun serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check .

# The whole suite on SQLite, then on PostgreSQL when SPORTSRUN_TEST_POSTGRES_URL is set
# (.ci/postgres start prints one). With CI=true a missing PostgreSQL fails the run.
test: lint test-sqlite test-postgres

test-sqlite: install
	$(BIN)/pytest

test-postgres: install
	@if [ -n "$$SPORTSRUN_TEST_POSTGRES_URL" ]; then \
		SPORTSRUN_TEST_DB=postgres $(BIN)/pytest -m "not slow"; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but SPORTSRUN_TEST_POSTGRES_URL is not set: the PostgreSQL run cannot be skipped in CI" >&2; exit 1; \
	else \
		echo "PostgreSQL run skipped: set SPORTSRUN_TEST_POSTGRES_URL (see README) to run the suite on PostgreSQL too"; \
	fi

bench: install
	$(BIN)/python bench/registrations.py

clean:
	rm -rf $(VENV) .pytest_cache sportsrun.egg-info
