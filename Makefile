# The two commands of the README's quick start, and what they need.
# `make run`  : set up, validate the shipped package, build its figures and release, open the dashboard.
# `make test` : set up (including Debian's chromium for browser tests) and run every test.

VENV   ?= .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup system-packages lint clean figures release

run: setup system-packages
	$(BIN)/scamstats validate
	$(BIN)/scamstats info
	$(BIN)/scamstats figures --out build/figures
	$(BIN)/scamstats release --out dist --figures build/figures
	$(BIN)/scamstats dashboard

test: setup system-packages
	$(BIN)/python -m pytest

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

# Debian packages: chromium (headless browser tests and static figure export), Khmer fonts.
system-packages:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi khmer && fc-list 2>/dev/null | grep -qi "noto sans cjk" || { \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-khmeros fonts-noto-cjk >/dev/null; }

# Figures (PNG, SVG, offline HTML, CSV, manifest.json) and the release zip; both deterministic.
figures: setup system-packages
	$(BIN)/scamstats figures --out build/figures

# `make release SINCE=<previous release: git revision, folder or zip>` also writes changes.csv
# and the generated CHANGELOG.md section.
release: figures
	$(BIN)/scamstats release --out dist --figures build/figures $(if $(SINCE),--since $(SINCE))

lint: setup
	$(BIN)/ruff check src tests scripts dashboard

clean:
	rm -rf $(VENV) build dist .pytest_cache
