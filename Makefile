# Two commands: `make run` and `make test` (see README). Everything installs into .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install assets lint migrate demo worker bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-install only when the dependency declarations change.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

assets: node_modules/.installed

run: install
	mkdir -p var
	$(BIN)/renewal migrate --no-input
	$(BIN)/renewal demo
	@# the background-task worker (big imports, bulletins, batch settlement) runs beside the server
	$(BIN)/renewal db_worker --queue-name '*' --no-reload -v 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/renewal runserver $(HOST):$(PORT)

test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pytest
	@if [ -n "$$TEST_POSTGRES_URL" ]; then \
	  echo "== PostgreSQL: $$TEST_POSTGRES_URL"; \
	  DATABASE_URL="$$TEST_POSTGRES_URL" $(BIN)/pytest; \
	fi

worker: install
	$(BIN)/renewal db_worker

bench: install
	$(BIN)/pip install -q -c constraints.txt -e '.[test,bench]'
	@echo "run a benchmark with: $(BIN)/python bench/<name>.py"

clean:
	rm -rf $(VENV) node_modules var
