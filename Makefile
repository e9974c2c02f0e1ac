# ODI Workbench. `make run` opens the app on the demo study; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run serve test lint typecheck unit e2e bench fuzz browser postgres clean demo

$(VENV)/.runtime: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0])'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

# A shared server: warmed up before it answers, so its first visitor's first screen is quick.
serve: $(VENV)/.runtime
	$(PY) serve.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

browser:
	@bash scripts/ensure-chromium.sh

postgres:
	@bash scripts/ensure-postgres.sh

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy

unit: $(VENV)/.dev
	$(PY) -m pytest -q -m "not e2e and not postgres"

e2e: $(VENV)/.dev browser
	$(PY) -m pytest -q -m e2e

test: $(VENV)/.dev browser postgres
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -q

bench: $(VENV)/.dev
	$(PY) benchmarks/run.py

# Property-based fuzzing of every reader with many random examples (`make test` runs a short
# seeded pass). FUZZ_EXAMPLES per reader; a failure prints the input to pin as an @example.
FUZZ_EXAMPLES ?= 5000
fuzz: $(VENV)/.dev
	ODI_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q -p no:cacheprovider tests/hostile/test_fuzz.py

demo: $(VENV)/.runtime
	$(PY) surveys/generate_demo.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-artifacts
