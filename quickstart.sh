#!/bin/sh
# Quick start: installs what is missing, builds cperf in ./build and runs a demo.
# Safe to run again. Usage: ./quickstart.sh (as root)
set -eu
cd "$(dirname "$0")"
top=$(pwd)
.ci/install-deps
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null
mkdir -p build
cd build
[ -f Makefile ] || ../configure >configure.out 2>&1 || { cat configure.out; exit 1; }
make -j"$(nproc 2>/dev/null || echo 2)" >make.out 2>&1 || { tail -50 make.out; exit 1; }
echo "built: $top/build/cperf ($(./cperf --version))"
make tests/workloads/cpusplit >/dev/null

# The demo: record the whole machine (-a) with call chains for as long as the
# bundled workload runs (3 s: func_a, func_b, func_c share its work 50/30/20),
# show the top functions, and write a pprof profile.
echo
echo "\$ cperf record -a -g -F 999 -o demo.data -- tests/workloads/cpusplit 3"
./cperf record -a -g -F 999 -o demo.data -- tests/workloads/cpusplit 3
echo
echo "\$ cperf report -i demo.data --top 12 --comm cpusplit"
./cperf report -i demo.data --top 12 --comm cpusplit
echo
echo "\$ cperf convert -i demo.data -o demo.pb.gz"
./cperf convert -i demo.data -o demo.pb.gz
echo
echo "pprof profile: $top/build/demo.pb.gz"
echo "open it with:  go tool pprof -http=127.0.0.1:8080 -symbolize=none $top/build/demo.pb.gz"
command -v go >/dev/null 2>&1 || echo "               (go tool pprof comes with Debian's golang-go: apt-get install golang-go)"
echo "flame graph:   $top/build/cperf report -i $top/build/demo.data --flamegraph demo.svg"
