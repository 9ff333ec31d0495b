# Two commands for a newcomer: `make demo` and `make test`. Both create
# .venv with the Python on PATH and install what they need into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check browser bench docs fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-demo: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $@ $(VENV)/.installed-demo

demo: $(VENV)/.installed-demo
	@echo "== txplan lint examples/*.plan.yaml examples/notes  (clean, fictional plans and session notes)"
	$(BIN)/txplan lint examples/*.plan.yaml examples/notes
	@echo
	@echo "== txplan lint examples/flawed  (plans and notes written to show the rules; findings expected)"
	@$(BIN)/txplan lint examples/flawed --today 2026-11-22; status=$$?; \
	  if [ $$status -gt 1 ]; then echo "txplan could not run (exit $$status)"; exit $$status; fi
	@echo
	@echo "== txplan render examples/C-2001.plan.yaml --since-review  (the plan for its review meeting, with its 2 session notes)"
	$(BIN)/txplan render examples/C-2001.plan.yaml -f md --since-review --today 2026-11-30
	@echo
	@echo "== txplan review  (a scratch copy of C-2001 and its notes: each goal's progress drafted from the notes, then linted)"
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	  cp examples/C-2001.plan.yaml examples/txplan.toml "$$scratch"/ && mkdir "$$scratch/notes" && \
	  cp -R examples/notes/C-2001 "$$scratch/notes/" && \
	  $(BIN)/txplan review "$$scratch/C-2001.plan.yaml" --no-input --date 2026-11-30 --today 2026-11-30 \
	    --rate G1=6 --summary "Reviewed with the client; the plan continues." && \
	  sed -n '/^reviews:/,$$p' "$$scratch/C-2001.plan.yaml" && \
	  $(BIN)/txplan lint "$$scratch" --today 2026-11-30
	@echo
	@echo "== txplan report examples  (the caseload at a glance, as a clinical director reads it)"
	@$(BIN)/txplan report examples --today 2026-12-04 --since 2026-11-01 -o $(VENV)/report.html; \
	  status=$$?; if [ $$status -gt 2 ]; then exit $$status; fi; \
	  echo "wrote $(VENV)/report.html: open it in a browser (examples/flawed holds the plans named above)"
	@echo
	@echo "Explain any rule with: $(BIN)/txplan rule D002"

test: check browser
	$(BIN)/python -m pytest -q -n auto

# The property tests with fresh random examples on every run (make test
# repeats the same ones, so main's status never rests on a draw).
fuzz: $(VENV)/.installed-test
	TXPLAN_HYPOTHESIS=fuzz $(BIN)/python -m pytest -q -n auto tests/test_properties.py \
	  tests/test_hostile_commands.py tests/test_redact.py

# The rendered HTML is tested in a real browser (Debian's chromium). Installed
# when missing and this machine can (root with apt); otherwise those tests skip.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the browser tests"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is not installed: the browser tests will be skipped"; fi; }

# ruff and mypy are part of the suite: main stays clean, not just green.
check: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

# The benchmarks run `txplan` and `yamllint` by name: the virtualenv's first.
bench: $(VENV)/.installed-test
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/startup.py
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/caseload.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache benchmarks/out

# docs/plan-format.md, rules.md and cli.md from the code, and the output
# shown under every console example in README.md and docs/.
docs: $(VENV)/.installed-test
	$(BIN)/python scripts/generate_docs.py --console
