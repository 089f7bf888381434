# The two quick-start commands: `make demo` (set up, load the bundled cases, start the app)
# and `make test` (set up, then ruff, mypy and the whole pytest suite). .ci/run calls `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: demo test lint install browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/govkg demo --port $(PORT)

browser:
	bash scripts/install-browser.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

# Two workers, a test file to each at a time (module fixtures are built once): much of the suite waits
# on servers, browsers and subprocesses, so two workers nearly halve it on two cores. Three ran behind
# two (each worker starts its own Neo4j; the cores stayed 99-100 % busy; 56 % of the tests done in 22
# minutes against 52 % in 14). PYTEST_ARGS adds to them (PYTEST_ARGS="-n 0" runs in one process).
test: $(STAMP) browser lint
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)
