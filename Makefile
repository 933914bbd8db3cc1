# KetaChart: `make run` starts the demo clinic, `make test` runs every suite.
# Both install what is missing first (scripts/bootstrap).
BUILD_DIR ?= build
PORT ?= 8080
MLLP_PORT ?= 2575
DATA_DIR ?= ./ketachart-data

.PHONY: run test build bootstrap web clean fuzz

bootstrap:
	@scripts/bootstrap

web: bootstrap
	@cd web && npm run --silent build

build: web
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD_DIR)

run: build
	$(BUILD_DIR)/ketachart serve --demo --data-dir $(DATA_DIR) --port $(PORT) --mllp-port $(MLLP_PORT)

test: build
	@scripts/run-tests $(BUILD_DIR)

# A longer libFuzzer run of the HL7 v2 parser (FUZZ_SECONDS, default 10 min);
# its corpus grows in build-fuzz/corpus between runs.
FUZZ_SECONDS ?= 600
fuzz: bootstrap
	@FUZZ_CORPUS_DIR=$(CURDIR)/build-fuzz/corpus scripts/fuzz-hl7 $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) build-fuzz web/dist
