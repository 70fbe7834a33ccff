# Tirek — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@python="$$(bin/find-python)" || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade "pip>=24" 2>&1 | grep -v "is ignored" || true

$(VENV)/.installed-run: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet -c constraints.txt -e . 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -c "import weasyprint" 2>/dev/null || { \
	  echo "PDF documents need the Pango library: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0"; \
	  exit 1; }
	@$(BIN)/python -c "import django, tirek" && touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	@$(BIN)/python -c "import pytest, playwright" && touch $@

install: $(VENV)/.installed-run  ## Install Tirek into .venv

run: $(VENV)/.installed-run  ## Install, migrate, load the demo and serve on http://127.0.0.1:8000
	@mkdir -p -m 700 data
	$(BIN)/tirek migrate --no-input
	$(BIN)/tirek demo load
	@echo "Serving Tirek on http://$(HOST):$(PORT)/ — stop with Ctrl+C"
	$(BIN)/gunicorn tirek.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4

test: $(VENV)/.installed-dev  ## Run every test except the browser tests (SQLite, or DATABASE_URL)
	$(BIN)/ruff check tirek
	$(BIN)/pytest $(PYTEST_ARGS)

test-browser: $(VENV)/.installed-dev  ## Run the browser tests (needs Debian's chromium)
	@command -v chromium >/dev/null || { echo "The browser tests need Chromium: sudo apt-get install chromium"; exit 1; }
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

bench: $(VENV)/.installed-run  ## Page server times on national-scale data (data/bench/, or DATABASE_URL)
	TIREK_DATA_DIR=$${TIREK_DATA_DIR:-$(CURDIR)/data/bench} $(BIN)/tirek migrate --no-input -v0
	TIREK_DATA_DIR=$${TIREK_DATA_DIR:-$(CURDIR)/data/bench} $(BIN)/tirek bench --scale $${SCALE:-national}

lint: $(VENV)/.installed-dev  ## Check style
	$(BIN)/ruff check tirek
	$(BIN)/ruff format --check tirek

messages: $(VENV)/.installed-dev  ## Update the translation catalogues and compile them
	cd tirek && ../$(BIN)/tirek makemessages -l ky -l ru -l en --no-obsolete --no-location
	cd tirek && ../$(BIN)/tirek compilemessages

lock:  ## Re-pin every dependency in constraints.txt from a fresh environment
	rm -rf .lock-venv && "$$(bin/find-python)" -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e '.[dev]' 2>&1 | grep -v "is ignored" || true
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^tirek' > constraints.txt
	rm -rf .lock-venv

clean:  ## Remove the virtual environment (the data/ folder is kept)
	rm -rf $(VENV)

.PHONY: help install run test test-browser bench lint messages lock clean
