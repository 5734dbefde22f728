#!/bin/sh
# Makes a MiniDebugInfo copy of a binary (the Fedora/gdb recipe): stripped,
# with the function symbols that .dynsym lacks in an xz-compressed
# .gnu_debugdata section. Usage: sym-minidebug.sh IN OUT
set -e
in=$1
out=$2
tmp=$out.tmp
rm -rf "$tmp"
mkdir "$tmp"
nm -D "$in" --format=posix --defined-only | awk '{ print $1 }' | sort >"$tmp/dynsyms"
nm "$in" --format=posix --defined-only |
	awk '{ if ($2 == "T" || $2 == "t") print $1 }' | sort >"$tmp/funcsyms"
comm -13 "$tmp/dynsyms" "$tmp/funcsyms" >"$tmp/keep"
objcopy --only-keep-debug "$in" "$tmp/debug"
objcopy -S --remove-section .gdb_index --remove-section .comment \
	--keep-symbols="$tmp/keep" "$tmp/debug" "$tmp/mini"
xz -f "$tmp/mini"
objcopy --strip-all --remove-section .comment \
	--add-section .gnu_debugdata="$tmp/mini.xz" "$in" "$out"
rm -rf "$tmp"
