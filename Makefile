# The two commands a new user needs: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DBT := $(BIN)/dbt
# Where the raw exports are. Unset: the built-in Kota Tanjung Balai sample is generated into data/raw.
RAW_DIR ?=
SAMPLE_DIR := data/raw
SEED ?= 2017
DBT_TARGET ?= dev
export DBT_PROFILES_DIR := $(CURDIR)
export PYTHONPATH := $(CURDIR)

.PHONY: help setup run sample load build lint test clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	$(PY) scripts/pinned_requirements.py > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt -c constraints.txt
	touch $@

setup: $(VENV)/.installed  ## Create .venv from the exact pins (only when missing or the pins changed)

sample: setup  ## Generate the Kota Tanjung Balai sample into data/raw
	$(PY) -m scripts.generate --profile tanjungbalai --seed $(SEED) --out $(SAMPLE_DIR)

ifeq ($(strip $(RAW_DIR)),)
LOAD_DIR := $(SAMPLE_DIR)
LOAD_PREREQ := sample
else
LOAD_DIR := $(RAW_DIR)
LOAD_PREREQ := setup
endif

load: $(LOAD_PREREQ)  ## Load every raw file of RAW_DIR (default: the sample) into warehouse/raw.duckdb
	$(PY) -m scripts.load --raw-dir $(LOAD_DIR) --out warehouse/raw.duckdb

build: setup  ## dbt build (seeds, models, tests) on the loaded raw layer
	$(DBT) build --target $(DBT_TARGET)

run: load build  ## Set up, then generate (or take RAW_DIR), load and build the warehouse

lint: setup  ## sqlfluff (dbt templater, in-memory target) and ruff
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(BIN)/sqlfluff lint models macros analyses tests

test: setup lint  ## Set up, then run every test
	$(BIN)/pytest

clean:  ## Remove generated data, the warehouse and dbt artefacts (keeps .venv)
	rm -rf data/raw warehouse target logs dbt_packages output
