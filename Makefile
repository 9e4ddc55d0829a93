# TrayHabit's two everyday commands: `make run` starts the app, `make test` runs the whole suite.
# Each creates or updates the virtual environment in .venv first (from pyproject.toml).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit venv system-run system-test clean

run: system-run $(STAMP)
	$(BIN)/trayhabit $(ARGS)

test: system-test $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check trayhabit tests bench
	$(BIN)/ruff format --check trayhabit tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

venv: $(STAMP)

system-run:
	@scripts/check-system run

system-test:
	@scripts/check-system test

# Rebuilt whenever pyproject.toml changes; the test extra is installed for `run` too, so one venv serves both.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "TrayHabit needs Python 3.11 or newer; this is " + sys.version.split()[0] + ". Set PYTHON=python3.12 (or similar).")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
