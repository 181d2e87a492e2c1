# Two commands: `make demo` (set up and serve the demo) and `make test` (the whole suite).
.PHONY: demo test venv

demo:
	./scripts/kompeten demo

test:
	./scripts/kompeten test
