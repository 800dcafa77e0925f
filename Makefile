# The two commands: `make run` brings the whole system up locally; `make test` runs the whole suite.
# Both install what is missing first: a virtualenv from requirements.lock, the Kafka jars (Maven Central),
# and SecantusDB in a virtualenv of its own.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test install infra-up infra-down infra-status asyncapi bench clean

$(INSTALLED): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(INSTALLED)

install: $(INSTALLED)
	$(BIN)/puente infra fetch

run: install
	$(BIN)/puente run

test: install
	$(BIN)/puente test

infra-up: install
	$(BIN)/puente infra up

infra-down: install
	$(BIN)/puente infra down

infra-status: install
	$(BIN)/puente infra status

asyncapi: install
	$(BIN)/puente asyncapi

bench: install
	$(BIN)/python -m bench

clean:
	-$(BIN)/puente infra down
	rm -rf $(VENV) .puente
