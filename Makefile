# Two commands set everything up on a fresh machine:
#   make demo   install, then ingest the bundled sample and print a summary
#   make test   install, then lint and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: install browser demo test lint bench lock clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (apt-get; never a browser download).
browser:
	scripts/install-chromium.sh

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/detente ingest samples/articles --db $(DEMO_DB) --quiet
	$(BIN)/detente summary --db $(DEMO_DB)

lint: install
	$(BIN)/ruff check src tests bench

# The whole suite on SQLite, then the store tests on PostgreSQL ($$DETENTE_TEST_PG, default
# postgresql://postgres@127.0.0.1:5432/test; each test uses a fresh schema).
test: lint browser
	$(BIN)/python -m pytest -q -m "not postgresql"
	$(BIN)/python -m pytest -q -m postgresql tests/test_store.py

bench: install
	$(BIN)/python bench/code_speed.py
	$(BIN)/python bench/web_speed.py

# Re-pin dependencies after changing pyproject.toml.
lock:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^detente' > requirements.lock

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm .pytest_cache .ruff_cache
