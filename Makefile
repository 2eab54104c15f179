# Safeguarding Review Hub. `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test install lint typecheck check lock clean

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.lock 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import django, docx, holidays, playwright" # fail here if the install did not work
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo
	@echo "Safeguarding Review Hub demo: http://127.0.0.1:8000/"
	@$(PY) manage.py demo_logins
	@echo
	$(PY) manage.py runserver 127.0.0.1:8000

# Runs the whole suite on SQLite, then again on a real PostgreSQL server: the one named by
# SRH_TEST_POSTGRES_URL, or a throwaway one started here when PostgreSQL is installed.
test: install
	SRH_ENVIRONMENT=test $(PY) -m pytest -q
	@if [ -n "$$SRH_TEST_POSTGRES_URL" ]; then \
		echo "== the same suite on PostgreSQL ($$SRH_TEST_POSTGRES_URL)"; \
		SRH_ENVIRONMENT=test DATABASE_URL="$$SRH_TEST_POSTGRES_URL" $(PY) -m pytest -q; \
	elif scripts/pg-test-server.sh available; then \
		echo "== the same suite on a throwaway PostgreSQL server"; \
		scripts/pg-test-server.sh run env SRH_ENVIRONMENT=test $(PY) -m pytest -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI: PostgreSQL is required and was not found"; exit 1; \
	else \
		echo "SKIPPED: the PostgreSQL run (no PostgreSQL server binaries on this machine)."; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	SRH_ENVIRONMENT=test $(VENV)/bin/mypy safeguarding

check: lint typecheck test

# Rebuild the lock from pyproject.toml's pins (needs the registry).
lock:
	rm -rf /tmp/srh-lock && $(PYTHON) -m venv /tmp/srh-lock
	/tmp/srh-lock/bin/pip install --quiet ".[dev]"
	/tmp/srh-lock/bin/pip freeze --exclude safeguarding-review-hub > requirements.lock

clean:
	rm -rf $(VENV) node_modules var
