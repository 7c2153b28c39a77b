# The two commands of the README:
#   make serve   install everything, build the site and serve it with live reload
#   make test    install everything (Chromium included) and run every test
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: serve build test install install-test system-packages

serve: install
	$(PY) build.py --serve

build: install
	$(PY) build.py

test: install-test system-packages
	$(PY) -m pytest -q
	npm test

install: $(VENV)/.installed node_modules/.installed

install-test: install $(VENV)/.installed-test

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's packages the tests need: Chromium (Playwright drives /usr/bin/chromium; it cannot
# download browsers here), Java for the Nu Html Checker, Arabic fonts for the screenshots.
system-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	[ -d /usr/share/fonts/truetype/noto ] || missing="$$missing fonts-noto-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
