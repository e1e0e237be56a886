# provsim — set-up and everyday commands. Every target first makes sure libxml2-dev is installed
# (the Report module links libxml2 through pkg-config).

SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
PROVSIM := .build/debug/provsim
PROVSIM_RELEASE := .build/release/provsim

.PHONY: deps build run test fuzz libfuzzer bench compliance ci-recipes schemas schema-check clean

## deps: install libxml2-dev and pkg-config with apt-get when they are missing
deps:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libxml-2.0; then :; else \
		echo "provsim: installing libxml2-dev and pkg-config"; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libxml2-dev pkg-config; \
	fi

## build: debug build of the package and the provsim command
build: deps
	$(SWIFT) build

## run: run the scenario suite in scenarios/ and write reports/junit.xml
run: build
	$(PROVSIM) run scenarios --junit reports/junit.xml

## test: the unit and integration tests
test: deps
	$(SWIFT) test

## fuzz: fuzz every parser, fake route and command for FUZZ_SECONDS (default 10 minutes) with
## FUZZ_SEED; prints "fuzz: N inputs, C crashes, E 5xx, H hangs", findings in reports/fuzz/
FUZZ_SECONDS ?= 600
FUZZ_SEED ?= 1
fuzz: build
	$(PROVSIM) fuzz --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) --findings reports/fuzz

## libfuzzer: coverage-guided fuzzing (libFuzzer + AddressSanitizer) of the JSON, SCIM filter and
## JSONPath parsers, LIBFUZZER_SECONDS per target (tools/libfuzzer/run.sh)
LIBFUZZER_SECONDS ?= 120
libfuzzer:
	tools/libfuzzer/run.sh $(LIBFUZZER_SECONDS)

## bench: release build, then the README's performance figures (tools/bench.sh): transformation
## throughput next to jq's on the same file, the memory of transforming 1,000,000 users, and the
## engine's onboarding time over its request floor at 1,000, 10,000 and 100,000 users
bench: deps
	$(SWIFT) build -c release
	tools/bench.sh $(PROVSIM_RELEASE) bench-data

## schemas: rewrite schemas/*.schema.json from the loaders' definitions (provsim schema)
schemas: build
	$(PROVSIM) schema scenario --output schemas/scenario.schema.json
	$(PROVSIM) schema systems --output schemas/systems.schema.json

## schema-check: Python's jsonschema (not provsim's code) validates the shipped scenarios and
## the files provsim init writes against schemas/, and refuses the wrong files the loader refuses
## A Python virtual environment at $(1); Debian's python3 needs python3-venv for it, which is
## installed with apt-get when missing.
define make-venv
	@[ -x $(1)/bin/python ] || python3 -m venv $(1) 2>/dev/null || { rm -rf $(1); \
		echo "provsim: installing python3-venv"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && \
		python3 -m venv $(1); }
endef

SCHEMA_VENV := .build/schema-venv
schema-check: build
	$(call make-venv,$(SCHEMA_VENV))
	@$(SCHEMA_VENV)/bin/pip install -q jsonschema==4.26.0 PyYAML==6.0.3
	$(SCHEMA_VENV)/bin/python tools/schema-check.py $(PROVSIM)

## compliance: independent clients from PyPI against provsim serve: the SCIM 2.0 checker
## scim2-tester (Identity Directory, AFC) and the Cloud Foundry library cloudfoundry-client (UAA, CF);
## then provsim check scim against provsim serve and against the independent scim2-server, and
## lifecycle scenarios (XSUAA and AFC, Cloud Foundry) against a separate provsim serve through
## public APIs (tools/check-scim.sh)
COMPLIANCE_VENV := .build/compliance-venv
compliance: build
	$(call make-venv,$(COMPLIANCE_VENV))
	@$(COMPLIANCE_VENV)/bin/pip install -q scim2-tester==0.5.2 scim2-client==0.13.2 scim2-models==0.12.3 httpx2==2.16.2 cloudfoundry-client==1.40.4 scim2-server==0.8.3
	$(COMPLIANCE_VENV)/bin/python tools/scim-compliance.py $(PROVSIM)
	$(COMPLIANCE_VENV)/bin/python tools/cf-client-check.py $(PROVSIM)
	tools/check-scim.sh $(PROVSIM) $(COMPLIANCE_VENV)

## ci-recipes: the CI recipes of docs/ci.md, checked against GitHub's and GitLab's published
## schemas (check-jsonschema from PyPI, offline copies) and their commands run here
CI_VENV := .build/ci-venv
ci-recipes: deps
	$(call make-venv,$(CI_VENV))
	@$(CI_VENV)/bin/pip install -q check-jsonschema==0.39.0
	CHECK_JSONSCHEMA=$(CI_VENV)/bin/check-jsonschema tools/ci-recipes.sh

clean:
	rm -rf .build .build-libfuzzer reports/*.xml reports/*.html reports/fuzz bench-data
