# tfl — top-level entry points. `make run` and `make test` install what they
# need on a fresh Debian machine (apt-get for -dev packages, a virtualenv for
# Python packages) and then build with CMake.

BUILD      ?= build
ASAN_BUILD ?= build-asan
VENV       ?= .venv
PREFIX     ?= /usr/local
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON     ?= python3

DEB_PACKAGES := cmake make gcc pkg-config libjpeg62-turbo-dev libpng-dev libcjson-dev
EXAMPLE_MODEL := examples/digits/digits_int8.tflite

.PHONY: all deps build run test test-c test-asan test-asan-models test-python test-pypackage venv install clean \
  fuzz fuzz-deps fuzz-build fuzz-seeds test-fuzz test-tsan bench

all: build

# Installs missing Debian packages (root or sudo).
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BUILD)/Makefile: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DTFL_WERROR=ON

build: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j$(JOBS)

# Runs tfl on the bundled example model.
run: build
	$(BUILD)/tfl inspect $(EXAMPLE_MODEL)
	$(BUILD)/tfl classify $(EXAMPLE_MODEL) examples/digits/*.png --top-k 3

# Python packages for the conformance and CLI suites, in a virtualenv.
$(VENV)/.stamp: tests/requirements.txt
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r tests/requirements.txt
	@# tflite-support's metadata schema classes, the reference for the metadata
	@# tests. Without deps: its pins would downgrade protobuf. Wheels stop at
	@# Python 3.11; where none exists those comparisons skip.
	-$(VENV)/bin/pip install -q --no-deps tflite-support
	touch $@

venv: $(VENV)/.stamp

test-c: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# The C suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTFL_WERROR=ON -DTFL_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j$(JOBS)

# Real models through the sanitizer build of the CLI: small ones plus the
# detection post-processing and multi-input models (skipped when ../shared is absent).
ASAN_MODELS := hello_world_int8 hello_world_float simple_add_two_inputs split_concat \
  micro_speech_quantized mobilenet_v1_0.25_128_quant dilated_conv \
  nl_classifier_builtin_ops_metadata traffic_model_multi_input trained_lstm_int8 \
  micro_speech_lstm dtln_noise_suppression keyword_scrambled
SHARED ?= ../shared
test-asan-models: test-asan
	@set -e; export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1; \
	$(ASAN_BUILD)/tfl classify $(EXAMPLE_MODEL) examples/digits/*.png >/dev/null; \
	if [ ! -d $(SHARED)/models ]; then echo "test-asan-models: $(SHARED)/models absent, skipped"; exit 0; fi; \
	for m in $(ASAN_MODELS); do echo "asan: $$m"; \
	  $(ASAN_BUILD)/tfl run $(SHARED)/models/$$m.tflite -o $(ASAN_BUILD)/asan-out >/dev/null; done; \
	echo "asan: ssd detect"; \
	$(ASAN_BUILD)/tfl detect $(SHARED)/models/ssd_mobilenet_v1_coco_quant_metadata.tflite \
	  $(SHARED)/images/pets.jpg -o $(ASAN_BUILD)/asan-out/pets.png >/dev/null

test-python: build venv
	TFL_BIN=$(CURDIR)/$(BUILD)/tfl $(VENV)/bin/python -m pytest -q tests/conformance tests/cli tests/e2e tests/docs tests/goldens
	@# The models again on the portable reference kernels only (the SIMD
	@# records are compared with them op by op by the kernel walker).
	TFL_ISA=ref TFL_BIN=$(CURDIR)/$(BUILD)/tfl $(VENV)/bin/python -m pytest -q \
	  tests/conformance/test_models.py -k matches_litert

# The Python package, installed into its own fresh virtualenv (build-pyvenv/).
test-pypackage: deps
	tests/python/run.sh

# Threading under ThreadSanitizer (gcc's libtsan, from gcc itself): one
# interpreter with a 2-thread pool invoked many times, several interpreters
# sharing one model in parallel, concurrent metadata and label reads
# (tests/tsan/test_tsan.c), on the example, the per-op seed models and a
# conv model heavy enough to use the pool.
TSAN_BUILD  ?= build-tsan
TSAN_MODELS := $(EXAMPLE_MODEL) $(wildcard tests/fuzz/models) \
  $(if $(wildcard tests/python/models/heavy_conv.tflite),tests/python/models/heavy_conv.tflite@4)
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DTFL_WERROR=ON \
	  -DCMAKE_C_FLAGS="-fsanitize=thread -g -O1" -DCMAKE_EXE_LINKER_FLAGS=-fsanitize=thread \
	  -DCMAKE_SHARED_LINKER_FLAGS=-fsanitize=thread
	cmake --build $(TSAN_BUILD) -j$(JOBS) --target test_tsan test_pool
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" $(TSAN_BUILD)/tests/test_pool
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" $(TSAN_BUILD)/tests/test_tsan $(TSAN_MODELS)

test: test-c test-asan test-asan-models test-python test-pypackage test-fuzz test-tsan

# tfl against LiteRT (XNNPACK) on the fixed model list of bench/compare.py:
# shared models (skipped when absent) and two generated with random weights.
# Not part of make test. Writes $(BUILD)/bench/results.{json,md}.
BENCH_ARGS ?= --threads 1 2 --runs 30 --rounds 3 --warmup 5
bench: build venv
	$(VENV)/bin/python tools/gen_bench_models.py $(BUILD)/bench-models
	TFL_BIN=$(CURDIR)/$(BUILD)/tfl $(VENV)/bin/python bench/compare.py $(BENCH_ARGS) \
	  --generated-dir $(BUILD)/bench-models \
	  --json-out $(BUILD)/bench/results.json --md-out $(BUILD)/bench/results.md

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(TSAN_BUILD)

# Coverage-guided fuzzing (clang's libFuzzer + ASan + UBSan): every harness
# in tests/fuzz/ runs FUZZ_SECONDS each. Seeds are generated, never copied
# (tools/gen_fuzz_corpus.py; it also reads $(SHARED) when present).
FUZZ_BUILD    ?= build-fuzz
FUZZ_SECONDS  ?= 60
FUZZ_SEED     ?= 0
FUZZ_PACKAGES := clang libclang-rt-14-dev

fuzz-deps: deps
	@missing=""; for p in $(FUZZ_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

fuzz-build: fuzz-deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_C_FLAGS="-O1 -g -Wno-unknown-warning-option" -DTFL_FUZZ=ON -DTFL_WERROR=ON
	cmake --build $(FUZZ_BUILD) -j$(JOBS)

fuzz-seeds: fuzz-build venv
	$(VENV)/bin/python tools/gen_fuzz_corpus.py $(FUZZ_BUILD)/seeds --shared $(SHARED)

fuzz: fuzz-seeds
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_SEED)

# Part of make test: a short, seeded run of every harness. (The committed
# regressions are replayed by ctest in every build, under ASan in test-asan.)
test-fuzz:
	$(MAKE) fuzz FUZZ_SECONDS=20 FUZZ_SEED=1
