# Two entry points for a fresh clone: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := examples/kyiv-independent-2022-12-25.txt

.PHONY: install demo test test-fast test-browser lint bench bench-tn clean

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

# -rs: a skipped test says why (the browser tests, without chromium: apt-get install chromium).
test: lint
	$(BIN)/pytest -rs

# The inner loop: everything but the whole batches (tests marked slow), in about half the time.
test-fast: install
	$(BIN)/pytest -m "not slow"

# The web page in a real browser: the system's chromium (apt-get install chromium), driven by
# Playwright; its screenshot goes to test-artifacts/page.png.
test-browser: install
	$(BIN)/pytest tests/test_page.py -rs

bench: install
	$(BIN)/python bench/speed.py

# The normaliser's agreement with NeMo-text-processing, a development oracle only: it gets its
# own environment (about 1 GB) and is never a dependency of audiogen (bench/tn_agreement.py).
NEMO_VENV := .venv-nemo
$(NEMO_VENV)/installed:
	$(PYTHON) -m venv $(NEMO_VENV)
	$(NEMO_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NEMO_VENV)/bin/python -m pip install --quiet nemo_text_processing==1.2.0
	touch $@

bench-tn: install $(NEMO_VENV)/installed
	TN_NEMO_PYTHON=$(NEMO_VENV)/bin/python TN_NEMO_CACHE=$(NEMO_VENV)/grammars \
		$(BIN)/python bench/tn_agreement.py --refresh

clean:
	rm -rf $(VENV) output/*.mp3 .pytest_cache .ruff_cache test-artifacts
