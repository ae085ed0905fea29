# Two commands do all the set-up on a fresh Debian/Ubuntu machine:
#   make run    the service on the embedded default (local folders under ./data)
#   make test   the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check deps venv bench clean

deps:
	./scripts/install-system-deps.sh

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --no-binary tesserocr -e '.[test]'   # tesserocr built on the system's Tesseract
	@touch $(STAMP)

venv: deps $(STAMP)

run: venv
	mkdir -p data/inbox
	$(BIN)/digitizer watch data/inbox

# The edit loop: the lint and type gate and the tests that need no server, no browser and no
# service run (stages, pipeline, fields, index, ledger, settings): under 3 minutes. CI runs `test`.
FAST_TESTS := tests/test_config.py tests/test_fields.py tests/test_garbage.py tests/test_imaging.py \
              tests/test_index.py tests/test_intake.py tests/test_layout.py tests/test_ledger.py \
              tests/test_samples.py tests/test_stack.py tests/test_syllable_model.py tests/test_threads.py \
              tests/test_vocabulary.py tests/test_pipeline.py
check: venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -x $(FAST_TESTS)

# The lint and type gate, then the tests; the integration tests start their own Redis,
# PostgreSQL and Ceph RADOS Gateway (an S3 server) on 127.0.0.1 from these packages, and sign
# with a key on a SoftHSM2 token (a PKCS#11 token in software, as offices' USB tokens are).
test: venv
	./scripts/install-system-deps.sh redis-server postgresql radosgw ceph-mon ceph-osd softhsm2
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

bench: venv
	./scripts/install-system-deps.sh ocrmypdf unpaper
	$(BIN)/python bench/realworld.py
	$(BIN)/python bench/ocr_accuracy.py --count 45
	$(BIN)/python bench/speed.py --pages 36 --runs 3
	$(BIN)/python bench/fields.py --count 72
	$(BIN)/python bench/store.py
	$(BIN)/python bench/archival.py
	$(BIN)/python bench/search.py --records 100000

clean:
	rm -rf $(VENV) .pytest_cache
