# Attr golden tests (like perf's tools/perf/tests/attr): with
# CPERF_ATTR_DUMP=DIR, pmu_open writes every attr it opens to DIR/attr-NNNN
# as "key = value" lines (format: pmu/pmu.h, pmu_open). An expected file
# names each dump in order and the keys that matter:
#
#   # comment
#   [attr-0001]
#   type = 0
#   exclude_kernel = 1
#   group_fd = *        (any value, but the key must be there)
#
# Source after lib.sh:  . "$top_srcdir/tests/e2e/attr-lib.sh"
# attr_check EXPECTED DIR DESCRIPTION: every section's keys match, and DIR
# holds exactly as many dumps as EXPECTED has sections.
attr_check() {
	local exp=$1 dir=$2 desc=$3 out nexp ngot
	if [ ! -r "$exp" ]; then fail "$desc: no expected file $exp"; return; fi
	out=$(awk -v dir="$dir" '
		function load(f,   line, n, kv) {
			for (k in got) delete got[k]
			n = 0
			while ((getline line < f) > 0) {
				if (split(line, kv, " = ") == 2) { got[kv[1]] = kv[2]; n++ }
			}
			close(f)
			return n
		}
		/^#/ || /^[ \t]*$/ { next }
		/^\[.*\]$/ {
			cur = substr($0, 2, length($0) - 2)
			if (!load(dir "/" cur)) { print cur ": missing dump"; bad = 1; cur = "" }
			next
		}
		{
			if (cur == "") next
			key = $1; want = $3
			if (!(key in got)) { print cur ": no key " key; bad = 1 }
			else if (want != "*" && got[key] != want) {
				print cur ": " key " = " got[key] ", expected " want; bad = 1
			}
		}
		END { exit bad }' "$exp")
	if [ $? -ne 0 ]; then
		fail "$desc: dumps differ from $(basename "$exp")"
		printf '%s\n' "$out" | head -20 | sed 's/^/  /'
		return
	fi
	nexp=$(grep -c '^\[attr-' "$exp")
	ngot=$(find "$dir" -mindepth 1 -maxdepth 1 -name 'attr-*' 2>/dev/null | wc -l)
	if [ "$nexp" -ne "$ngot" ]; then
		fail "$desc: $ngot attrs opened, expected $nexp"
		ls "$dir" | head | sed 's/^/  /'
		return
	fi
	pass
}

# attr_dir NAME: a fresh, empty dump directory under $TMPD.
attr_dir() {
	rm -rf "$TMPD/attr-$1"
	mkdir -p "$TMPD/attr-$1"
	echo "$TMPD/attr-$1"
}

# attr_result DIR N: the result line of dump N (0 when the open worked).
attr_result() {
	sed -n 's/^result = //p' "$1/$(printf 'attr-%04d' "$2")" 2>/dev/null
}
