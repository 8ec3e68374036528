# The one entry point. `make run` and `make test` work from a clean clone: they create
# the virtualenv, install the locked packages and prepare the database themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-12)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
# Test processes (pytest-xdist): most tests wait on sockets, subprocesses and Chromium, so
# more processes than the 2 cores still pay. Whole files go to one process (loadfile): a
# file's tests share fixtures and, for the queue tests, one Redis database. Files go out in
# collection order, the longest first (tests/conftest.py), not xdist's most-tests-first.
PYTEST_WORKERS ?= 3
# Every test process, and every `linkhome` process a test starts (CLI, worker, serve), imports
# Django and the apps: from compiled bytecode that costs a third of the CPU it costs from
# source (a `linkhome show` 0.7 s instead of 1.8 s). So the install compiles the packages
# (uv does not by default), and the runs may cache the project's own modules, even when the
# caller's environment says PYTHONDONTWRITEBYTECODE.
unexport PYTHONDONTWRITEBYTECODE
PYTEST := $(BIN)/pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

# mypy's cache outside the clone, so that a fresh clone (CI's, or after make clean) checks
# only what changed: about 45 s cold, 3 s warm here. mypy checks each cached module against
# its source, so a cache shared by clones is safe.
MYPY_CACHE_DIR ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/linkhome/mypy

# Translations: the .po files are the source; the compiled .mo files are built here.
MO := $(patsubst %.po,%.mo,$(wildcard linkhome/locale/*/LC_MESSAGES/django.po))

.PHONY: setup run test test-sqlite test-postgres lint format bench clean messages

setup: $(STAMP) $(MO)

%.mo: %.po
	@command -v msgfmt >/dev/null || apt-get install -y --no-install-recommends gettext
	msgfmt --check -o $@ $<

# Refresh the catalogue after changing strings (then translate the new entries).
messages: setup
	cd linkhome && DJANGO_SETTINGS_MODULE=tests.django_settings PYTHONPATH=.. ../$(BIN)/python -m django \
		makemessages -l zh_Hans --no-location --no-obsolete -i testing

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9 2>&1 | grep -v "is ignored" || true
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

run: setup
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-ocr.sh
	$(BIN)/linkhome serve

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	@# Types, with django-stubs (it imports tests.django_settings from this directory): the
	@# whole linkhome package, every app and adapter, settings, urls and testing/ included.
	$(BIN)/mypy --cache-dir $(MYPY_CACHE_DIR) linkhome

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup lint
	bash scripts/ensure-services.sh
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-ocr.sh
	bash scripts/ensure-pywb.sh
	bash scripts/ensure-axe.sh
	$(MAKE) --no-print-directory test-sqlite test-postgres

# Everything on the embedded default (SQLite) ...
test-sqlite: setup
	$(PYTEST)

# ... and every database test again on PostgreSQL.
test-postgres: setup
	DATABASE_URL=$(PG_TEST_URL) $(PYTEST) -m django_db

bench: setup
	$(BIN)/python bench/capture.py
	$(BIN)/python bench/diff.py
	bash scripts/ensure-ocr.sh
	$(BIN)/python bench/ocr.py
	@command -v wrk >/dev/null || apt-get install -y --no-install-recommends wrk \
		|| (apt-get update && apt-get install -y --no-install-recommends wrk)
	$(BIN)/python bench/web.py
	$(BIN)/python bench/browser.py

lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11
	$(BIN)/uv pip compile requirements-pywb.in -o requirements-pywb.lock --python-version 3.11

clean:
	rm -rf $(VENV) .venv-pywb .pytest_cache .ruff_cache
