# The two set-up commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed

.PHONY: run test venv lint format worker beat clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@# The web server and a worker on the embedded broker (files under var/broker, no server
	@# needed): background work never holds a click. Ctrl-C stops both.
	@export DEBUG=1 CELERY_BROKER_URL="$${CELERY_BROKER_URL:-filesystem://localhost/}"; \
	$(BIN)/celery -A slaportal worker --loglevel=INFO --concurrency=2 & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite in parallel, one worker per core and one more (PYTEST_WORKERS to change it):
# browser, worker and SMTP tests spend much of their time waiting, so a core is rarely idle.
# Each worker starts with its share of the long tests (tests/conftest.py) and idle workers take
# queued tests from busy ones, so the long tests do not run alone at the end.
PYTEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print((os.cpu_count() or 1) + 1)")
test: $(STAMP)
	@start=$$(date +%s); status=0; \
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS) || status=$$?; \
	echo "make test: the whole suite took $$(( $$(date +%s) - start )) s"; exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(STAMP)
	$(BIN)/celery -A slaportal worker --loglevel=INFO --concurrency=2

# Exactly one beat per deployment (see docs/operations.md).
beat: $(STAMP)
	$(BIN)/celery -A slaportal beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

clean:
	rm -rf $(VENV) var/test-db.sqlite3
