# Côte-à-Côte — entry points. Needs only Python 3.11+, make and git.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
WORKERS ?= 2
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in this process.
# The 30 slowest tests and fixtures are listed at the end of each run (where CI time goes).
TEST_WORKERS ?= auto
FLASK  := $(BIN)/flask --app cote_a_cote

.PHONY: run test fuzz lint format install install-test lock translations extract-messages bench bench-import clean

# Reinstall only when the project's dependencies change.
# Versions and hashes come from the lockfiles (requirements.lock, and requirements-test.lock for the
# tests): every machine installs exactly what CI tested, and pip refuses a file whose hash differs.
# pip check fails when pyproject.toml asks for something the lockfile lacks (run make lock).
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-test.lock
	$(BIN)/python -m pip check
	touch $@

# Refresh both lockfiles: the newest releases pyproject.toml's ranges allow, for every platform,
# with their hashes (resolved by uv in a scratch environment). Run make test, then commit them.
LOCK := .venv-lock/bin/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --quiet
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet uv
	$(LOCK) -o requirements.lock
	$(LOCK) --extra test -o requirements-test.lock
	rm -rf .venv-lock

install: $(VENV)/.installed translations
install-test: $(VENV)/.installed-test translations

# Compiled catalogues (.mo) are build products: made from the committed .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d cote_a_cote/translations

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) reindex
	@echo "Côte-à-Côte: http://$(HOST):$(PORT)"
	$(BIN)/gunicorn -c gunicorn.conf.py --workers $(WORKERS) --bind $(HOST):$(PORT) \
		"cote_a_cote:create_app()"

test: install-test
	$(BIN)/pytest -n $(TEST_WORKERS) --durations=30

# Hypothesis-made requests to every route as every role, and Schemathesis over the HSDS API:
# FUZZ_EXAMPLES requests per role and for the API (2,500 -> 12,500 requests). `make test` runs the
# same tests with a small budget.
FUZZ_EXAMPLES ?= 2500
fuzz: install-test
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/fuzz -q

# ruff (style, and cyclomatic complexity at most 15), the layers of ARCHITECTURE.md, the types
# (mypy over cote_a_cote/, settings in pyproject.toml) and no function over 40 lines.
lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python tools/function_length.py

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the message catalogues after adding or changing user-visible strings.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract --ignore-dirs '.* __pycache__' -F babel.cfg -k _l -k lazy_gettext -o cote_a_cote/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i cote_a_cote/translations/messages.pot -d cote_a_cote/translations --no-fuzzy-matching --ignore-obsolete

bench: install-test
	$(BIN)/python -m bench

# import-hsds / export-hsds / reindex at BENCH_IMPORT_SIZES (default 5000,60000); appends to bench/RESULTS.md.
bench-import: install-test
	$(BIN)/python -m bench.import_bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
