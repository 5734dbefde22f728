# the perf.data reader and writer (src/datafile.*)
