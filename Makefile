# Presswork: `make run` starts the whole system, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := app

.PHONY: install run test lint bench clean

install: $(VENV)/.installed static/vendor/htmx.min.js library/fonts/.installed

$(VENV)/.installed: requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

static/vendor/htmx.min.js: package.json package-lock.json
	npm ci --silent
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

# The default font library, copied out of the npm packages (npm ci runs in the rule above).
library/fonts/.installed: $(VENV)/.installed static/vendor/htmx.min.js designer/library/default_library.py
	$(BIN)/python -m designer.library.default_library node_modules library/fonts
	touch $@

run: install
	PORT=$(PORT) $(BIN)/flask serve

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/api_throughput.py

clean:
	rm -rf $(VENV) node_modules static/vendor library/fonts
