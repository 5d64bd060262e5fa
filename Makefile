# Two commands do everything on a fresh machine: `make run` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint model clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned, so no other requirement can pull a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## The main job: the whole loop offline (timeline scan, Slack curation, posting) against local stand-ins,
## with the shipped model in data/model; no credentials needed.
run: $(STAMP)
	$(BIN)/deephype demo

## The whole test suite (slow tests included; they are sized for CI).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

## Rebuild the shipped default model from the shared posts.
model: $(STAMP)
	$(BIN)/deephype data build
	# The CVAE and its LM yardstick side by side, one core each (the recipe sets one thread).
	$(BIN)/deephype train cvae --recipe training/recipes/full.yaml --quiet & cvae=$$!; \
	$(BIN)/deephype train cvae --lm --recipe training/recipes/full.yaml; lm=$$?; \
	wait $$cvae && test $$lm -eq 0
	$(BIN)/deephype train lda
	$(BIN)/deephype train lcgan

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
