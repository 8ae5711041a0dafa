# Every target creates .venv on first use, so a fresh clone needs nothing but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test check quick bench clean

$(BIN)/papershelf: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.test-deps: $(BIN)/papershelf
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

run: $(BIN)/papershelf
	$(BIN)/papershelf demo

# Lint, format, types and the architecture contract: what the code promises, CI checks.
check: $(VENV)/.test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: check
	$(BIN)/python -m pytest

# The quick loop: everything but the subprocess, kill and concurrency tests, on both cores
# (worksteal: a worker that runs out takes tests from the other), property tests with a fifth
# of their examples. Bytecode and pytest's rewritten test modules are cached even where the
# environment turns that off (PYTHONDONTWRITEBYTECODE): a worker collects in 4 s, not 8.
quick: $(VENV)/.test-deps
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -m "not slow" -n 2 --dist worksteal \
		--hypothesis-profile=quick

bench: $(VENV)/.test-deps
	$(BIN)/python -m bench
	$(BIN)/python -m bench.fetch
	$(BIN)/python -m bench.search_table

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
