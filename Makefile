# govcases: `make` sets everything up and runs the main job; `make test` runs every test.
# `make help` lists the targets.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

# Python may keep compiled bytecode (gitignored __pycache__/): some machines set PYTHONDONTWRITEBYTECODE,
# which made every test worker, notebook kernel and build worker recompile the package and pytest
# rewrite every test module again (about 3 s per process here).
unexport PYTHONDONTWRITEBYTECODE

.DEFAULT_GOAL := all
.PHONY: all help setup build validate export notebooks kernel lab test test-grown bench lock clean

all: build ## Set up .venv and build everything: validated data, data/processed, appendix and report in build/

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "govcases needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv with the pinned dependencies and the package

build: $(STAMP) ## Validate, export data/processed, write appendix figures, tables and the HTML report to build/
	$(VENV)/bin/govcases build

validate: $(STAMP) ## Check every record against the codebook and its sources
	$(VENV)/bin/govcases validate

export: $(STAMP) ## Write data/processed/*.csv and datapackage.json from the casebook
	$(VENV)/bin/govcases export

notebooks: $(STAMP) ## Re-execute the committed notebooks in place (after a casebook change)
	$(PY) -m govcases.publish.notebooks

# The kernel is registered for the user (not inside .venv) so that a JupyterLab or VS Code installed
# elsewhere also lists it; its kernel.json runs this .venv's python. The name is the one the notebooks
# carry in their metadata (govcases.publish.notebooks.KERNELSPEC), so they open with it. Another
# checkout running `make kernel` points the name at its own .venv: the last one registered wins.
KERNEL_NAME := govcases
KERNEL_DISPLAY := Python (govcases)

kernel: $(STAMP) ## Register .venv as the Jupyter kernel "Python (govcases)" for your user, for any JupyterLab
	$(PY) -m ipykernel install --user --name $(KERNEL_NAME) --display-name "$(KERNEL_DISPLAY)"

lab: kernel ## Open the notebooks in JupyterLab from .venv (extra options: make lab LAB_ARGS="--port 8890")
	$(PY) -m jupyterlab --notebook-dir=notebooks $(LAB_ARGS)

test: $(STAMP) ## Run every test (unit tests, doctests, notebooks)
	$(PY) -m pytest

# A clone of this checkout with four made-up districts of different shapes (tests/madeup.py) added the
# way a user adds one; `make`, `make notebooks` and `make test` must pass there with no test edited.
GROWN ?= build/grown-casebook
test-grown: $(STAMP) ## Check that the project survives a growing casebook: make, notebooks and tests on a grown copy
	rm -rf $(GROWN)
	$(PY) tests/grow_casebook.py $(GROWN) --run

bench: $(STAMP) ## Time a synthetic casebook of 3,000 districts, the build and the test suite
	$(PY) benchmarks/bench_casebook.py
	$(PY) benchmarks/bench_build.py

# rfc3987-syntax (and its lark grammar) is an optional format checker of jsonschema that the jupyter
# stack asks for; nothing here validates IRIs, and importing it cost about 2 s at every nbformat
# import (each notebook test and build step), so it is left out of the lock.
lock: ## Re-resolve requirements.lock (needs uv); then update environment.yml to match
	uv pip compile pyproject.toml build-requirements.in --all-extras --generate-hashes \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
	  --no-emit-package rfc3987-syntax --no-emit-package lark -o requirements.lock

clean: ## Remove build/ and the virtual environment
	rm -rf build $(VENV)
