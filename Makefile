# Two entry points that work from a clean clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test lint bench clean

$(BIN)/rashomon: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/rashomon

setup: $(BIN)/rashomon

demo: setup
	$(BIN)/rashomon demo --out demo-out

test: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -q -ra

bench: setup
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_pipeline.py

clean:
	rm -rf $(VENV) demo-out out *.db
