# Reel's two commands: `make demo` and `make test`. Each does all of its own set-up.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
OUT   ?= out

YARDSTICK ?= .build/yardstick
SHARED_BENCH ?= ../shared/bench

.PHONY: demo test bench soak bootstrap build release bundle fuzz conformance clean

demo: bootstrap release
	@mkdir -p $(OUT)
	.build/release/reel render Scenes/showcase.yaml -o $(OUT)/showcase.mp4 --overwrite
	.build/release/reel still Scenes/showcase.yaml --at 2s -o $(OUT)/showcase.png --overwrite
	@echo "demo: the showcase video is at $(OUT)/showcase.mp4, a still at $(OUT)/showcase.png"

test: bootstrap
	$(SWIFT) test

# Draw speed (evaluate + draw + readback, no encoding) beside the ModernGL yardstick in
# ../shared/bench, interleaved in one run; prints a table of medians. BENCH_ROUNDS=N for more.
bench: bootstrap
	$(SWIFT) build -c release --product reel-bench
	$(SWIFT) build -c release --product reel
	@if [ -d "$(SHARED_BENCH)" ] && [ ! -x "$(YARDSTICK)/bin/python" ]; then \
	  echo "bench: setting up the ModernGL yardstick in $(YARDSTICK) (moderngl, av, numpy from PyPI)"; \
	  python3 -m venv $(YARDSTICK) && $(YARDSTICK)/bin/pip install -q moderngl av numpy \
	  || { echo "bench: could not set up the yardstick; Reel's rows only"; rm -rf $(YARDSTICK); }; \
	fi
	@if [ -x "$(YARDSTICK)/bin/python" ] && [ -d "$(SHARED_BENCH)" ]; then \
	  YARDSTICK_PYTHON=$(CURDIR)/$(YARDSTICK)/bin/python YARDSTICK_DIR=$(SHARED_BENCH) .build/release/reel-bench; \
	else .build/release/reel-bench; fi

# A long render watched for leaks: Scenes/bench/soak.yaml (20 minutes of 720p30: text, an
# image, a looping video layer, LUT and vignette) to H.264 in one process, sampling resident
# memory, open file descriptors and live GL objects every 5 s; fails if any grows past its
# bound after the warm-up (the first tenth). 51 minutes on two cores of llvmpipe (11.8 fps).
# SOAK_MINUTES=2 for a short run; every sample lands in .build/soak/samples.csv.
SOAK_MINUTES ?= 20
soak: bootstrap
	$(SWIFT) build -c release --product reel-bench
	SOAK_MINUTES=$(SOAK_MINUTES) .build/release/reel-bench soak

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build

release: bootstrap
	$(SWIFT) build -c release --product reel

# reel and the libraries it needs, for a GPU machine without Swift: dist/reel-bundle.tgz
# (unpack anywhere, then ./run doctor). See Sources/ReelDispatch/MODAL.md.
# It is checked as a target machine would run it: unpacked into an empty folder and run with
# an empty environment (`scripts/check-bundle`). A release build with the Swift runtime linked
# in, in .build/bundle: several minutes from clean on two cores, seconds after small changes.
# Not part of `make test`, whose CI budget it would blow with a second full build of SwiftNIO.
bundle: bootstrap
	SWIFT=$(SWIFT) scripts/bundle
	scripts/check-bundle dist/reel-bundle.tgz

# Fuzzes the parsers (scene YAML and JSON, SVG paths, ISF shaders, .cube LUTs, worker requests,
# worker requests with asset files: pictures, clips, playlists)
# with libFuzzer and AddressSanitizer for FUZZ_SECONDS each (FUZZ_TARGETS to choose) and prints
# a line per target; exits non-zero on any crash, hang, leak or sanitizer report (scripts/fuzz).
# Nightly, not part of `make test`: a sanitizer build of the whole dependency tree in .build/fuzz
# (about 20 minutes from clean on two cores) and a minute per target. `make test` replays the
# committed seeds and regressions (FuzzRegressionTests).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz: bootstrap
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_TARGETS="$(FUZZ_TARGETS)" scripts/fuzz

# Renders every ISF and Shadertoy-style file under DIR (searched recursively; the folder is only
# read) as a still with this build's reel and prints a table: ok / blank / refused / crash, with
# refusals grouped by cause and checked for the file's own line (scripts/conformance --help).
# Not part of `make test`: the public collections are fetched for the run, never committed.
# CONFORMANCE_ARGS="--list --sheet sheet.png" to list every file that is not ok and see them.
DIR ?=
CONFORMANCE_ARGS ?=
conformance: bootstrap
	@[ -n "$(DIR)" ] || { echo "conformance: say which folder: make conformance DIR=path/to/shaders" >&2; exit 64; }
	$(SWIFT) build --product reel
	scripts/conformance "$(DIR)" --reel .build/debug/reel $(CONFORMANCE_ARGS)

clean:
	rm -rf .build $(OUT) dist
