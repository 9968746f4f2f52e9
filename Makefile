# Bastion: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	if command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then echo $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install native test-native demo test faults lint fmt bench bench-waf bench-scan bench-extauthz bench-pipeline bench-memory bench-fleet bench-functions services clean fuzz floods soak hyperscan-intel

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "Bastion needs Python 3.11 or newer (apt-get install python3 python3-venv)"; exit 1; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "creating the venv failed: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip 'setuptools>=77' wheel
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# the bytecode `bastion serve` runs with (-OO: no docstrings, 1.8 MiB less per worker; docs/performance.md)
	$(BIN)/python -OO -m compileall -q -j 0 src "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
	@touch $(STAMP)

install: $(STAMP)

# The compiled build (docs/performance.md, "The compiled build"): the modules pyproject.toml lists under
# [tool.bastion.compile] compiled with mypyc into a wheel in dist/, installed in its own venv, rebuilt
# whenever a source changes. The development venv stays plain Python, so an edit always takes effect.
NATIVE_VENV := .venv-native
NATIVE_STAMP := $(NATIVE_VENV)/.installed-stamp
$(NATIVE_STAMP): $(STAMP) setup.py pyproject.toml $(shell find src/bastion -type f -not -path '*/__pycache__/*')
	@scripts/build-tools.sh $(BIN)/python
	@echo "compiling the request path with mypyc (about 3 minutes on 2 cores)"
	@mkdir -p $(NATIVE_VENV) && touch $@.building  # a source edited during the build is newer than the stamp
	rm -rf build dist/bastion_gateway-*.whl
	BASTION_COMPILE=1 $(BIN)/python -m pip wheel --quiet --no-build-isolation --no-deps -w dist .
	@test -x $(NATIVE_VENV)/bin/python || $(PYTHON) -m venv $(NATIVE_VENV)
	$(NATIVE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NATIVE_VENV)/bin/python -m pip install --quiet --force-reinstall --no-deps dist/bastion_gateway-*.whl
	$(NATIVE_VENV)/bin/python -m pip install --quiet "$$(ls dist/bastion_gateway-*.whl)[dev]"
	$(NATIVE_VENV)/bin/python -OO -m compileall -q -j 0 "$$($(NATIVE_VENV)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
	@mv $@.building $@

native: $(NATIVE_STAMP)

demo: install
	$(BIN)/python -m examples.run_demo

services:
	@scripts/test-services.sh

# The hyperscan binding built on Intel Hyperscan 5.4.2 instead of the PyPI wheel's Vectorscan 5.4.12,
# which loses matches (docs/waf.md, "The Hyperscan engine"). Root, about 10 minutes; MODE=system
# links Debian's libhyperscan5 instead (seconds; that package is then needed wherever Bastion runs).
hyperscan-intel: install
	scripts/build-hyperscan.sh
	$(BIN)/python -m pip install --quiet --force-reinstall --no-deps .hyperscan-build/dist/hyperscan-*.whl
	$(BIN)/python -c 'import hyperscan; d = hyperscan.Database(); d.compile(expressions=[b"a"], ids=[0], elements=1, flags=[0]); print(d.info().decode())'

lint: install
	$(BIN)/ruff check src tests bench examples setup.py
	$(BIN)/ruff format --check src tests bench examples setup.py
	$(BIN)/mypy

fmt: install
	$(BIN)/ruff format src tests bench examples
	$(BIN)/ruff check --fix src tests bench examples

test: install services lint
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# The same suite against the compiled build; CI runs both (.ci/run).
test-native: native services
	BASTION_EXPECT_COMPILED=1 $(NATIVE_VENV)/bin/python -m pytest -q -n 2 --dist loadfile

# The fault tests as a campaign: the issue's 60 s PostgreSQL outage, longer Redis outages, more load
# before each kill -9 (CI runs the same tests shorter; see docs/reliability.md).
faults: install services
	BASTION_CI=1 BASTION_FAULT_OUTAGE=$${BASTION_FAULT_OUTAGE:-60} BASTION_FAULT_REDIS_OUTAGE=$${BASTION_FAULT_REDIS_OUTAGE:-20} \
	BASTION_FAULT_REQUESTS=$${BASTION_FAULT_REQUESTS:-20000} $(BIN)/python -m pytest -q -s --timeout 900 tests/faults

bench: install
	$(BIN)/python bench/proxy_load.py $(if $(BASE),--base $(BASE)) $(if $(HEAD),--head $(HEAD)) $(if $(ROUNDS),--rounds $(ROUNDS))

bench-functions: install
	$(BIN)/python -m pytest bench --benchmark-only --benchmark-columns=min,median,mean,ops -q

bench-waf: install
	$(BIN)/python bench/waf_corpus.py --corpus $(or $(CORPUS),../shared/corpus/dev.jsonl)
	$(BIN)/python bench/waf_eval.py --loso --corpus $(or $(CORPUS),../shared/corpus/dev.jsonl)
	$(BIN)/python bench/waf_eval.py --loso --strict-tags --corpus $(or $(CORPUS),../shared/corpus/dev.jsonl)
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_second.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_third.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_fourth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_fifth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_sixth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_seventh.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_eighth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_ninth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_tenth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_eleventh.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_twelfth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_thirteenth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_fourteenth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_fifteenth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_sixteenth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_seventeenth.jsonl
	$(BIN)/python bench/waf_eval.py --corpus tests/data/waf_unseen_eighteenth.jsonl

bench-scan: install
	$(BIN)/python bench/scan_demo.py
	$(BIN)/python bench/scan_trust.py

bench-extauthz: install
	$(BIN)/python bench/extauthz_load.py

# NATIVE=1: also the compiled build (`make native`) in the same run
bench-pipeline: install $(if $(NATIVE),native)
	$(BIN)/python bench/pipeline_load.py $(if $(NATIVE),--compiled $(NATIVE_VENV)/bin/python)

bench-memory: install
	$(BIN)/python bench/memory_load.py

bench-fleet: install
	$(BIN)/python bench/fleet_load.py

# Reliability campaigns (docs/reliability.md); long, not part of `make test`.
fuzz: install
	$(BIN)/python -m tests.faults.fuzz_campaign --cases $(or $(CASES),1000000) --keep; a=$$?; \
	$(BIN)/python -m tests.faults.inprocess_timing --examples $(or $(EXAMPLES),3000); b=$$?; \
	c=0; for t in json waf graphql authz; do \
	  $(BIN)/python -m tests.faults.atheris_fuzz --target $$t --runs $(or $(RUNS),200000) || c=1; done; \
	exit $$((a | b | c))

floods: install
	BASTION_FLOOD_FULL=1 $(BIN)/python -m pytest -q -s -p no:randomly tests/faults/test_floods.py

soak: install
	$(BIN)/python bench/soak.py --minutes $(or $(MINUTES),30) --csv bench/results/soak.csv --png docs/img/soak.png

clean:
	rm -rf $(VENV) $(NATIVE_VENV) dist .pytest_cache .mypy_cache .ruff_cache build *.egg-info src/*.egg-info
