# Switchboard: `make run` and `make test` on a fresh Debian 12 machine with the Swift 6 toolchain.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The toolchain on PATH, else where swift.org's Debian tarball is usually unpacked.
SWIFT      ?= $(shell command -v swift || { [ -x /opt/swift/usr/bin/swift ] && echo /opt/swift/usr/bin/swift; } || echo swift)
DATA_DIR   ?= ./var
CONFIG     ?=
BIN        := .build/debug
VENV       := .venv-test
PYTHON     ?= python3
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian packages: to build, to run the tests (real peers), and for benchmarks.
BUILD_PKGS := pkg-config libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev \
              libavfilter-dev libssl-dev libsrtp2-dev libopus-dev libsofia-sip-ua-dev libncurses-dev
TEST_PKGS  := ffmpeg nginx libnginx-mod-rtmp tmux curl python3-venv procps \
              python3-gi gir1.2-gstreamer-1.0 gir1.2-gst-plugins-base-1.0 gir1.2-gst-rtsp-server-1.0 \
              gstreamer1.0-tools gstreamer1.0-rtsp gstreamer1.0-plugins-base gstreamer1.0-plugins-good \
              gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav sip-tester kamailio \
              tshark baresip-core baresip-ffmpeg
BENCH_PKGS := $(TEST_PKGS) sysstat

.PHONY: help deps test-deps build run serve stop test unit-test integration-test openapi bench clean

help:
	@echo "make run    build and start the server (./var), attach the console; make stop stops the server"
	@echo "make test   build and run every test (unit + integration with real peers)"
	@echo "make bench  benchmarks side by side with nginx-rtmp / the ffmpeg CLI (bench/RESULTS.md)"

# Installs only what is missing, so repeated runs are quick and need no network.
define apt_install
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install,$(BUILD_PKGS))
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 toolchain not found: install it from swift.org and put it on PATH"; exit 1; }

test-deps: deps
	$(call apt_install,$(TEST_PKGS))
	@[ -x $(VENV)/bin/pytest ] || { $(PYTHON) -m venv $(VENV) && $(VENV)/bin/pip install -q -r Tests/integration/requirements.txt; }

build: deps
	$(SWIFT) build

# Starts the server in the background unless one already runs on $(DATA_DIR), then attaches the
# console when there is a terminal; without one the server runs in the foreground.
run: build
	@if [ -t 0 ] && [ -x $(BIN)/switchboard ]; then \
		scripts/server-ctl start "$(DATA_DIR)" $(CONFIG) && exec $(BIN)/switchboard --data-dir "$(DATA_DIR)"; \
	else \
		exec $(BIN)/switchboard-server --data-dir "$(DATA_DIR)" $(if $(CONFIG),--config $(CONFIG)); \
	fi

serve: build
	exec $(BIN)/switchboard-server --data-dir "$(DATA_DIR)" $(if $(CONFIG),--config $(CONFIG))

stop:
	@scripts/server-ctl stop "$(DATA_DIR)"

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(VENV)/bin/pytest -q -p no:cacheprovider Tests/integration

unit-test: deps
	$(SWIFT) test

integration-test: test-deps build
	$(VENV)/bin/pytest -q -p no:cacheprovider Tests/integration

# docs/openapi.yaml is generated from the method table; a test checks it is up to date.
openapi: build
	$(BIN)/switchboard-server openapi > docs/openapi.yaml

bench: test-deps
	$(call apt_install,$(BENCH_PKGS))
	$(SWIFT) build -c release
	bench/run-all

clean:
	rm -rf .build $(VENV)
