# KetaChart: `make run` starts the demo clinic, `make test` runs every suite.
# Both install what is missing first (scripts/bootstrap).
BUILD_DIR ?= build
PORT ?= 8080
DATA_DIR ?= ./ketachart-data

.PHONY: run test build bootstrap web clean

bootstrap:
	@scripts/bootstrap

web: bootstrap
	@cd web && npm run --silent build

build: web
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD_DIR)

run: build
	$(BUILD_DIR)/ketachart serve --demo --data-dir $(DATA_DIR) --port $(PORT)

test: build
	@scripts/run-tests $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) web/dist
