# Two commands from a fresh clone: `make run` and `make test`. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.8
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin

# uv: the one on PATH, else a private copy installed from PyPI into .uv-tool/
UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.uv-tool/bin/uv)

# Airflow on one laptop: SQLite metadata under .airflow/, LocalExecutor sized for 2 cores.
export AIRFLOW_HOME ?= $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__CORE__EXECUTOR := LocalExecutor
export AIRFLOW__CORE__PARALLELISM := 2
export AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG := 2
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION := False
export AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS := admin:admin
export PATH := $(BIN):$(PATH)

.PHONY: help setup run test test-fast lint browser desk-screenshots airflow airflow-stop cluster cluster-stop compose-env compose-test bench eval-quotes eval-timeline eval-entities eval-claims clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(CURDIR)/.uv-tool/bin/uv:
	$(PYTHON) -m venv $(CURDIR)/.uv-tool
	$(CURDIR)/.uv-tool/bin/pip install --quiet uv==$(UV_VERSION)

$(BIN)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	@touch $@

$(AIRFLOW_HOME)/.ready: $(BIN)/.synced
	mkdir -p $(AIRFLOW_HOME)
	airflow db migrate > $(AIRFLOW_HOME)/db-migrate.log 2>&1 || (tail -20 $(AIRFLOW_HOME)/db-migrate.log; exit 1)
	airflow pools set duckdb_writer 1 "One writer to the DuckDB warehouse at a time" > /dev/null
	@touch $@

setup: $(AIRFLOW_HOME)/.ready  ## install uv, the locked dependencies, the spaCy model and Airflow's SQLite home

run: setup  ## run the DAG once over seeds/ with Airflow, then print a summary from DuckDB
	airflow dags test news_pipeline > $(AIRFLOW_HOME)/last-run.log 2>&1 || (grep -E "ERROR|error|Error|failed" $(AIRFLOW_HOME)/last-run.log | tail -30; echo "full log: $(AIRFLOW_HOME)/last-run.log"; exit 1)
	@grep -hE "discover:|enrich shard|deduplicate:|validate:|load:|publish:" $(AIRFLOW_HOME)/last-run.log | sed -E 's/^.*(discover:|enrich shard|deduplicate:|validate:|load:|publish:)/\1/; s/ \[pipeline[.a-z_]*\] loc=.*$$//' || true
	$(BIN)/python -m pipeline status

test: setup browser  ## the whole test suite (unit, DAG integrity, end-to-end, the desk in Chromium)
	DESK_BROWSER_REQUIRED=1 $(BIN)/python -m pytest -q

browser:  ## Chromium and its driver from Debian's packages, for the desk's browser test (needs root or sudo)
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then echo "chromium: $$(chromium --version 2>/dev/null)"; \
	else SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver > /dev/null \
	  && echo "installed $$(chromium --version 2>/dev/null)"; fi

desk-screenshots: setup browser  ## regenerate docs/desk-*.png (the README's tour) with the browser test
	DESK_SCREENSHOTS=docs $(BIN)/python -m pytest -q tests/e2e/test_desk_browser.py

test-fast: $(BIN)/.synced  ## the fast tier: unit tests, no model, no Airflow, no benchmark (under a minute)
	$(BIN)/python -m pytest -q tests/unit -m "not slow and not e2e and not airflow"

lint: $(BIN)/.synced  ## ruff: unused code, undefined names, import order
	$(BIN)/ruff check pipeline devtools dags tests

bench: setup  ## benchmark the pipeline against raw spaCy (BENCH_ARGS="--limit 800 --processes 2 --skip-raw --memory-copies 1 8")
	$(BIN)/python -m devtools.bench $(BENCH_ARGS)

eval-quotes: setup  ## score quote attribution: make eval-quotes ANNOTATIONS=../shared/eval/quotes_dev
	$(BIN)/python -m pipeline eval-quotes $(or $(ANNOTATIONS),../shared/eval/quotes_dev)

eval-timeline: setup  ## score the timeline: make eval-timeline TIMEML=../shared/eval/timeline_dev
	$(BIN)/python -m pipeline eval-timeline $(or $(TIMEML),../shared/eval/timeline_dev)

eval-entities: setup  ## score entity mentions and ids: make eval-entities ENTITIES=../shared/eval/entities_dev
	$(BIN)/python -m pipeline eval-entities $(or $(ENTITIES),../shared/eval/entities_dev)

eval-claims: setup  ## score numeric claims: make eval-claims CLAIMS=../shared/eval/claims_dev
	$(BIN)/python -m pipeline eval-claims $(or $(CLAIMS),../shared/eval/claims_dev)

airflow: setup  ## the Airflow UI on http://127.0.0.1:8080 and the news desk at /desk (Ctrl-C stops everything)
	$(BIN)/python -m devtools.local_airflow start

airflow-stop: $(BIN)/.synced  ## stop every process `make airflow` started (by its pid files under .airflow/pids/)
	$(BIN)/python -m devtools.local_airflow stop

cluster: $(BIN)/.synced  ## CeleryExecutor on PostgreSQL and Redis (Debian's packages), api-server, scheduler, 2 workers (CLUSTER_WORKERS=N)
	$(BIN)/python -m devtools.cluster start

cluster-stop: $(BIN)/.synced  ## stop everything `make cluster` started (pid files under .cluster/)
	$(BIN)/python -m devtools.cluster stop

compose-env: $(BIN)/.synced  ## write .env for docker-compose.yml with fresh secrets and your user id
	$(BIN)/python -m devtools.compose_test --write-env

compose-test: $(BIN)/.synced  ## build docker-compose.yml's images here (no registry), run the DAG through the stack, check DuckDB, tear down
	$(BIN)/python -m devtools.compose_test

clean:  ## remove the generated warehouse (DuckDB, lake, reports, staging) and Airflow's home
	rm -rf warehouse/news.duckdb* warehouse/lake warehouse/quarantine warehouse/reports warehouse/staging $(AIRFLOW_HOME)
