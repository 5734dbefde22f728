# bench/: cperf against perf, side by side (issue 10). `make bench` runs it.
noinst_PROGRAMS += bench/busy
bench_busy_SOURCES = bench/busy.c
bench_busy_CFLAGS = -O2 -g -fno-omit-frame-pointer -pthread
bench_busy_LDFLAGS = -pthread
noinst_PROGRAMS += bench/measure
bench_measure_SOURCES = bench/measure.c
dist_noinst_SCRIPTS += bench/run.py
EXTRA_DIST += bench/README.md

bench: cperf bench/busy bench/measure
	python3 $(srcdir)/bench/run.py --cperf $(abs_builddir)/cperf --busy $(abs_builddir)/bench/busy \
		--measure $(abs_builddir)/bench/measure $(BENCH_ARGS)
.PHONY: bench
