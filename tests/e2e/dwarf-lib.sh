# Helpers shared by the dwarf-*.sh tests (sourced after lib.sh and
# report-lib.sh).

# share_ok A B C: A, B and C (cum values of func_a/b/c, any unit) are within
# 3 points of 50/30/20 of their sum; prints the split.
share_ok() {
	[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] || { echo "split: func_a/b/c missing"; return 1; }
	awk -v a="$1" -v b="$2" -v c="$3" 'BEGIN { s = a + b + c; if (s <= 0) exit 1;
		d1 = 100 * a / s - 50; d2 = 100 * b / s - 30; d3 = 100 * c / s - 20;
		printf "split: %.1f/%.1f/%.1f\n", 100 * a / s, 100 * b / s, 100 * c / s;
		exit !(d1 * d1 <= 9 && d2 * d2 <= 9 && d3 * d3 <= 9) }'
}

# split_ok FILE: the split in cperf report --top output FILE (cum%).
split_ok() { share_ok "$(cum_of func_a "$1")" "$(cum_of func_b "$1")" "$(cum_of func_c "$1")"; }

# unwind_counts FILE: "STACKS TRUNCATED FAILED" from a report header.
unwind_counts() {
	sed -n 's/^# dwarf unwinding: \([0-9]*\) stacks, \([0-9]*\) \[truncated\].*, \([0-9]*\) \[unwind failed\]$/\1 \2 \3/p' "$1" | head -1
}

# libc_ok FOLDED: samples in cmp_burn (the qsort comparator) reach main
# through libc's qsort frames and sort_caller: at least 90% of them.
libc_ok() {
	awk '$1 ~ /;cmp_burn$/ { all += $NF;
		if ($1 ~ /;main;sort_caller;[^;]*qsort[^;]*;([^;]*;)*cmp_burn$/) ok += $NF }
		END { printf "cmp_burn: %d of %d samples under main;sort_caller;qsort\n", ok, all;
		exit !(all > 0 && ok >= 0.9 * all) }' "$1"
}

# marker_outermost FOLDED: [truncated] and [unwind failed] appear only right
# after the comm (the outermost frame), never inside a stack.
marker_outermost() {
	awk -F';' '{ for (i = 3; i <= NF; i++) if ($i ~ /^\[(truncated|unwind failed)\]/) bad++ }
		END { exit bad > 0 }' "$1"
}
