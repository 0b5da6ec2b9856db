# Two entry points for a fresh clone: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := examples/kyiv-independent-2022-12-25.txt

.PHONY: install demo test lint bench clean

# The stamp is the installed console script: reinstall only when the dependencies change.
$(BIN)/audiogen: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("audiogen needs Python 3.11 or newer; set PYTHON=python3.x" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/audiogen

demo: install
	$(BIN)/audiogen convert $(SAMPLE) -o output --force

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/speed.py

clean:
	rm -rf $(VENV) output/*.mp3 .pytest_cache .ruff_cache
