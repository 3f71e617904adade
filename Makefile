# The two commands a new user needs: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
DBT := $(BIN)/dbt
# Where the raw exports are. Unset: the built-in Kota Tanjung Balai sample is generated into
# data/raw: SAMPLE_DELIVERIES deliveries SAMPLE_INTERVAL_MONTHS apart from the PBDT 2015
# (data/raw/2015-07/, 2016-07/, 2017-07/; the latest holds the seed's 14,500 households).
RAW_DIR ?=
SAMPLE_DIR := data/raw
SAMPLE_DELIVERIES ?= 3
SAMPLE_INTERVAL_MONTHS ?= 12
# The delivery RAW_DIR is (YYYY-MM or YYYY-MM-DD; loading it again replaces it, unless its files
# are the same). Unset: the date of the data stated beside the files (manifest.json), or, for a
# RAW_DIR of YYYY-MM[-DD] sub-folders, one delivery each.
DELIVERY ?=
# Extra loader options, e.g. LOAD_ARGS=--parquet-in-place (large Parquet exports read where they lie).
LOAD_ARGS ?=
# Where `make publish` writes the tables, report and Berita Acara (output/ is git-ignored).
OUTPUT_DIR ?= output
SEED ?= 2017
DBT_TARGET ?= dev
# The BI database the publication reads (DBT_TARGET=spark: the copy the Spark build writes).
BI_DATABASE := $(or $(BDT_WAREHOUSE_DIR),warehouse)/bdt.duckdb
export DBT_PROFILES_DIR := $(CURDIR)
export PYTHONPATH := $(CURDIR)
# Public reference data (BPS Master File Desa, Kemendagri codes), read where it lies.
REFERENCE_DIR ?= ../shared/reference
# The pseudonymisation secret: BDT_PERSON_KEY from the environment, else a random local one
# kept in .secrets/person_key (git-ignored, mode 0600), created by `make secret`. dbt reads it
# itself (scripts/dbt_plugins/pseudonym_key.py), however it is started.
SECRET_FILE := .secrets/person_key
# Extra options of `dbt build` for `make build`, e.g. BUILD_ARGS="--vars '{target_desil_max: 10}'"
BUILD_ARGS ?=

.PHONY: help setup setup-spark setup-notebooks check-system secret run sample load build publish docs lint-conventions lint lint-changed test test-fast bench clean bi-setup bi bi-stop bi-screenshot extract extract-report

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-17s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	$(PY) scripts/pinned_requirements.py > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt -c constraints.txt
	# The project folder on the venv's path, so that dbt finds the plugin in scripts/
	$(PY) -c 'import site, sys; open(site.getsitepackages()[0] + "/bdt_warehouse.pth", "w").write(sys.argv[1] + "\n")' "$(CURDIR)"
	touch $@

setup: $(VENV)/.installed  ## Create .venv from the exact pins (only when missing or the pins changed)

# An optional group of pyproject.toml (spark, notebooks) added to .venv from its exact pins.
$(VENV)/.%-installed: $(VENV)/.installed
	$(PY) scripts/pinned_requirements.py $* > $(VENV)/requirements-$*.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements-$*.txt -c constraints.txt
	touch $@

# The Spark target (docs/spark.md): dbt-spark and pyspark (about 490 MB); Java 17 must be on the PATH.
setup-spark: $(VENV)/.spark-installed  ## Add the Spark target's packages (dbt-spark, pyspark) to .venv

setup-notebooks: $(VENV)/.notebooks-installed  ## Add Jupyter to .venv, to open notebooks/ (.venv/bin/jupyter lab)

secret:  ## Create the local pseudonymisation secret .secrets/person_key unless BDT_PERSON_KEY is set
	@if [ -z "$(BDT_PERSON_KEY)" ] && [ ! -s $(SECRET_FILE) ]; then \
		mkdir -p $(dir $(SECRET_FILE)) && chmod 700 $(dir $(SECRET_FILE)) && \
		(umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_hex(32))' > $(SECRET_FILE)) && \
		echo "created a random pseudonymisation secret in $(SECRET_FILE)"; \
	fi

sample: setup  ## Generate the Kota Tanjung Balai sample (a series of deliveries) into data/raw
	$(PY) -m scripts.generate --profile tanjungbalai --seed $(SEED) --out $(SAMPLE_DIR) \
		--deliveries $(SAMPLE_DELIVERIES) --interval-months $(SAMPLE_INTERVAL_MONTHS)

ifeq ($(strip $(RAW_DIR)),)
LOAD_DIR := $(SAMPLE_DIR)
LOAD_PREREQ := sample
else
LOAD_DIR := $(RAW_DIR)
LOAD_PREREQ := setup
endif

# DBT_TARGET=postgres: the raw layer is also copied into the server named by BDT_PG_HOST,
# BDT_PG_PORT, BDT_PG_DATABASE, BDT_PG_USER (password: DBT_ENV_SECRET_PG_PASSWORD), and dbt gets
# the pseudonymisation pads through PGOPTIONS (`make build` sets them itself). The publication
# reads the DuckDB warehouse only.
ifeq ($(DBT_TARGET),postgres)
export BDT_PG_HOST ?= 127.0.0.1
export BDT_PG_PORT ?= 5432
export BDT_PG_DATABASE ?= bdt
export BDT_PG_USER ?= bdt_owner
export PGPASSWORD ?= $(DBT_ENV_SECRET_PG_PASSWORD)
LOAD_TARGET_ARGS = --postgres-dsn "host=$(BDT_PG_HOST) port=$(BDT_PG_PORT) dbname=$(BDT_PG_DATABASE) user=$(BDT_PG_USER)"
DBT_ENV = PGOPTIONS="$$($(PY) -m scripts.dbt_plugins.pseudonym_key --pgoptions)"
RUN_STEPS := load build
else ifeq ($(DBT_TARGET),spark)
# DBT_TARGET=spark (docs/spark.md): the raw layer is also exported as Parquet for Spark, and the
# build runs on local Spark (pyspark, `make setup-spark`). The build ends by copying the BI side
# into <spark dir>/bdt.duckdb, which the publication reads.
SPARK_EXPORT = $(PY) -m scripts.load.spark
TARGET_PREREQ := setup-spark
BI_DATABASE := $(or $(BDT_SPARK_DIR),$(or $(BDT_WAREHOUSE_DIR),warehouse)/spark)/bdt.duckdb
RUN_STEPS := load build publish
else ifeq ($(DBT_TARGET),spark_thrift)
# DBT_TARGET=spark_thrift: a cluster's Spark Thrift Server (docs/spark.md "On a cluster"); the
# raw Parquet export must be copied to the cluster's storage before `make build`.
SPARK_EXPORT = $(PY) -m scripts.load.spark
TARGET_PREREQ := setup-spark
RUN_STEPS := load build
else
RUN_STEPS := load build publish
endif

load: $(LOAD_PREREQ)  ## Load RAW_DIR (default: the sample) as delivery DELIVERY into warehouse/raw.duckdb
	$(PY) -m scripts.load --raw-dir $(LOAD_DIR) --reference-dir $(REFERENCE_DIR) --out warehouse/raw.duckdb $(if $(strip $(DELIVERY)),--delivery $(DELIVERY)) $(LOAD_ARGS) $(LOAD_TARGET_ARGS)
	$(SPARK_EXPORT)

build: setup secret $(TARGET_PREREQ)  ## dbt build of each delivery still to build, then the latest; published only when all passed
	$(PY) -m scripts.build --target $(DBT_TARGET) $(BUILD_ARGS)

docs: setup secret  ## dbt docs generate (target/index.html, target/catalog.json)
	$(DBT_ENV) $(DBT) docs generate --target $(DBT_TARGET)

# Arguments of `make extract`, e.g. ARGS='--profile pkh_candidates --region 1272010 --requester "..." ...'
ARGS ?=
extract: setup  ## A by-name list for a program from the restricted zone, logged (README "By-name lists for programs")
	$(PY) -m scripts.extract $(ARGS)

extract-report: setup  ## The extracts' audit log as a report for the data protection officer (ARGS='--since YYYY-MM-DD')
	$(PY) -m scripts.extract.report $(ARGS)

publish: setup  ## Publication tables (Excel, CSV, HTML report, charts) and FKP Berita Acara into output/
	$(PY) -m scripts.publish --warehouse $(BI_DATABASE) --out $(OUTPUT_DIR)

run: $(RUN_STEPS)  ## Set up, then generate (or take RAW_DIR), load, build and publish

# The dbt conventions (dbt-bouncer.yml) are checked on the manifest of `dbt parse` on the in-memory
# `lint` target (no warehouse, no secret needed), written to target/lint/ so that it leaves the
# partial-parse state of target/ alone.
lint-conventions: setup  ## ruff, and the dbt conventions (dbt-bouncer, doc blocks): about 20 s
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests
	$(DBT) parse --quiet --target lint --target-path target/lint
	COLUMNS=160 $(BIN)/dbt-bouncer run --config-file dbt-bouncer.yml
	$(PY) -m scripts.check_doc_blocks

lint: lint-conventions  ## lint-conventions, then sqlfluff of all SQL (dbt templater, in-memory target)
	$(BIN)/sqlfluff lint models macros analyses tests --processes 2

# The Debian packages the tests need beside Python's (PostgreSQL, Chromium, Java): a missing one
# stops `make test` at once, named with the command that installs it (.ci/run installs them).
check-system:  ## Check that the Debian packages make test needs are installed
	$(PYTHON) -m scripts.system_packages --check

# setup-spark: the Spark parity test (tests/python/test_spark.py) runs in `make test`.
test: check-system setup setup-spark bi-setup lint  ## Check the system, set up, then run every test
	$(BIN)/pytest

# The edit-test loop. What changed: the files that differ between the working tree (committed
# or not, new files included) and where the branch left BASE.
BASE ?= main
CHANGED_SQL = $(shell base=$$(git merge-base HEAD $(BASE) 2>/dev/null || echo HEAD); \
	{ git diff --name-only --diff-filter=d $$base -- ; git ls-files --others --exclude-standard; } \
	| grep -E '^(models|macros|analyses|tests)/.*\.sql$$' | sort -u)

lint-changed: lint-conventions  ## lint-conventions, then sqlfluff of the .sql files changed since BASE (default main)
	$(if $(CHANGED_SQL),$(BIN)/sqlfluff lint $(CHANGED_SQL) --processes 2,@echo "sqlfluff: no .sql file changed since $(BASE)")

test-fast: setup lint-changed  ## The quick loop: lint-changed, then the tests that build no warehouse (dbt unit tests included)
	$(BIN)/pytest -m "not slow"

SCALE ?= tanjungbalai
# ENGINE=spark: the stages of a build on local Spark (`make setup-spark` first), beside DuckDB's.
ENGINE ?= duckdb
BENCH_ARGS ?=
bench: setup $(if $(filter spark,$(ENGINE)),setup-spark)  ## Benchmark one scale (SCALE=tanjungbalai|100k|1m|national, ENGINE=duckdb|spark, BENCH_ARGS=--reuse-raw): figures in docs/benchmarks*
	$(PY) -m scripts.bench --scale $(SCALE) --engine $(ENGINE) $(BENCH_ARGS)

# The Superset dashboard (bi/, scripts/bi/): its own environment .venv-bi from the exact pins of
# bi/requirements.txt (Superset pins pandas < 2.2 and SQLAlchemy < 2), metadata in .bi/, the
# admin password and secret key from BDT_BI_ADMIN_PASSWORD / BDT_BI_SECRET_KEY or random local
# ones in .secrets/. BI_PORT: the port on 127.0.0.1.
BI_VENV := .venv-bi
BI_PORT ?= 8088

$(BI_VENV)/.installed: bi/requirements.txt
	$(PYTHON) -m venv $(BI_VENV)
	$(BI_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	$(BI_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r bi/requirements.txt
	touch $@

bi-setup: setup $(BI_VENV)/.installed  ## Create .venv-bi (Superset) from the exact pins of bi/requirements.txt

bi: bi-setup  ## Start Superset on 127.0.0.1:BI_PORT with the dashboard of warehouse/bdt.duckdb (after make run)
	$(PY) -m scripts.bi start --port $(BI_PORT)

bi-stop: setup  ## Stop the Superset of make bi
	$(PY) -m scripts.bi stop

bi-screenshot: bi-setup  ## Start Superset, screenshot the dashboard into docs/img/superset-dashboard.png, stop it
	$(PY) -m scripts.bi screenshot --port $(BI_PORT) --out docs/img/superset-dashboard.png

# warehouse/extracts/ (by-name lists handed over and their audit log) are records: clean keeps them.
clean:  ## Remove generated data, the warehouse (but not warehouse/extracts/) and dbt artefacts (keeps .venv)
	rm -rf data/raw target logs dbt_packages output bench
	if [ -d warehouse ]; then find warehouse -mindepth 1 -maxdepth 1 ! -name extracts -exec rm -rf {} +; fi
