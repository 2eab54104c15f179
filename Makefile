# Safeguarding Review Hub. `make demo` and `make test` do all set-up on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test serve mutate install lint typecheck check lock clean

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
	@# Reports are generated on the database task queue by a worker that runs beside the server
	@# and stops with it.
	export SRH_TASK_QUEUE=database; \
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# The production server (gunicorn + the task worker) on SRH_BIND; refuses without
# SRH_ENVIRONMENT=production and the production settings (docs/DEPLOY.md).
serve: $(VENV)/.installed node_modules/.installed
	scripts/serve.sh

# Mutation testing of the modules that matter most (slow: not part of `make test`);
# `make mutate GROUPS="access suppression"` for some of them. See docs/SECURITY.md.
mutate: install
	scripts/mutate.sh $(GROUPS)

# Runs the whole suite on SQLite and again on a real PostgreSQL server: the one named by
# SRH_TEST_POSTGRES_URL, or a throwaway one started here when PostgreSQL is installed (CI=true:
# PostgreSQL is required). Each run is single-threaded, so the two go side by side (CI has two
# cores): SQLite's output streams, PostgreSQL's follows when both are done. SRH_TEST_SERIAL=1 runs
# them one after the other. Fails if either run fails. -rs: each run's summary names every test
# it skipped and why (no Chromium, PostgreSQL-only checks on SQLite).
test: install
	@export SRH_ENVIRONMENT=test; \
	if [ -n "$${SRH_TEST_POSTGRES_URL:-}" ]; then pg=url; \
	elif scripts/pg-test-server.sh available; then pg=throwaway; \
	elif [ "$${CI:-}" = "true" ]; then echo "CI: PostgreSQL is required and was not found"; exit 1; \
	else pg=none; echo "SKIPPED: the PostgreSQL run (no PostgreSQL server binaries on this machine)."; fi; \
	if [ $$pg = url ]; then set -- env "DATABASE_URL=$$SRH_TEST_POSTGRES_URL" $(PY) -m pytest -q -rs; \
	else set -- scripts/pg-test-server.sh run $(PY) -m pytest -q -rs; fi; \
	pg_pid=""; pg_rc=0; \
	if [ $$pg != none ] && [ -z "$${SRH_TEST_SERIAL:-}" ] && command -v setsid >/dev/null; then \
		pg_log=$$(mktemp); \
		echo "== PostgreSQL run started in the background; its output comes after SQLite's"; \
		setsid "$$@" >"$$pg_log" 2>&1 & pg_pid=$$!; \
		trap 'kill -TERM -$$pg_pid 2>/dev/null; wait $$pg_pid; rm -f "$$pg_log"; exit 130' INT TERM; \
	fi; \
	echo "== the suite on SQLite"; \
	sqlite_rc=0; $(PY) -m pytest -q -rs || sqlite_rc=$$?; \
	if [ -n "$$pg_pid" ]; then \
		wait $$pg_pid || pg_rc=$$?; trap - INT TERM; \
		echo "== the same suite on PostgreSQL"; cat "$$pg_log"; rm -f "$$pg_log"; \
	elif [ $$pg != none ]; then \
		echo "== the same suite on PostgreSQL"; "$$@" || pg_rc=$$?; \
	fi; \
	echo "== pytest exit codes: SQLite $$sqlite_rc, PostgreSQL $$([ $$pg = none ] && echo skipped || echo $$pg_rc)"; \
	[ $$sqlite_rc -eq 0 ] && [ $$pg_rc -eq 0 ]

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r safeguarding -c pyproject.toml --severity-level high

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
