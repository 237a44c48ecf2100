# yrdnet make targets. Quick start on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= results
A      ?= baseline_2025
B      ?= plan_2035
ZONES  ?= city
K      ?= 8
WORKERS ?= 2
BUDGET ?= 2000
export YRDNET_QUIET ?= 1
export MPLBACKEND ?= Agg

.PHONY: install test demo lint bench maps compare timeline sweep clean help

help:  ## list targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install yrdnet (editable) with dev extras

test: $(STAMP)  ## run the test suite (and the import-linter contract: wings only import wings below them)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n 2 -q

demo: $(STAMP)  ## run the main job (city and county level) on the shipped data, writing tables and maps to results/
	$(PY) -m yrdnet demo --out $(OUT)

maps: $(STAMP)  ## every map of B (default plan_2035) with changes against A (default baseline_2025); ZONES=county for counties
	$(PY) -m yrdnet map $(B) --base $(A) --zones $(ZONES) --out $(OUT)/maps

compare: $(STAMP)  ## compare two scenarios: make compare A=baseline_2025 B=plan_2035 [ZONES=county]
	$(PY) -m yrdnet compare $(A) $(B) --zones $(ZONES) --out $(OUT)/compare

timeline: $(STAMP)  ## region indices 2010 -> 2025 -> 2035 [ZONES=county]
	$(PY) -m yrdnet timeline --zones $(ZONES) --out $(OUT)/timeline

sweep: $(STAMP)  ## every package of K shipped candidate projects (2^K plans, K=8) on WORKERS Dask workers, cost chart; best package of all candidates within BUDGET (亿元)
	$(PY) -m yrdnet sweep --candidates --k $(K) --combinations --budget $(BUDGET) --workers $(WORKERS) --zones $(ZONES) --out $(OUT)/sweep
	$(PY) -m yrdnet best-plan --budget $(BUDGET) --zones $(ZONES) --out $(OUT)/best_plan

bench: $(STAMP)  ## benchmarks with ratios against baselines measured in the same run
	$(PY) benchmarks/run.py

lint: $(STAMP)  ## ruff (check + format) and mypy
	$(PY) -m ruff check yrdnet tests benchmarks examples
	$(PY) -m ruff format --check yrdnet tests benchmarks examples
	$(PY) -m mypy yrdnet
	$(VENV)/bin/lint-imports

clean:  ## remove results, caches and the venv
	rm -rf $(OUT) .pytest_cache .ruff_cache build dist *.egg-info $(VENV)
