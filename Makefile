# The front door: `make demo` and `make test` work on a fresh Debian/Ubuntu machine that has
# only the Swift toolchain; both install missing system packages first.
SWIFT ?= swift
TALLY_DEBUG = .build/debug/tally
TALLY_RELEASE = .build/release/tally

.PHONY: deps build release test test-browser lint format demo bench bench-allocation \
	bench-recommend bench-policy bench-formats bench-report bench-nightly sample-bills clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Not part of `make test`: renders the sample bills' report and checks it in headless Chromium
# (installed when missing); screenshots land in test-artifacts/.
test-browser: deps
	scripts/test-browser.sh

demo: release
	$(TALLY_RELEASE) demo

# Regenerates the committed sample bills from their deterministic generator.
sample-bills: release
	.build/release/tally-dev sample-bills sample-bills

# Not part of `make test`: generates an ~800,000-line CUR and times tally against sqlite3.
bench: release
	.build/release/tally-dev bench --lines 800000 --work-dir bench-data

# The same 800,000 lines as CUR 2.0 and as Azure cost details, each against sqlite3.
bench-formats: release
	.build/release/tally-dev bench --lines 800000 --format cur2 --work-dir bench-data
	.build/release/tally-dev bench --lines 800000 --format azure --work-dir bench-data

# Not part of `make test`: one month of 1,000,000 lines; times `tally allocate --month` and the
# reading commands (docs/performance.md). MONTHS=12 builds the year-long store.
MONTHS ?= 1
bench-allocation: release
	.build/release/tally-dev bench --mode allocation --lines 1000000 --months $(MONTHS) \
	  --work-dir bench-data

# Not part of `make test`: the same 1,000,000-line month allocated among 50 teams; times
# `tally report --month` (index, CSVs, every team page). Target: under five seconds.
bench-report: release
	.build/release/tally-dev bench --mode report --lines 1000000 --work-dir bench-data

# Not part of `make test`: the import benchmark's 800,000-line CUR, timed through `tally import`
# alone and through `tally nightly` from scratch (policy, allocation, commitments, report).
REPEATS ?= 3
bench-nightly: release
	.build/release/tally-dev bench --mode nightly --lines 800000 --repeats $(REPEATS) \
	  --work-dir bench-data

# Not part of `make test`: times `tally recommend` over 60 days of hourly usage (1,000,000 lines).
bench-recommend: release
	.build/release/tally-dev bench --mode recommend --lines 1000000 --work-dir bench-data

# Not part of `make test`: a 1,000,000-line month with 10,000 tag sets, then times tally check.
bench-policy: release
	.build/release/tally-dev bench-policy --work-dir bench-data

clean:
	rm -rf .build reports
