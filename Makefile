# yrdnet make targets. Quick start on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# one stamp per install: the demo's (yrdnet and the maps extra), the sweep's (and Dask), the dev tools'
# (with the docs extra: make test builds the site and runs the tutorial notebook, as CI does)
RUN    := $(VENV)/.installed-run
SWEEP_STAMP := $(VENV)/.installed-sweep
DEV    := $(VENV)/.installed-dev
DOCS_STAMP := $(VENV)/.installed-docs
BENCH_STAMP := $(VENV)/.installed-bench
comma  := ,
OUT    ?= results
A      ?= baseline_2025
B      ?= plan_2035
ZONES  ?= city
K      ?= 8
WORKERS ?= 2
BUDGET ?= 2000
export YRDNET_QUIET ?= 1
export MPLBACKEND ?= Agg

.PHONY: install test test-fast demo lint bench bench-full maps compare timeline sweep docs clean help

help:  ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

# $(call extras,<extras>): create .venv if missing and install yrdnet (editable) with <extras>
define extras
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[$(1)]"
endef

$(RUN): pyproject.toml
	$(call extras,maps)
	touch $@

$(SWEEP_STAMP): pyproject.toml
	$(call extras,maps$(comma)dask)
	touch $@ $(RUN)

$(DEV): pyproject.toml
	$(call extras,dev$(comma)docs)
	touch $@ $(RUN) $(SWEEP_STAMP) $(DOCS_STAMP)

$(DOCS_STAMP): pyproject.toml
	$(call extras,docs)
	touch $@

$(BENCH_STAMP): pyproject.toml
	$(call extras,dev$(comma)docs$(comma)bench)
	touch $@ $(DEV) $(RUN) $(SWEEP_STAMP) $(DOCS_STAMP)

install: $(DEV)  ## create .venv and install yrdnet (editable) with dev extras (make demo installs only what it needs)

test: $(DEV)  ## run the test suite (the docs build and the tutorial notebook included; the 25 slowest tests timed) and the import-linter contract
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n 2 --dist worksteal -q --durations=25

test-fast: $(DEV)  ## the edit loop (under 2 min on 2 cores): the suite without the tests marked slow
	$(PY) -m pytest -n 2 --dist worksteal -q -m "not slow"

demo: $(RUN)  ## run the main job (city and county level) on the shipped data, writing tables and maps to results/
	$(PY) -m yrdnet demo --out $(OUT)

maps: $(RUN)  ## every map of B (default plan_2035) with changes against A (default baseline_2025); ZONES=county for counties
	$(PY) -m yrdnet map $(B) --base $(A) --zones $(ZONES) --out $(OUT)/maps

compare: $(RUN)  ## compare two scenarios: make compare A=baseline_2025 B=plan_2035 [ZONES=county]
	$(PY) -m yrdnet compare $(A) $(B) --zones $(ZONES) --out $(OUT)/compare

timeline: $(RUN)  ## region indices 2010 -> 2025 -> 2035 [ZONES=county]
	$(PY) -m yrdnet timeline --zones $(ZONES) --out $(OUT)/timeline

sweep: $(SWEEP_STAMP)  ## every package of K shipped candidate projects (2^K plans, K=8) on WORKERS Dask workers, cost chart; best package of all candidates within BUDGET (亿元)
	$(PY) -m yrdnet sweep --candidates --k $(K) --combinations --budget $(BUDGET) --workers $(WORKERS) --zones $(ZONES) --out $(OUT)/sweep
	$(PY) -m yrdnet best-plan --budget $(BUDGET) --zones $(ZONES) --out $(OUT)/best_plan

docs: $(DOCS_STAMP)  ## the documentation site (docs/, the API from the docstrings, the tutorial page) into site/, strict
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir site

bench: $(DEV)  ## benchmarks with ratios against baselines measured in the same run
	$(PY) benchmarks/run.py

bench-full: $(BENCH_STAMP)  ## OSM scale (1 M nodes, 1,000 zones) against raw scipy, pandana, networkit; YRDNET_BENCH_QUICK=1 to shrink
	$(PY) benchmarks/bench_full.py

lint: $(DEV)  ## ruff (check + format) and mypy
	$(PY) -m ruff check yrdnet tests benchmarks examples
	$(PY) -m ruff format --check yrdnet tests benchmarks examples
	$(PY) -m mypy yrdnet
	$(VENV)/bin/lint-imports

clean:  ## remove results, caches and the venv
	rm -rf $(OUT) .pytest_cache .ruff_cache build dist site *.egg-info $(VENV)
