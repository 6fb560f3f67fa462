# The two commands of the README. Each sets up what it needs — the virtual environment with
# the project installed, and (on first use of the engine) Neo4j's jars through Maven — and is
# safe to run again.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.orgnet-installed
# How the tests are spread over the two cores (see `test`).
WORKERS := -n 2 --dist loadfile --no-loadscope-reorder

.PHONY: demo test test-cpu browser notebooks lint bench-load bench-phases bench-query bench-api bench-undo bench-views bench-console bench-plans clean

# The main job: start the engine, generate and load the demo scenario, print coverage.
demo: $(READY)
	@$(BIN)/orgnet db start
	@$(BIN)/orgnet generate --scenario demo --out var/demo
	@$(BIN)/orgnet load var/demo
	@$(BIN)/orgnet coverage --scope DMD01
	@$(BIN)/orgnet gaps estates --scope DMD01 --top 10
	@echo "控制台（浏览器）：先建用户 $(BIN)/orgnet users create 用户名 --role admin --jurisdiction all --password-stdin，"
	@echo "再启动 $(BIN)/orgnet serve，打开 http://127.0.0.1:8000/"

# The tests, against a real embedded engine of their own (never var/): two workers, each with
# an engine of its own, a test file wholly in one worker (its module's fixtures built once) and
# the files that read the generated district in one worker too (it is loaded once for them),
# the longest handed out first (tests/conftest.py); the slowest twenty are named at the end.
# The tests marked fuzz draw a third of their examples, and the walks of every request by every
# user ask each user a share of them in turn (FUZZ=quick); CI draws and asks them all
# (`make test FUZZ=full`, .ci/run).
FUZZ ?= quick
test: $(READY) browser lint
	$(BIN)/pytest -q $(WORKERS) --fuzz $(FUZZ) --durations=20

# Headless Chromium and a CJK font, for the test that opens the network views in a browser
# (and to read Chinese in them): from the system's packages, installed when missing and this
# runs as root with apt-get (as CI does); otherwise said, and that one test is skipped.
browser:
	@if command -v chromium >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-noto-cjk >/dev/null; } \
	  || echo "note: apt-get could not install chromium and fonts-noto-cjk;" \
	    "the browser test will be skipped"; \
	else echo "note: chromium or a CJK font is missing (apt-get install chromium fonts-noto-cjk);" \
	  "the browser test will be skipped"; fi

lint: $(READY)
	$(BIN)/ruff check graph loaders queries api tests benchmarks notebooks
	$(BIN)/mypy -p orgnet.graph -p orgnet.loaders -p orgnet.queries -p orgnet.api

# The notebooks in JupyterLab (an optional extra, installed here on first use); the .py files
# under notebooks/ open as notebooks.
notebooks: $(READY)
	$(BIN)/python -m pip install -q -e '.[notebooks]'
	$(BIN)/jupyter lab notebooks/

bench-load: $(READY)
	$(BIN)/python -m benchmarks.load_benchmark $(ARGS)

bench-phases: $(READY)
	$(BIN)/python -m benchmarks.load_phases $(ARGS)

# The tests as `make test` runs them, with the CPU each one cost written to var/suite-cpu.jsonl
# (benchmarks/suite_cpu.py), then summed by file. The browser is set up as for `make test`: a
# table without the browser's tests (skipped where chromium is missing) is not the suite's.
test-cpu: $(READY) browser
	mkdir -p var && rm -f var/suite-cpu.jsonl
	ORGNET_SUITE_CPU=$(CURDIR)/var/suite-cpu.jsonl PYTHONPATH=$(CURDIR) \
	  $(BIN)/pytest -q $(WORKERS) --fuzz $(FUZZ) -p benchmarks.suite_cpu
	$(BIN)/python -m benchmarks.suite_cpu var/suite-cpu.jsonl

# Every statement planned on an engine just started, and planned again once its code is
# compiled: what an engine started afresh pays before its first answers.
bench-plans: $(READY)
	$(BIN)/python -m benchmarks.plan_cost $(ARGS)

bench-query: $(READY)
	$(BIN)/python -m benchmarks.query_benchmark $(ARGS)

bench-api: $(READY)
	$(BIN)/python -m benchmarks.api_benchmark $(ARGS)

# A city corrected (a tenth of its people moved, a tenth of its posts ended) and taken back.
bench-undo: $(READY)
	$(BIN)/python -m benchmarks.undo_benchmark $(ARGS)

# Every view and the report of the xinfu scenario, opened in headless Chromium, timed, and
# photographed into var/pictures (look at them).
bench-views: $(READY) browser
	$(BIN)/python -m benchmarks.view_benchmark $(ARGS)

# Every page of the console: photographed on the xinfu scenario at 1366×768 and 390×844 into
# var/pictures/console (look at them), then timed in Chromium on a city of the province and on
# the province (which `make bench-load` leaves in var/bench).
bench-console: $(READY) browser
	$(BIN)/python -m benchmarks.console_benchmark --shots $(ARGS)
	$(BIN)/python -m benchmarks.console_benchmark $(ARGS)

$(READY): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@# The build's notes on an editable install are for its own developers, not for a demo.
	@PYTHONWARNINGS=ignore $(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

clean:
	rm -rf $(VENV) engine/target
