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
echo "built: $top/build/cperf"
./cperf --version
