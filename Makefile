# Flywheel: `make run` serves the demo portfolio, `make test` runs ruff, builds the docs and runs
# the whole suite.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=
# The suite runs in two processes (pytest-xdist), each with its own test database (suffix
# _gw0, _gw1) and Redis database; `--dist load` hands tests out in collection order, so each
# process still runs the tests that empty tables (transaction=True) after the others.
# XDIST="-n 0" runs it in one process.
XDIST ?= -n 2 --dist load

.PHONY: run test test-postgres test-sqlite lint docs messages mutation bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	@touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py serve --port $(PORT)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# The documentation site (mkdocs-material, docs/ and mkdocs.yml), into .site/. --strict turns
# every warning into a failure: a broken link or anchor, a page missing from the navigation.
# Offline: no plugin that downloads (no social cards, no privacy plugin), no web fonts.
docs: $(VENV)/.installed-test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir .site

# The suite runs on PostgreSQL when it answers (CI: REQUIRE_SERVICES=1 makes it required),
# then again on SQLite, the embedded default.
test: lint docs
	$(BIN)/pytest -q $(XDIST) $(PYTEST_ARGS) tests
	FLYWHEEL_TEST_DB=sqlite $(BIN)/pytest -q $(XDIST) -m "not browser" -p no:cacheprovider $(PYTEST_ARGS) tests

test-postgres: $(VENV)/.installed-test
	$(BIN)/pytest -q $(XDIST) $(PYTEST_ARGS) tests

test-sqlite: $(VENV)/.installed-test
	FLYWHEEL_TEST_DB=sqlite $(BIN)/pytest -q $(XDIST) $(PYTEST_ARGS) tests

# Translations (docs/languages.md): extract every marked string of the apps and templates into
# locale/<language>/LC_MESSAGES/django.po (translations already there are kept, keyed by their
# msgid; no line numbers, so moving code changes nothing), then compile the .mo files, which are
# committed so that a fresh clone runs without gettext (core/management/commands/messages.py).
# Needs GNU gettext (xgettext, msgfmt).
# The suite fails on an untranslated or fuzzy message (tests/core/test_translations.py).
messages: $(VENV)/.installed
	$(BIN)/python manage.py messages

# Mutation testing (not part of `make test`): mutmut mutates the rule-bearing functions named
# in MUTANTS (of the modules under [tool.mutmut] in pyproject.toml), runs the tests that cover
# each mutant, and lists the survivors (`.venv/bin/mutmut show <name>` shows one). About an
# hour on a quiet two-core machine; MUTANTS="gates.evaluation.*" runs one module.
MUTANTS ?= "portfolio.diagnostic.*" "integrations.signing.x_verify*" \
	"integrations.signing.x_signature*" "gates.evaluation.x_clean*" "gates.evaluation.x_judge*" \
	"gates.evaluation.x__weight*" "gates.evaluation.x_evaluate*" \
	"governance.services.conditions.x_condition_*" \
	"portfolio.services.transition_import.x_history_replay*" \
	"portfolio.services.flags.x_slower_than_previous_causes*" \
	"portfolio.services.flags.x_flags_reconcile*" "governance.watch.x_pilot_purgatory_causes*" \
	"governance.watch.x_watch_refresh*" "portfolio.selectors_velocity.x_velocity_trends*"
mutation: $(VENV)/.installed-test
	rm -rf mutants
	FLYWHEEL_TEST_DB=sqlite SQLITE_TEST_NAME=$(CURDIR)/.mutation-db.sqlite3 \
		$(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/mutmut results

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run

# The production shape under faults (PostgreSQL, Redis, two web servers, three workers, two
# beats of its own, on loopback; SOAK_SECONDS of load, 180 by default). Not in `make test`.
soak: $(VENV)/.installed-test
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) db.sqlite3 .test-db.sqlite3 .mutation-db.sqlite3 staticfiles test-artifacts .site mutants
