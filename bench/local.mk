# bench/: cperf against perf, side by side (issue 10)
