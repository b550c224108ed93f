# engagement-index: `make help` lists the targets.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.DEFAULT_GOAL := help
.PHONY: help install validate evidence import scores test bench lint format clean notebooks notebooks-sync

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
SIPRI_FILE = $(lastword $(sort $(wildcard $(DATA)/sipri/trade-register-*.csv)))
FMTRPT_FILES = $(sort $(wildcard $(DATA)/fmtrpt/*_Western_Hemisphere_fmtrpt.tsv))
GCDF_FILE = $(wildcard $(DATA)/aiddata/gcdf3-geospatial-final_input.csv)

import: $(STAMP)  ## re-derive indicators/derived/*.csv from the raw datasets in ../shared/data
	$(if $(and $(SIPRI_FILE),$(FMTRPT_FILES),$(GCDF_FILE)),,$(error import: raw datasets not found in $(DATA) \
		(expected sipri/trade-register-*.csv, fmtrpt/*_Western_Hemisphere_fmtrpt.tsv and \
		aiddata/gcdf3-geospatial-final_input.csv; set DATA=... to read them from elsewhere)))
	$(BIN)/engagement import sipri $(SIPRI_FILE)
	$(BIN)/engagement import us-training $(FMTRPT_FILES)
	$(BIN)/engagement import china-finance $(GCDF_FILE)

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

test: $(STAMP)  ## run the test suite (the README's test command)
	$(BIN)/python -m pytest -q

bench: $(STAMP)  ## run the pytest-benchmark benchmarks with timing
	$(BIN)/python -m pytest -q tests/benchmarks --benchmark-enable

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

format: $(STAMP)  ## apply ruff formatting and safe fixes
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .benchmarks .hypothesis reports

notebooks: $(STAMP)  ## open the notebooks in JupyterLab (installs the notebooks extra)
	$(BIN)/python -m pip install -q -e ".[notebooks]"
	$(BIN)/jupyter lab notebooks/

notebooks-sync: $(STAMP)  ## re-pair notebooks/*.ipynb with their jupytext .py files (outputs stripped)
	$(BIN)/jupytext --to ipynb --update notebooks/[0-9]*.py
