# Two entry points that work from a clean clone: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup browser demo test lint bench eval clean

$(BIN)/rashomon: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/rashomon

setup: $(BIN)/rashomon

# Debian's chromium for the report's browser test (skipped with a reason if absent).
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "note: chromium not installed; browser tests will be skipped"; }

demo: setup
	$(BIN)/rashomon demo --out demo-out

test: setup browser
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/python -m pytest -q -ra

bench: setup
	$(BIN)/python bench/bench_ingest.py
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/bench_stories.py

eval: setup
	$(BIN)/rashomon eval extraction
	$(BIN)/rashomon eval quotes
	$(BIN)/rashomon eval events
	$(BIN)/rashomon eval clustering
	$(BIN)/rashomon eval acled

clean:
	rm -rf $(VENV) demo-out out *.db
