# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint install install-test docs bench bench-ab bench-rulebooks bench-audit bench-portfolio test-audit-spark fuzz clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)
install-test: $(TEST_STAMP)

# The example has findings (duties without a control in place), so assess would exit 1;
# --exit-zero keeps the demo from looking like a failure.
run: $(STAMP)
	$(BIN)/accord assess examples/cv-screener.yaml --exit-zero

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

test: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest -q -rs

# The fuzz folder with Hypothesis' long profile: thousands of fresh random examples per property
# (`make test` runs the same tests with a few dozen fixed ones). Minutes, not seconds.
fuzz: $(TEST_STAMP)
	ACCORD_FUZZ=1 $(BIN)/python -m pytest -q tests/fuzz

docs: $(STAMP)
	$(BIN)/python -m accord.docs_gen

bench: $(TEST_STAMP)
	$(BIN)/python bench/engine_bench.py

# Engine core against an earlier commit in one run (REF=<commit>), for trustworthy ratios.
bench-ab: $(TEST_STAMP)
	$(BIN)/python bench/ab_core.py $(REF)

bench-rulebooks: $(TEST_STAMP)
	$(BIN)/python bench/rulebook_scale.py --rules 5000

bench-audit: $(TEST_STAMP)
	$(BIN)/python bench/audit_bench.py --sizes 1M,10M,100M

# Load, assess and the multi-system commands (check, portfolio, gaps) over 1,000 and 10,000
# generated profiles, in one process, on every core and with the result cache cold and warm.
bench-portfolio: $(TEST_STAMP)
	$(BIN)/python bench/bench_portfolio.py --sizes 1000,10000

# PySpark is large and needs Java, so it is not a test dependency: this target installs it
# and runs the audit on Spark in local mode (the default suite skips that test, saying why).
test-audit-spark: $(TEST_STAMP)
	$(BIN)/pip install --quiet pyspark
	$(BIN)/python -m pytest -m spark tests/audit/test_spark.py -rs

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
