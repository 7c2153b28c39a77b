# The two commands of the README; they may run at the same time, in two terminals:
#   make serve   install what building and serving need, build the site and serve it with live reload
#   make test    install what the tests need as well (Chromium included) and run both test suites
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Installs run one at a time (tools/locked.py): a `make` started while another installs waits for
# it, then re-checks what is still missing under the lock and finds the work done.
LOCKED := $(PYTHON) tools/locked.py .install.lock

.PHONY: serve build test install install-test for-serve for-test system-packages

serve: install
	$(PY) build.py --serve

build: install
	$(PY) build.py

test: install-test
	$(PY) tools/run_tests.py

install:
	@$(LOCKED) $(MAKE) --no-print-directory for-serve

install-test:
	@$(LOCKED) $(MAKE) --no-print-directory for-test

# What build.py needs: the Python packages of requirements.txt and lunr.js (npm, without the
# development packages). The tests need their own Python packages, axe-core and the Nu Html
# Checker (npm devDependencies), and Debian's Chromium, Java and fonts.
for-serve: $(VENV)/.installed node_modules/.installed-runtime

for-test: system-packages $(VENV)/.installed-test node_modules/.installed-all

$(VENV)/.installed: requirements.txt
	@echo "==> Python packages for building and serving (requirements.txt) into $(VENV)/"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	@echo "==> Python packages for the tests (requirements-test.txt)"
	$(PY) -m pip install --disable-pip-version-check -r requirements-test.txt
	touch $@

# npm ci replaces node_modules/ as a whole: the full install also counts as the runtime one.
node_modules/.installed-runtime: package.json package-lock.json
	@echo "==> npm packages for the site (lunr.js), without the test tools"
	npm ci --omit=dev --no-audit --no-fund
	touch $@

node_modules/.installed-all: package.json package-lock.json
	@echo "==> npm packages for the site and the tests (lunr.js, axe-core, the Nu Html Checker)"
	npm ci --no-audit --no-fund
	touch node_modules/.installed-runtime $@

# Debian's packages the tests need: Chromium (Playwright drives /usr/bin/chromium; it cannot
# download browsers here), Java for the Nu Html Checker, Arabic fonts for the screenshots.
# Installed before the npm packages: an npm older than 11, which ignores package.json's
# allowScripts, runs vnu-jar's install script, and that downloads a Java runtime if none is found.
system-packages:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	[ -d /usr/share/fonts/truetype/noto ] || missing="$$missing fonts-noto-core"; \
	if [ -n "$$missing" ]; then \
	  echo "==> Debian packages for the tests:$$missing (apt-get; Chromium and Java take a few minutes)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y $$missing; \
	fi
