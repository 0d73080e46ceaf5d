# dramaloc — the targets the README uses. Everything builds with CMake presets
# (CMakePresets.json); this file only strings the steps together.
JOBS ?= $(shell nproc)
BUILD_PRESET ?= release
BIN = build/$(BUILD_PRESET)/src/cli/dramaloc
DEMO_OUT ?= demo-out

.PHONY: all deps build demo test test-unit test-asan bench fuzz format clean

all: build

deps:
	./scripts/install-deps.sh

build:
	cmake --preset $(BUILD_PRESET) >/dev/null
	cmake --build --preset $(BUILD_PRESET) -j $(JOBS)

# Installs, builds and runs the main job on a generated sample episode.
demo: deps build
	$(BIN) demo --out $(DEMO_OUT)

# Every test: warnings as errors, all CTest labels, then the unit tests under ASan/UBSan.
test:
	./scripts/run-tests.sh

test-unit: BUILD_PRESET=ci
test-unit:
	cmake --preset ci >/dev/null && cmake --build --preset ci -j $(JOBS)
	ctest --test-dir build/ci -L unit --output-on-failure -j $(JOBS)

test-asan:
	cmake --preset asan >/dev/null && cmake --build --preset asan -j $(JOBS) --target dramaloc_unit_tests
	ctest --test-dir build/asan -L unit --output-on-failure -j $(JOBS)

# Speed, memory and quality figures (bench/README.md). Not pass/fail.
bench: build
	./bench/run.sh

# libFuzzer targets for the parsers, bounded time: make fuzz FUZZ_SECONDS=60
FUZZ_SECONDS ?= 30
fuzz:
	cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j $(JOBS)
	./fuzz/run.sh build/fuzz $(FUZZ_SECONDS)

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp' 'fuzz/*.cpp')

clean:
	rm -rf build $(DEMO_OUT)
