# TokenWarden: `make run` serves with the shipped Rules/; `make test` runs every test.
# Both install what is missing first (Debian packages, Python's prometheus_client), so a fresh
# clone on a fresh machine needs nothing else.

SWIFT       ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
LISTEN      ?= 127.0.0.1:9473
DATA        ?= ./data/tokenwarden.sqlite
SHELL       := /bin/bash
SUDO        := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTHON_VENV := .build/python

# Debian packages the build needs, and those the tests need (promtool, a Prometheus server,
# openssl to make test certificates, curl as an HTTPS client), and the benchmark's (wrk).
BUILD_DEBS  := libmicrohttpd-dev libgnutls28-dev libcrypt-dev libsqlite3-dev zlib1g-dev libcurl4-openssl-dev pkg-config tzdata
TEST_DEBS   := prometheus sqlite3 chromium prometheus-alertmanager openssl curl systemd util-linux
BENCH_DEBS  := wrk

.PHONY: all build release run test bench fuzz dist deps test-deps bench-deps clean openapi otlp-protobuf dashboards

all: build

define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps:
	$(call install_debs,$(BUILD_DEBS))

test-deps: deps
	$(call install_debs,$(TEST_DEBS))
	@python3 -c 'import prometheus_client' 2>/dev/null || python3 -m pip install -q prometheus_client
	@# What the end-to-end tests run in Python (the client's suite, the provider SDKs, the OpenTelemetry
	@# SDK and its OTLP/HTTP exporter, LiteLLM's own logging) in one venv, pinned; litellm without its
	@# dependencies (they are pinned newer than the registry has), then the client itself.
	@[ -x $(PYTHON_VENV)/bin/python ] || python3 -m venv $(PYTHON_VENV)
	@$(PYTHON_VENV)/bin/pip install -q --disable-pip-version-check -r clients/python/requirements-test.txt
	@$(PYTHON_VENV)/bin/pip install -q --disable-pip-version-check --no-deps litellm==1.110.2
	@$(PYTHON_VENV)/bin/pip install -q --disable-pip-version-check ./clients/python

bench-deps: test-deps
	$(call install_debs,$(BENCH_DEBS))

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	@mkdir -p $(dir $(DATA))
	.build/release/tokenwarden serve --listen $(LISTEN) --rules ./Rules --data $(DATA)

# The release tarball: the binary with the Swift runtime linked in (-static-stdlib), the shipped
# Rules/ and Dashboards/, the systemd unit and the install guide (docs/install.md), as listed in
# deploy/package.list. Built in a scratch directory of its own: compiling for the static runtime
# differs, and the release build that `make run` and `make bench` use stays as it is.
DIST_SCRATCH := .build-dist
STATIC_LINK   = set -o pipefail; $(SWIFT) build $(1) --product tokenwarden --static-swift-stdlib 2>&1 | grep -v "use of \`mktemp' is dangerous"
dist: deps
	@$(call STATIC_LINK,-c release --scratch-path $(DIST_SCRATCH))
	deploy/dist.sh tarball $(DIST_SCRATCH)/release/tokenwarden dist

# The end-to-end tests start the real binary: build it first so the tests find it. A second build
# links the Swift runtime into the binary, as `make dist` does (the compiler's static resources
# differ, so it needs a scratch directory of its own), and is packed the way `make dist` packs it,
# for the tests that run it with the toolchain out of sight.
# The slow-client suite runs in a test process of its own: it holds 6,000 sockets open, and while
# a process has that many descriptors, Foundation's Process.run() (6.3.1) can over-read its scan of
# /proc/self/fd and crash the whole process (swift-corelibs-foundation#5472).
# CI logs keep only their tail, so a failure found early in the run is repeated at the end.
SLOW_CLIENT_SUITE := SlowClientEndToEndTests
test: test-deps
	$(SWIFT) build --build-tests
	@$(call STATIC_LINK,--scratch-path $(DIST_SCRATCH))
	@mkdir -p .build
	@tarball=$$(deploy/dist.sh tarball $(DIST_SCRATCH)/debug/tokenwarden .build/dist-test); \
	set -o pipefail; { TOKENWARDEN_DIST_TARBALL=$$PWD/$$tarball $(SWIFT) test --skip-build --parallel --skip $(SLOW_CLIENT_SUITE) 2>&1 \
	  && $(SWIFT) test --skip-build --filter $(SLOW_CLIENT_SUITE) 2>&1; } | tee .build/test.log; status=$$?; \
	if [ $$status -ne 0 ]; then \
	  echo "---- failures (from .build/test.log) ----"; \
	  grep -E -A6 '✘|error:|Fatal error|Crash|signal' .build/test.log | grep -v '^--$$' | head -150; \
	fi; exit $$status

# One run, one table: ingest over HTTP (wrk) against a bare handler, /metrics rendering, restart
# recovery, /v1/check, and in-process kernels (decoding, conditions, quotas, the exposition writer).
# Numbers are reported as ratios against baselines from the same run, never asserted.
# The versus part compares this build with the one of BENCH_BASELINE (a commit), built in a
# worktree of its own under .build-baseline/; BENCH_BASELINE= skips it. BENCH_ARGS go to the bench
# (e.g. BENCH_ARGS="--only versus,export"); a full run (no BENCH_ARGS) rewrites docs/benchmarks.md's table.
BENCH_BASELINE ?= 8654bb1
BENCH_ARGS     ?=
BASELINE_DIR   := .build-baseline
bench: bench-deps release
	$(SWIFT) build -c release --product tokenwarden-bench
	@if [ -n "$(BENCH_BASELINE)" ]; then \
	  rev=$$(git rev-parse --verify -q "$(BENCH_BASELINE)^{commit}") || { echo "BENCH_BASELINE=$(BENCH_BASELINE) is not a commit here"; exit 2; }; \
	  if [ -e $(BASELINE_DIR)/src/.git ]; then git -C $(BASELINE_DIR)/src checkout -q --detach $$rev; \
	  else git worktree add -q --detach -f $(BASELINE_DIR)/src $$rev; fi; \
	  echo "building the baseline $(BENCH_BASELINE) in $(BASELINE_DIR)/src"; \
	  (cd $(BASELINE_DIR)/src && $(SWIFT) build -c release --product tokenwarden); \
	fi
	.build/release/tokenwarden-bench run $(if $(BENCH_BASELINE),--baseline-warden $(BASELINE_DIR)/src/.build/release/tokenwarden) \
	  $(if $(BENCH_ARGS),,--markdown docs/benchmarks.md) $(BENCH_ARGS)

# Every fuzz target (or those in FUZZ_TARGETS) under libFuzzer with AddressSanitizer for FUZZ_SECONDS
# each, starting from its seeds and dictionary in Tests/Fuzz/<target>/. The corpus grows in
# .build-fuzz/corpus/<target>/ (the committed seeds stay as they are) and each run's log is
# .build-fuzz/<target>.log. An input that crashes, hangs or runs out of memory is copied to
# Tests/Fuzz/<target>/crashes/, where `make test` replays it: commit it with the fix. Prints
# executions per second per target; fails if anything was found. FUZZ_ARGS go to every fuzzer.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= usage-decoder check-decoder json-document expression rule-file pricing-file http-request engine litellm-payload otlp-protobuf otlp-json
FUZZ_ARGS    ?=
FUZZ_DIR     := .build-fuzz
FUZZ_BUILD   := TOKENWARDEN_FUZZ=1 $(SWIFT) build --scratch-path $(FUZZ_DIR) -c release -Xswiftc -sanitize=fuzzer,address \
                -Xswiftc -assert-config -Xswiftc Debug -Xcc -fsanitize=fuzzer-no-link,address
fuzz: deps
	@set -eo pipefail; for target in $(FUZZ_TARGETS); do $(FUZZ_BUILD) --product fuzz-$$target 2>&1 | grep -v 'Cannot export local symbol'; done
	@status=0; printf '%-14s %8s %12s %9s  %s\n' target seconds executions exec/s found; \
	for target in $(FUZZ_TARGETS); do \
	  corpus=$(FUZZ_DIR)/corpus/$$target; artifacts=$(FUZZ_DIR)/artifacts/$$target; log=$(FUZZ_DIR)/$$target.log; \
	  mkdir -p $$corpus $$artifacts Tests/Fuzz/$$target/crashes; cp -n Tests/Fuzz/$$target/seeds/* $$corpus/; \
	  start=$$(date +%s); \
	  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 $(FUZZ_DIR)/release/fuzz-$$target -max_total_time=$(FUZZ_SECONDS) -timeout=60 -print_final_stats=1 \
	    -dict=Tests/Fuzz/$$target/$$target.dict -artifact_prefix=$$artifacts/ $(FUZZ_ARGS) $$corpus > $$log 2>&1; code=$$?; \
	  seconds=$$(( $$(date +%s) - start )); \
	  runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -1); rate=$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log | tail -1); \
	  found=""; for file in $$artifacts/crash-* $$artifacts/timeout-* $$artifacts/oom-* $$artifacts/leak-*; do \
	    [ -e "$$file" ] || continue; mv "$$file" Tests/Fuzz/$$target/crashes/; found="$$found Tests/Fuzz/$$target/crashes/$$(basename $$file)"; \
	  done; \
	  if [ $$code -ne 0 ] && [ -z "$$found" ]; then found=" exit $$code, see $$log"; fi; \
	  if [ -n "$$found" ]; then status=1; fi; \
	  printf '%-14s %8s %12s %9s %s\n' $$target $$seconds "$${runs:-?}" "$${rate:-?}" "$${found:- -}"; \
	done; exit $$status

# docs/openapi.json is the source of the API description; the binary serves it at /openapi.json
# from a Swift copy made here (a test fails while the two differ).
OPENAPI_SWIFT := Sources/WardenHTTP/Routes/OpenAPIDocument.swift
openapi:
	@{ printf '%s\n' '// Generated from docs/openapi.json by `make openapi`: edit that file, then run it.' '' \
	    '/// The OpenAPI 3.1 description served at `GET /openapi.json`.' 'enum OpenAPIDocument {' \
	    '    static let bytes: [UInt8] = Array(text.utf8)' '' '    static let text = #"""'; \
	  cat docs/openapi.json; printf '%s\n' '' '"""#' '}'; } > $(OPENAPI_SWIFT)

# Regenerates the committed OTLP message code (Sources/WardenFormats/OTLP/Generated) from
# Protos/opentelemetry-proto with Debian's protoc and protoc-gen-swift of the pinned swift-protobuf.
OTLP_PROTOS := opentelemetry/proto/common/v1/common.proto opentelemetry/proto/resource/v1/resource.proto \
               opentelemetry/proto/trace/v1/trace.proto opentelemetry/proto/collector/trace/v1/trace_service.proto
otlp-protobuf: deps
	$(call install_debs,protobuf-compiler)
	$(SWIFT) package resolve
	cd .build/checkouts/swift-protobuf && $(SWIFT) build -c release --product protoc-gen-swift
	cd Protos/opentelemetry-proto && protoc --plugin=protoc-gen-swift=$(CURDIR)/.build/checkouts/swift-protobuf/.build/release/protoc-gen-swift \
	  --swift_opt=Visibility=Package --swift_opt=FileNaming=PathToUnderscores \
	  --swift_out=$(CURDIR)/Sources/WardenFormats/OTLP/Generated $(OTLP_PROTOS)

# Dashboards/grafana/*.json and Dashboards/prometheus/*.yml are `tokenwarden dashboards render`'s
# output for the defaults; their source is Sources/tokenwarden/Dashboards/ (a test fails while the
# two differ). Edit there, then run this.
dashboards: build
	$(SWIFT) run tokenwarden dashboards render --out Dashboards

clean:
	rm -rf .build
