# Côte-à-Côte — entry points. Needs only Python 3.11+, make and git.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
WORKERS ?= 2
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto
FLASK  := $(BIN)/flask --app cote_a_cote

.PHONY: run test fuzz lint format install install-test lock translations extract-messages bench bench-import clean

# Reinstall only when the project's dependencies change.
# Versions come from constraints.txt (the lockfile): every machine installs what CI tested.
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $@

# Refresh the lockfile: the newest releases pyproject.toml's ranges allow, resolved in a scratch
# environment. Run `make test` before committing the new constraints.txt.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip setuptools wheel
	.venv-lock/bin/python -m pip install --quiet -e ".[test]"
	{ sed -n '1,2p' constraints.txt; .venv-lock/bin/python -m pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
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
	$(BIN)/pytest -n $(TEST_WORKERS)

# Hypothesis-made requests to every route as every role, and Schemathesis over the HSDS API:
# FUZZ_EXAMPLES requests per role and for the API (2,500 -> 12,500 requests). `make test` runs the
# same tests with a small budget.
FUZZ_EXAMPLES ?= 2500
fuzz: install-test
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest tests/fuzz -q

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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
