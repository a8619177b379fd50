# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: help install demo test bench seeds lock clean

help:
	@echo "make demo   install into .venv, build the whole mesh on DuckDB from scratch, print the reports"
	@echo "make test   install into .venv and run the test suite (real dbt on temporary DuckDB files)"
	@echo "make bench  benchmarks: mesh check vs dbt-bouncer, mesh lint vs sqlfluff's dbt templater, mesh quality vs SQL"
	@echo "make seeds  regenerate the raw demo data under seeds/ (deterministic)"
	@echo "make lock   re-pin constraints.txt from the current .venv"
	@echo "make clean  remove build outputs (target/, logs/, the warehouse file)"

$(INSTALLED): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(INSTALLED)

install: $(INSTALLED)

demo: install
	rm -f warehouse/mesh.duckdb
	$(BIN)/mesh build --full-refresh
	$(BIN)/mesh check
	$(BIN)/mesh quality
	$(BIN)/mesh headlines
	@echo ""
	@echo "Warehouse:     warehouse/mesh.duckdb (DuckDB; schemas per domain, e.g. analytics.portfolio_performance_v1)"
	@echo "Build results: target/run_results.json, target/manifest.json; dbt log: logs/dbt.log"
	@echo "Quality:       every run in table mesh_quality.history of the warehouse"
	@echo "Next:          .venv/bin/mesh domains   |   .venv/bin/mesh build --domain collections"

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,bench]'
	$(BIN)/python bench/check_vs_bouncer.py
	$(BIN)/python bench/lint_vs_dbt_templater.py
	$(BIN)/python bench/quality_vs_sql.py

seeds: install
	$(BIN)/python -m mesh_platform.demo_data seeds

lock: install
	$(BIN)/python -m pip freeze --exclude-editable --disable-pip-version-check | grep -v '^mesh-platform' > constraints.txt

clean:
	rm -rf target logs warehouse/mesh.duckdb warehouse/mesh.duckdb.wal
