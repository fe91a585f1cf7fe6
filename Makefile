# Presswork: `make run` starts the whole system, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# `make test` spreads the suite over one process per core (pytest-xdist, an idle process taking
# tests queued for a busy one, so the slow browser and worker tests do not pile up at the end);
# PYTEST_WORKERS=0 runs it in one.
PYTEST_WORKERS ?= auto
export FLASK_APP := app

.PHONY: install system-packages test-packages run test lint bench clean

# Debian packages besides Python itself: venv and npm to install (`make run`), and for `make test`
# Chromium (the browser tests) and poppler's pdftoppm (the PDFs looked at as a press would).
# What is missing is installed when it may be (root, or sudo without a password); otherwise make
# stops at once with the one command to run. INSTALL_SYSTEM_PACKAGES=no only checks.
# icc-profiles-free's FOGRA39 data (zlib licence) makes the default CMYK profile (`make install`:
# designer/rendering/cmyk_profile.py).
FOGRA39_DATA ?= /usr/share/color/icc/FOGRA39L.ti3
CMYK_PROFILE := library/profiles/fogra39-coated.icc
CHROMIUM ?= /usr/bin/chromium
PDFTOPPM ?= /usr/bin/pdftoppm
INSTALL_SYSTEM_PACKAGES ?= yes
# three.js, the editor's 3D view (static/js/editor/view3d.js), loaded only on products with a 3D
# profile: the core and the GLB loader with what it imports, their `from 'three'` pointed at the
# copied build (a browser resolves no bare name without an import map, which the CSP refuses).
THREE := static/vendor/three
THREE_FILES := build/three.module.js build/three.core.js examples/jsm/loaders/GLTFLoader.js \
	examples/jsm/utils/BufferGeometryUtils.js examples/jsm/utils/SkeletonUtils.js
# Redoc's standalone build, the API references (/api/docs, /v1/docs): its sidebar's "API docs by
# Redocly" badge loads a logo from Redocly's CDN, which is pointed at an empty data: URI instead (the badge
# hides itself when its picture does not load), so the page asks nothing of another host.
REDOC := static/vendor/redoc
REDOC_LOGO := https://cdn.redoc.ly/redoc/logo-mini.svg
# $(call debian_packages,CHECKS): each check is `test-command:package`.
define debian_packages
	@missing=""; \
	for check in $(1); do \
	  $${check%%:*} >/dev/null 2>&1 || missing="$$missing $${check##*:}"; \
	done; \
	[ -z "$$missing" ] && exit 0; \
	if [ "$(INSTALL_SYSTEM_PACKAGES)" = yes ] && [ "$$(id -u)" = 0 ]; then sudo=""; \
	elif [ "$(INSTALL_SYSTEM_PACKAGES)" = yes ] && sudo -n true 2>/dev/null; then sudo="sudo"; \
	else \
	  echo "Presswork needs Debian packages that are missing:$$missing"; \
	  echo "Install them with:  sudo apt-get install -y$$missing"; \
	  exit 1; \
	fi; \
	echo "Installing$$missing"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq$$missing >/dev/null
endef

install: system-packages $(VENV)/.installed static/vendor/htmx.min.js $(THREE)/.installed $(REDOC)/.installed \
	library/fonts/.installed $(CMYK_PROFILE)

$(VENV)/.installed: requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

static/vendor/htmx.min.js: package.json package-lock.json
	npm ci --silent
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

$(THREE)/.installed: static/vendor/htmx.min.js
	for file in $(THREE_FILES); do \
	  mkdir -p $(THREE)/$$(dirname $$file); \
	  sed "s#from 'three'#from '../../../build/three.module.js'#" node_modules/three/$$file > $(THREE)/$$file; \
	done
	touch $@

$(REDOC)/.installed: static/vendor/htmx.min.js
	mkdir -p $(REDOC)
	sed 's#$(REDOC_LOGO)#data:,#' node_modules/redoc/bundles/redoc.standalone.js > $(REDOC)/redoc.standalone.js
	cp node_modules/redoc/bundles/redoc.standalone.js.LICENSE.txt node_modules/redoc/LICENSE $(REDOC)/
	touch $@

# The default font library, copied out of the npm packages (npm ci runs in the rule above).
library/fonts/.installed: $(VENV)/.installed static/vendor/htmx.min.js designer/library/default_library.py
	$(BIN)/python -m designer.library.default_library node_modules library/fonts
	touch $@

# The default CMYK profile (FOGRA39 coated), built from Fogra's characterization data.
$(CMYK_PROFILE): $(VENV)/.installed designer/rendering/cmyk_profile.py
	$(BIN)/python -m designer.rendering.cmyk_profile $(FOGRA39_DATA) $@

run: install
	PORT=$(PORT) $(BIN)/flask serve

system-packages:
	$(call debian_packages,$(PYTHON)\ -m\ venv\ --help:python3-venv npm\ --version:npm test\ -f\ $(FOGRA39_DATA):icc-profiles-free)

test-packages:
	$(call debian_packages,test\ -x\ $(CHROMIUM):chromium test\ -x\ $(PDFTOPPM):poppler-utils)

test: install test-packages
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

bench: install
	$(BIN)/python bench/api_throughput.py

clean:
	rm -rf $(VENV) node_modules static/vendor library/fonts library/profiles
