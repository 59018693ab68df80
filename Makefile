# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install translations translations-update translations-check fuzz bench audit clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations

## Compile the catalogs (.mo files are build output, never committed).
translations: $(STAMP)
	$(FLASK) translate compile

## After changing user-facing strings: re-extract and merge into every catalog.
translations-update: $(STAMP)
	$(FLASK) translate update

translations-check: $(STAMP)
	$(FLASK) translate check

## Serve the demo on http://127.0.0.1:5000 (SQLite in the instance folder).
run: install
	$(FLASK) db upgrade
	$(FLASK) consult demo
	@echo
	@echo "Staff sign-in: http://127.0.0.1:5000/en/account/staff/sign-in"
	@echo "  as moderator@example.org, editor@example.org or admin@example.org,"
	@echo "  password demo-password-2024 (demo accounts: never created in production)."
	@echo "  The admin sets up two-step sign-in (an authenticator app) at its first sign-in."
	@echo "Participants: http://127.0.0.1:5000/en/account/sign-in with any address;"
	@echo "  the sign-in link is printed here, in this console (no mail is sent)."
	@echo
	$(FLASK) run --host 127.0.0.1 --port 5000

## Lint, type-check and run the whole suite; prints how long it took.
test: install
	@start=$$(date +%s); \
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy consult \
	  && $(BIN)/pytest; status=$$?; \
	echo "make test took $$(( $$(date +%s) - start )) s"; exit $$status

## Many more generated examples than `make test` runs.
fuzz: install
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -m "not browser" tests

## Figures for docs/performance.md: page rendering, then exports (needs the sqlite3 shell).
bench: install
	$(BIN)/python bench/render_pages.py
	$(BIN)/python bench/export.py

## Known vulnerabilities in the installed dependencies (not in `make test`).
audit: install
	$(BIN)/python .ci/audit.py

clean:
	rm -rf $(VENV) instance test-output .pytest_cache .mypy_cache .ruff_cache
	find translations -name '*.mo' -delete
