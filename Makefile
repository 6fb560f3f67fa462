# The two commands of the README. Each sets up what it needs — the virtual environment with
# the project installed, and (on first use of the engine) Neo4j's jars through Maven — and is
# safe to run again.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.orgnet-installed

.PHONY: demo test lint bench-load bench-query bench-api clean

# The main job: start the engine, generate and load the demo scenario, print coverage.
demo: $(READY)
	$(BIN)/orgnet db start
	$(BIN)/orgnet generate --scenario demo --out var/demo
	$(BIN)/orgnet load var/demo
	$(BIN)/orgnet coverage --scope DMD01
	$(BIN)/orgnet gaps estates --scope DMD01 --top 10

# The tests, against a real embedded engine of their own (never var/).
test: $(READY) lint
	$(BIN)/pytest -q

lint: $(READY)
	$(BIN)/ruff check graph loaders queries api tests benchmarks
	$(BIN)/mypy graph loaders queries api

bench-load: $(READY)
	$(BIN)/python -m benchmarks.load_benchmark $(ARGS)

bench-query: $(READY)
	$(BIN)/python -m benchmarks.query_benchmark $(ARGS)

bench-api: $(READY)
	$(BIN)/python -m benchmarks.api_benchmark $(ARGS)

$(READY): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) engine/target
