# engagement-index: `make help` lists the targets.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.DEFAULT_GOAL := help
.PHONY: help install validate evidence import scores test test-fast bench lint format clean notebooks notebooks-sync

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test,bench]"
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)  ## create .venv and install the package with test extras

validate: $(STAMP)  ## check sources, framework and ledger; print the summary
	$(BIN)/engagement validate

evidence: $(STAMP)  ## export the whole evidence ledger to reports/evidence.csv
	@mkdir -p reports
	$(BIN)/engagement evidence --format csv > reports/evidence.csv.tmp && mv reports/evidence.csv.tmp reports/evidence.csv
	@echo "wrote reports/evidence.csv"

DATA ?= ../shared/data

import: $(STAMP)  ## re-derive indicators/derived/*.csv: every dataset of indicators/datasets.yaml from ../shared/data
	@test -d $(DATA) || { echo "import: raw datasets not found in $(DATA) (set DATA=... to read them from elsewhere)"; exit 2; }
	$(BIN)/engagement import --all --data $(DATA)

scores: $(STAMP)  ## validate, then write scores and US-China comparisons to reports/ (CSV, Excel)
	$(BIN)/engagement validate > /dev/null && echo "validate: clean"
	$(BIN)/engagement score --format csv --out reports/scores.csv
	$(BIN)/engagement score --format xlsx --out reports/scores.xlsx
	$(BIN)/engagement compare --format csv --out reports/compare.csv
	$(BIN)/engagement compare --format xlsx --out reports/compare.xlsx
	$(BIN)/engagement compare
	@echo "wrote reports/scores.csv, scores.xlsx, compare.csv, compare.xlsx"

.PHONY: scorecards
scorecards: $(STAMP)  ## the main job: validate, then every country's scorecard (HTML, PDF) and reports/index.html
	$(BIN)/engagement validate > /dev/null && echo "validate: clean"
	$(BIN)/engagement scorecards --all --out reports

# Test tiers (markers in pyproject.toml): slow, browser, notebook, data; unmarked = fast.
FAST := not slow and not browser and not notebook and not data

test: $(STAMP)  ## every tier of tests/ with a coverage summary (the README's test command; CI)
	$(BIN)/python -m pytest -q --cov=engagement_index --cov-report=term:skip-covered

test-fast: $(STAMP)  ## the unmarked tier only (no slow, browser, notebook or data tests)
	$(BIN)/python -m pytest -q -m "$(FAST)"

bench: $(STAMP)  ## run the benchmarks in benchmarks/ with pytest-benchmark timing
	$(BIN)/python -m pytest -q benchmarks --benchmark-enable

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: $(STAMP)  ## apply ruff formatting and safe fixes
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .benchmarks .hypothesis .coverage reports

notebooks: $(STAMP)  ## open the notebooks in JupyterLab (installs the notebooks extra)
	$(BIN)/python -m pip install -q -e ".[notebooks]"
	$(BIN)/jupyter lab notebooks/

notebooks-sync: $(STAMP)  ## re-pair notebooks/*.ipynb with their jupytext .py files (outputs stripped)
	$(BIN)/jupytext --to ipynb --update notebooks/[0-9]*.py
