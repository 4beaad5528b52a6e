# Two commands on a fresh machine: `make run` (set up and launch) and `make test` (set up and test).
# `make bundle` builds the desktop app (dist/meta-creation-studio/, PyInstaller, see README "Bundle").
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup clean check-system translations bundle

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP) translations

# The window's .qm files are built from the committed .ts sources, never committed (studio/ui/i18n.py).
translations: $(STAMP)
	$(PY) -m studio.ui.i18n build

check-system: setup
	$(PY) -m studio.syscheck

run: check-system
	$(PY) main.py

test: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

# The desktop bundle. Its tools live in their own venv (build/bundle-venv), never in .venv: PyInstaller
# and the studio's runtime requirements as pyproject.toml pins them. The bundle is CPU-only; where the
# registry's plain torch is a CUDA build, give PyTorch's CPU wheel index: make bundle TORCH_INDEX_URL=URL
BUNDLE_VENV := build/bundle-venv
BPY := $(BUNDLE_VENV)/bin/python
BUNDLE_STAMP := $(BUNDLE_VENV)/.installed
BUNDLE := dist/meta-creation-studio
TORCH_INDEX_URL ?=

$(BUNDLE_STAMP): pyproject.toml packaging/requirements-build.txt
	$(PYTHON) -m venv $(BUNDLE_VENV)
	$(BPY) -m pip install --quiet --upgrade pip
	$(BPY) -m pip install --quiet $(if $(TORCH_INDEX_URL),--extra-index-url $(TORCH_INDEX_URL)) \
		-r packaging/requirements-build.txt $$($(BPY) packaging/runtime_deps.py)
	touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP) translations
	$(BPY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/meta-creation-studio.spec
	cp packaging/linux/install.sh packaging/linux/meta-creation-studio.desktop $(BUNDLE)/
	cp assets/icon.png $(BUNDLE)/meta-creation-studio.png
	$(BPY) packaging/check_bundle.py $(BUNDLE) --json build/bundle-report.json

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
