# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYTEST_ARGS ?=
# The suite runs on this many processes (pytest-xdist), each module's tests on one of them (module fixtures
# are built once); 0 runs it in this process.
TEST_WORKERS ?= 2


.PHONY: own-venv
.PHONY: help install demo test lint-python test-spark install-spark bench seeds lock lock-datacontract clean

help:
	@echo "make demo   install into .venv, run the nightly (build, check, lint, quality) on DuckDB from scratch"
	@echo "make test   install into .venv, check the Python (ruff, mypy), run the test suite (real dbt on temporary DuckDB files and a throwaway PostgreSQL server; datacontract-cli on the exported contracts)"
	@echo "make lint-python  ruff and mypy on the platform's code"
	@echo "make test-spark  install the spark extra (dbt-spark, pyspark) and build the mesh on local Spark against DuckDB"
	@echo "make postgres  install Debian's postgresql when missing (the Postgres tests start their own server)"
	@echo "make datacontract  install datacontract-cli into .venv-datacontract (the tests run it on the exported contracts)"
	@echo "make bench  benchmarks: mesh check vs dbt-bouncer, mesh lint vs sqlfluff's dbt templater, mesh quality vs SQL, catalog scale"
	@echo "make seeds  regenerate the raw demo data under seeds/ (deterministic)"
	@echo "make lock   re-pin constraints.txt from the current .venv"
	@echo "make clean  remove build outputs (target/, logs/, the warehouse file)"

$(INSTALLED): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(INSTALLED)

# A .venv made by another checkout (copied, or this folder moved) runs that checkout's code: start afresh.
OWN_VENV_CHECK := import importlib.util as u, pathlib as p, sys; s = u.find_spec("mesh_platform"); \
	sys.exit(0 if s and p.Path(s.origin).resolve().is_relative_to(p.Path("platform").resolve()) else 1)

install: own-venv $(INSTALLED)

own-venv:
	@if [ -d $(VENV) ] && ! $(BIN)/python -c '$(OWN_VENV_CHECK)' 2>/dev/null; then \
		echo "$(VENV) belongs to another checkout (or is broken): making it again"; rm -rf $(VENV); fi

demo: install
	rm -f warehouse/mesh.duckdb
	$(BIN)/mesh nightly --full-refresh
	$(BIN)/mesh headlines
	@echo ""
	@echo "Reports:       target/nightly/$$(cat target/nightly/LATEST)/ (summary.md, junit.xml, summary.json)"
	@echo "Warehouse:     warehouse/mesh.duckdb (DuckDB; schemas per domain, e.g. analytics.portfolio_performance_v1)"
	@echo "dbt:           target/nightly/$$(cat target/nightly/LATEST)/dbt/ (manifest, run results); log: logs/dbt.log"
	@echo "Quality:       every run in table mesh_quality.history of the warehouse"
	@echo "Next:          .venv/bin/mesh domains   |   .venv/bin/mesh build --domain collections   |   .venv/bin/mesh check"

test: install browser postgres datacontract lint-python
	MESH_DATACONTRACT=$(abspath $(DATACONTRACT)) $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lint-python: install
	$(BIN)/ruff check platform bench
	$(BIN)/mypy

# The mesh on local Spark (tests marked `spark`, left out of `make test`): the `spark` extra and a Java runtime.
SPARK_INSTALLED := $(VENV)/.installed-spark
$(SPARK_INSTALLED): $(INSTALLED)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,spark]'
	@touch $(SPARK_INSTALLED)

install-spark: $(SPARK_INSTALLED) java

test-spark: install-spark
	$(BIN)/python -m pytest -m spark -rP platform/tests/spark $(PYTEST_ARGS)

# Debian packages the tests need, installed when missing: as root, or through sudo.
apt_install = SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1)

.PHONY: java
java:
	@if ! command -v java >/dev/null; then \
		echo "Installing Debian's openjdk-17-jre-headless for Spark ..."; \
		$(call apt_install,openjdk-17-jre-headless); \
	fi

# The catalog's browser tests drive Debian's Chromium through chromedriver (selenium): installed when missing.
CHROMIUM ?= /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver
.PHONY: browser
browser:
	@if [ ! -x $(CHROMIUM) ] || [ ! -x $(CHROMEDRIVER) ]; then \
		echo "Installing Debian's chromium and chromium-driver for the catalog's browser tests ..."; \
		$(call apt_install,chromium chromium-driver); \
	fi

# The Postgres tests start a throwaway server of Debian's PostgreSQL (initdb, pg_ctl): installed when missing.
.PHONY: postgres
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "Installing Debian's postgresql for the Postgres tests ..."; \
		$(call apt_install,postgresql); \
	fi

# datacontract-cli, which the tests run on the exported ODCS contracts, in a venv of its own: it needs duckdb 1.5,
# the platform pins 1.4. Pinned by constraints-datacontract.txt; about 3 minutes the first time.
DATACONTRACT_CLI := datacontract-cli[duckdb]==1.2.8
DATACONTRACT_VENV := .venv-datacontract
DATACONTRACT := $(DATACONTRACT_VENV)/bin/datacontract
DATACONTRACT_INSTALLED := $(DATACONTRACT_VENV)/.installed
.PHONY: datacontract
datacontract: $(DATACONTRACT_INSTALLED)
$(DATACONTRACT_INSTALLED): constraints-datacontract.txt
	@test -x $(DATACONTRACT_VENV)/bin/python || $(PYTHON) -m venv $(DATACONTRACT_VENV)
	$(DATACONTRACT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c constraints-datacontract.txt \
		'$(DATACONTRACT_CLI)'
	@touch $(DATACONTRACT_INSTALLED)

lock-datacontract: datacontract
	@{ sed -n '1,2p' constraints-datacontract.txt; $(DATACONTRACT_VENV)/bin/python -m pip freeze \
		--disable-pip-version-check | grep -v '^datacontract-cli=='; } > constraints-datacontract.txt.new
	mv constraints-datacontract.txt.new constraints-datacontract.txt

bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,bench]'
	$(BIN)/python bench/check_vs_bouncer.py
	$(BIN)/python bench/lint_vs_dbt_templater.py
	$(BIN)/python bench/quality_vs_sql.py
	$(BIN)/python bench/catalog_scale.py
	$(BIN)/python bench/scale.py

seeds: install
	$(BIN)/python -m mesh_platform.demo_data seeds

lock: install
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^mesh-platform' > constraints.txt

clean:
	rm -rf target logs warehouse/mesh.duckdb warehouse/mesh.duckdb.wal warehouse/mesh.duckdb.lock
