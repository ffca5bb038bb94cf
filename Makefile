# Qingchun: the two commands a fresh machine needs are `make up` and `make test` (DESIGN.md §5).
# Everything runs through uv and the committed lock file (--frozen: never re-resolve silently).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# uv on PATH, else the one `make sync` installs with pip (`python3 -m uv` works even off PATH).
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
RUN := $(UV) run --frozen
RUNNER := $(RUN) python deploy/local/runner.py
ROLE ?= city_admin
SCOPE ?=
SUBJECT ?=

.PHONY: help sync up down status token test lint contracts schema

help:
	@echo "make up | down | status | token [ROLE=city_admin] [SCOPE=org_…] [SUBJECT=yc-03] | test | lint | contracts | schema | sync"

sync:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet uv || python3 -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen

up: sync
	$(RUNNER) up

down:
	@$(RUNNER) down

status:
	@$(RUNNER) status

# Prints only the token, so TOKEN=$$(make -s token ROLE=…) works.
token:
	@$(RUNNER) token $(foreach r,$(ROLE),--role $(r)) $(foreach s,$(SCOPE),--scope $(s)) $(if $(SUBJECT),--subject $(SUBJECT))

test: sync
	$(RUN) pytest

lint: sync
	$(RUN) ruff check .
	$(RUN) mypy
	$(RUN) mypy deploy/local/runner.py deploy/local/demo.py deploy/local/demo_http.py deploy/local/demo_volunteering.py deploy/local/demo_education.py deploy/local/demo_employment.py deploy/local/demo_partners.py

contracts:
	$(RUN) python -m qingchun_contracts export contracts/schemas
	$(RUN) python -m qingchun_contracts asyncapi > contracts/asyncapi.json

# The gateway's SDL, committed as the graph's contract (gateway/tests/unit/test_schema_contract.py).
schema:
	$(RUN) python -m qingchun_gateway sdl > gateway/schema.graphql
