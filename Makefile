# moneyprinter: `make demo` sets everything up and runs the main job; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test bench lint lock upgrade audit clean

setup: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml scripts/install_llama_cpp.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	scripts/install_llama_cpp.sh $(BIN)
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

demo: setup
	$(BIN)/moneyprinter demo

test: setup
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check --select E9,F src tests bench

bench: setup
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

lock:
	$(BIN)/pip-compile --quiet --strip-extras --no-header requirements.in -o requirements.txt
	$(BIN)/pip-compile --quiet --strip-extras --no-header requirements-dev.in -o requirements-dev.txt

upgrade:
	$(BIN)/pip-compile --quiet --strip-extras --no-header --upgrade requirements.in -o requirements.txt
	$(BIN)/pip-compile --quiet --strip-extras --no-header --upgrade requirements-dev.in -o requirements-dev.txt

audit: setup
	$(BIN)/python -m pip install --quiet pip-audit && $(BIN)/pip-audit -r requirements.txt

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
