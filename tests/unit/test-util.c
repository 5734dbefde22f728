/* Unit tests for src/util: number and list parsing, strbuf, suggestions. */
#include "util.h"
#include "unit.h"

#include <errno.h>
#include <stdlib.h>

int main(void)
{
	uint64_t u;
	int64_t i;
	double d;
	struct int_list l;
	struct strbuf sb = STRBUF_INIT;
	static const char *const cmds[] = { "record", "report", "convert", "stat", "list" };

	CHECK_INT(parse_u64("42", 0, 100, &u), 0);
	CHECK_INT(u, 42);
	CHECK_INT(parse_u64("0x10", 0, 100, &u), 0);
	CHECK_INT(u, 16);
	CHECK_INT(parse_u64("101", 0, 100, &u), -ERANGE);
	CHECK_INT(parse_u64("-1", 0, 100, &u), -EINVAL);
	CHECK_INT(parse_u64("12abc", 0, 100, &u), -EINVAL);
	CHECK_INT(parse_u64("", 0, 100, &u), -EINVAL);
	CHECK_INT(parse_u64("99999999999999999999999", 0, UINT64_MAX, &u), -ERANGE);
	CHECK_INT(parse_i64("-5", -10, 10, &i), 0);
	CHECK_INT(i, -5);
	CHECK_INT(parse_double("0.5", 0, 1, &d), 0);
	CHECK(d == 0.5);
	CHECK_INT(parse_double("nan", 0, 1, &d), -EINVAL);
	CHECK_INT(parse_double("2", 0, 1, &d), -ERANGE);

	CHECK_INT(int_list_parse(&l, "3,0-2,2", 0, 7), 0);
	CHECK_INT(l.nr, 4);
	CHECK(l.nr == 4 && l.v[0] == 0 && l.v[3] == 3);
	CHECK(int_list_has(&l, 1));
	CHECK(!int_list_has(&l, 5));
	int_list_fini(&l);
	CHECK_INT(int_list_parse(&l, "0-9", 0, 7), -ERANGE);
	CHECK_INT(int_list_parse(&l, "3-1", 0, 7), -EINVAL);
	CHECK_INT(int_list_parse(&l, "1,", 0, 7), -EINVAL);
	CHECK_INT(int_list_parse(&l, ",1", 0, 7), -EINVAL);
	CHECK_INT(int_list_parse(&l, "a", 0, 7), -EINVAL);
	CHECK_INT(int_list_online_cpus(&l), 0);
	CHECK(l.nr >= 1);
	int_list_fini(&l);

	CHECK_INT(sb_printf(&sb, "%s-%d", "a", 7), 0);
	CHECK_INT(sb_puts(&sb, "xyz"), 0);
	CHECK_STR(sb.buf, "a-7xyz");
	CHECK_INT(sb.len, 6);
	sb_fini(&sb);

	CHECK_INT(edit_distance("record", "recrod"), 1);
	CHECK_INT(edit_distance("cycles", "cylces"), 1);
	CHECK_INT(edit_distance("", "abc"), 3);
	CHECK_STR(suggest_word("recrod", cmds, ARRAY_SIZE(cmds)), "record");
	CHECK_STR(suggest_word("stats", cmds, ARRAY_SIZE(cmds)), "stat");
	CHECK(suggest_word("frobnicate", cmds, ARRAY_SIZE(cmds)) == NULL);

	{
		char *text = NULL;
		size_t n = 1;
		long long v;

		/* an empty file: an empty, terminated string; no number */
		CHECK_INT(read_file("/dev/null", 100, &text, &n), 0);
		CHECK(text && text[0] == '\0' && n == 0);
		free(text);
		CHECK_INT(read_file_int("/dev/null", &v), -EINVAL);
		CHECK_INT(read_file("/nonexistent/x", 100, &text, &n), -ENOENT);
	}

	CHECK(hash_bytes("abc", 3, 0) != hash_bytes("abd", 3, 0));
	CHECK(hash_bytes("abc", 3, 0) == hash_bytes("abc", 3, 0));
	{
		uint64_t v[] = { 7, UINT64_MAX, 3, 7, 0, 3, UINT64_MAX, 1 };
		const uint64_t want[] = { 0, 1, 3, 7, UINT64_MAX };
		uint64_t one = 5;

		CHECK_INT(sort_unique_u64(v, 8), 5);
		CHECK(!memcmp(v, want, sizeof(want)));
		CHECK_INT(sort_unique_u64(&one, 1), 1);
		CHECK_INT(sort_unique_u64(NULL, 0), 0);
		CHECK(cmp_u64(&v[0], &v[4]) < 0 && cmp_u64(&v[4], &v[0]) > 0 && !cmp_u64(&v[2], &v[2]));
	}
	return unit_done();
}
