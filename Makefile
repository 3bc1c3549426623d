# Himaya — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-fast lint format messages bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# The embedded installation's secret key: generated once, kept under var/ (never in the repo).
var/secret_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The embedded installation's encryption key (judges' private records): generated once, under var/.
var/encryption_key:
	mkdir -p var
	umask 077 && $(PYTHON) -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())' > $@

# Set up everything, load the curriculum and the demo cycle, and serve on http://$(HOST):$(PORT).
run: install var/secret_key var/encryption_key
	$(BIN)/himaya compile_translations
	$(BIN)/himaya migrate --no-input
	$(BIN)/himaya collectstatic --no-input --verbosity 0
	$(BIN)/himaya load_content --demo
	@echo ""
	@echo "Himaya is starting on http://$(HOST):$(PORT)/  (stop with Ctrl-C)"
	$(BIN)/himaya runserver $(HOST):$(PORT)

test: install
	DJANGO_SETTINGS_MODULE=himaya.settings_test $(BIN)/himaya compile_translations
	$(BIN)/pytest $(PYTEST_ARGS)

test-fast: install
	$(BIN)/pytest -m "not browser" -x -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the .po files after changing user-facing strings.
messages: install
	$(BIN)/himaya makemessages -l fr -l ar -l en --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'bench/*' --ignore 'content/*' 

bench: install
	$(BIN)/python bench/import.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/search_relevance.py
	$(BIN)/python bench/search_speed.py
	$(BIN)/python bench/report.py
	$(BIN)/python bench/jobs.py
	$(BIN)/python bench/pseudonymise.py

clean:
	rm -rf $(VENV) var *.egg-info
