# Set-up and build. `make` installs everything a fresh clone needs:
#   - a Node >= 22 (the machine's when new enough, else Node 24 from the npm registry into .tools/)
#   - npm packages (package-lock.json; package.json's allowScripts lets esbuild's install script run,
#     and .tools/node/package.json node's, so npm >= 11.19 has nothing to warn about)
#   - the TypeScript build (dist/) and the lean toolexec bundle
#   - the wasm injector, built from go-helpers/ by the machine's Go toolchain (Go modules via the proxy)
SHELL := /bin/bash
.DEFAULT_GOAL := all

NODE_PATH_FILE := .tools/node-path
NODE = $(shell cat $(NODE_PATH_FILE))

.PHONY: all node deps build wasm demo test test-all bench bench-compare bench-ci clean

all: build wasm

$(NODE_PATH_FILE):
	@mkdir -p .tools
	@major=$$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0); \
	if [ "$$major" -ge 22 ]; then \
	  command -v node > $(NODE_PATH_FILE); \
	else \
	  echo "make: machine Node is v$$major (< 22): installing Node 24 from the npm registry into .tools/node"; \
	  mkdir -p .tools/node && echo '{"private": true, "allowScripts": {"node": true}}' > .tools/node/package.json && \
	  npm install --prefix .tools/node --no-save --no-package-lock --no-audit --no-fund node@24 >/dev/null && \
	  test -x .tools/node/node_modules/node/bin/node && \
	  echo "$$PWD/.tools/node/node_modules/node/bin/node" > $(NODE_PATH_FILE); \
	fi
	@echo "make: using node $$($$(cat $(NODE_PATH_FILE)) --version) at $$(cat $(NODE_PATH_FILE))"

node: $(NODE_PATH_FILE)

node_modules/.stamp: package.json package-lock.json $(NODE_PATH_FILE)
	PATH="$$(dirname $(NODE)):$$PATH" npm ci --no-audit --no-fund
	@touch $@

deps: node_modules/.stamp

dist/.stamp: node_modules/.stamp tsconfig.json scripts/bundle.mjs $(shell find src -name '*.ts')
	PATH="$$(dirname $(NODE)):$$PATH" npm run --silent build
	@touch $@

build: dist/.stamp

# The wasm module is keyed by Go version and go-helpers source hash (see src/wasm/module.ts);
# the same code path builds it on first use when the user's toolchain differs.
wasm: build
	$(NODE) dist/wasm/build-cli.js

demo: all
	bash examples/demo.sh

test: all
	cd go-helpers && go test -count=1 ./...
	PATH="$$(dirname $(NODE)):$$PATH" npm test

# Slower: the example app with every dd-trace-go integration (orchestrion/all/v2); not run by CI.
test-all: test
	PATH="$$(dirname $(NODE)):$$PATH" sh scripts/node.sh --test --test-concurrency=1 --test-reporter=spec test/all/*.test.ts

bench: all
	$(NODE) bench/run.mjs

# Side by side with Orchestrion v1.12.0 (installed from the module proxy into a temporary GOBIN).
bench-compare: all
	$(NODE) bench/compare.mjs

# Two CI workers sharing one bazel-remote through GOCACHEPROG: plain, Orchestrion v1.12.0, orchestrion-ts.
bench-ci: all
	$(NODE) bench/ci.mjs

clean:
	rm -rf dist wasm/go* node_modules/.stamp
