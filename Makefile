# TrayHabit's two everyday commands: `make run` starts the app, `make test` runs the whole suite.
# Each creates or updates the virtual environment in .venv first (from pyproject.toml).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PACKAGE_STAMP := $(VENV)/.installed-package
# Translation sources (resources/) and what the build compiles from them into the package, where the
# code loads them (built, not committed): gettext for the core and command line, Qt for the windows.
TS     := resources/translations/trayhabit_sv.ts
MO     := trayhabit/locale/sv/LC_MESSAGES/trayhabit.mo
QM     := trayhabit/resources/translations/trayhabit_sv.qm
# The gettext template, extracted from the code by `make update-translations` (not committed).
POT    := build/trayhabit.pot

.PHONY: run test lint typecheck unit venv screenshots system-run system-test clean translations update-translations \
	package test-frozen bench icons fuzz icaljs

run: system-run $(STAMP) translations
	$(BIN)/trayhabit $(ARGS)

test: system-test $(STAMP) translations lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check trayhabit tests bench packaging
	$(BIN)/ruff format --check trayhabit tests bench packaging
	$(BIN)/zizmor --offline --no-progress .github/workflows/

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) translations icaljs
	$(BIN)/pytest $(PYTEST_ARGS)

# Mozilla's ical.js, the independent reader the calendar export is tested with (test-only, not
# shipped; tests/unit/test_ical_readers.py), installed from its pinned lockfile.
ICALJS := tests/helpers/icaljs
icaljs: $(ICALJS)/node_modules/.package-lock.json

$(ICALJS)/node_modules/.package-lock.json: $(ICALJS)/package.json $(ICALJS)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd $(ICALJS) && npm ci --no-audit --no-fund --silent && touch node_modules/.package-lock.json; \
	else \
		echo "npm is missing: the ical.js reader test will be skipped (install Node.js and npm to run it)"; \
	fi

venv: $(STAMP)

# The fuzz suite with fresh random examples (tests/fuzz; `make test` runs a fixed, bounded set):
# FUZZ_EXAMPLES=N examples per entry point (default 2000), or FUZZ_SECONDS=N to run round after
# round (of FUZZ_EXAMPLES, default 200) until that many seconds have passed. Stops at the first failure.
FUZZ_ENV = TRAYHABIT_FUZZ_PROFILE=long $(if $(FUZZ_EXAMPLES),TRAYHABIT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES))
fuzz: $(STAMP) translations
ifdef FUZZ_SECONDS
	@end=$$(( $$(date +%s) + $(FUZZ_SECONDS) )); round=1; \
	while [ $$(date +%s) -lt $$end ]; do \
		echo "fuzz round $$round"; \
		TRAYHABIT_FUZZ_PROFILE=long TRAYHABIT_FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),200) \
			$(BIN)/pytest tests/fuzz -x -q --timeout=0 $(PYTEST_ARGS) || exit 1; \
		round=$$((round + 1)); \
	done
else
	$(FUZZ_ENV) $(BIN)/pytest tests/fuzz --timeout=0 $(PYTEST_ARGS)
endif

# Retake the README's screenshots, saving into docs/screenshots: the end-to-end test's, and the
# windows on a dark theme and at 200 % (tests/qt/test_looks_dark.py, tests/qt/test_looks_200.py).
screenshots: system-test $(STAMP) translations
	UPDATE_SCREENSHOTS=1 $(BIN)/pytest tests/e2e tests/qt/test_looks_dark.py tests/qt/test_looks_200.py

# After changing the SVG artwork (resources/icons): the PNGs the app loads instead, committed in
# trayhabit/resources/icons/png (see trayhabit/app/icons.py).
icons: $(STAMP)
	$(BIN)/python packaging/make_icons.py trayhabit/resources/icons/png --app-pngs

# The bundle and installer for this platform (see packaging/README.md), with its sizes.
package: $(PACKAGE_STAMP) translations
	$(BIN)/python packaging/build.py

# The Linux bundle as a user gets it: unpacked from the archive `make package` made, its
# --smoke-test, then the end-to-end tests (tray, native notifications) against it, not the sources.
FROZEN := build/frozen-test
test-frozen: system-test $(STAMP)
	rm -rf $(FROZEN) && mkdir -p $(FROZEN)
	$(BIN)/python -m tarfile -e $$(ls -t dist/TrayHabit-*-linux-*.tar.xz | head -n 1) $(FROZEN)
	$(FROZEN)/TrayHabit/TrayHabit --smoke-test
	TRAYHABIT_E2E_APP=$(CURDIR)/$(FROZEN)/TrayHabit/TrayHabit $(BIN)/pytest tests/e2e $(PYTEST_ARGS)

# Performance against a bare PySide6 tray app, measured in the same run (see bench/run.py and the
# README's table): about 20 minutes; QUICK=1 for a 3-minute look while developing.
bench: system-test $(STAMP) translations
	$(BIN)/python -m bench.run $(if $(QUICK),--quick)

translations: $(MO) $(QM)

# Neither pybabel nor lrelease creates the folder it writes into.
trayhabit/locale/%/LC_MESSAGES/trayhabit.mo: resources/locale/%/LC_MESSAGES/trayhabit.po $(STAMP)
	@mkdir -p $(@D)
	$(BIN)/pybabel --quiet compile -i $< -o $@

trayhabit/resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	@mkdir -p $(@D)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

# After adding or changing user-visible strings: refresh the .po and .ts sources, then translate the
# new entries (tests/unit/test_translations.py fails until every one is translated and none is fuzzy).
# pybabel takes its mapping from pyproject.toml ([tool.babel]); these options keep the catalogue as it
# was written by hand: sorted by message, file names without line numbers (which would change with
# every edit), lines unwrapped; a message whose text changed comes back fuzzy with its old translation.
BABEL_EXTRACT := -F pyproject.toml --no-default-keywords -k _ -k N_ -k ngettext:1,2 \
	--add-comments=TRANSLATORS: --add-location=file --sort-output --no-wrap --project=TrayHabit
update-translations: $(STAMP)
	@mkdir -p $(dir $(POT))
	$(BIN)/pybabel --quiet extract $(BABEL_EXTRACT) -o $(POT) trayhabit
	$(BIN)/pybabel --quiet update -i $(POT) -d resources/locale -D trayhabit --no-wrap --ignore-obsolete \
		--ignore-pot-creation-date
	$(BIN)/pyside6-lupdate -silent -no-obsolete -locations none $$(find trayhabit/app -name '*.py' | sort) -ts $(TS)

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
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache $(MO) $(QM) $(ICALJS)/node_modules

$(PACKAGE_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,package]'
	@touch $@
