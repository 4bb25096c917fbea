# Reel's two commands: `make demo` and `make test`. Each does all of its own set-up.
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
OUT   ?= out

.PHONY: demo test bootstrap build release clean

demo: bootstrap release
	@mkdir -p $(OUT)
	.build/release/reel still Scenes/showcase.yaml --at 2s -o $(OUT)/showcase.png
	@echo "demo: the showcase still is at $(OUT)/showcase.png"

test: bootstrap
	$(SWIFT) test

bootstrap:
	@scripts/bootstrap

build: bootstrap
	$(SWIFT) build

release: bootstrap
	$(SWIFT) build -c release --product reel

clean:
	rm -rf .build $(OUT)
