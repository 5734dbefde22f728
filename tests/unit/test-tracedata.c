/* pmu_tracing_data(): the tracing data built from a fake tracefs tree is
 * parsed back in the order perf's trace-event-read.c reads it, and broken
 * trees give errors, not crashes. */
#include "config.h"

#include "pmu.h"
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static const char header_page[] = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
				  "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n";
static const char header_event[] = "# compressed entry header\n\ttype_len    :    5 bits\n";
static const char fmt_switch[] =
	"name: sched_switch\nID: 316\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\nprint fmt: \"prev_pid=%d\", REC->prev_pid\n";
static const char fmt_wakeup[] = "name: sched_wakeup\nID: 318\nformat:\n\nprint fmt: \"\"\n";
static const char fmt_read[] = "name: sys_enter_read\nID: 700\nformat:\n\nprint fmt: \"\"\n";
static const char fmt_function[] = "name: function\nID: 1\nformat:\n\nprint fmt: \"\"\n";
static const char printk[] = "0xffffffff81000000 : \"hello\\n\"\n";

static void put_file(const char *rel, const char *text, size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	/* make every parent directory */
	for (char *p = path + strlen(root) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0700);
		*p = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || (len && write(fd, text, len) != (ssize_t)len)) {
		perror(path);
		exit(99);
	}
	close(fd);
}

static void put_str(const char *rel, const char *text)
{
	put_file(rel, text, strlen(text));
}

static void unlink_rel(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	unlink(path);
}

static void make_tree(void)
{
	put_str("events/header_page", header_page);
	put_str("events/header_event", header_event);
	put_str("events/enable", "0\n");
	put_str("events/sched/enable", "0\n");
	put_str("events/sched/sched_switch/id", "316\n");
	put_str("events/sched/sched_switch/format", fmt_switch);
	put_str("events/sched/sched_switch/enable", "0\n");
	put_str("events/sched/sched_wakeup/id", "318\n");
	put_str("events/sched/sched_wakeup/format", fmt_wakeup);
	put_str("events/syscalls/sys_enter_read/id", "700\n");
	put_str("events/syscalls/sys_enter_read/format", fmt_read);
	put_str("events/ftrace/function/id", "1\n");
	put_str("events/ftrace/function/format", fmt_function);
	put_str("events/bad/noid/format", "print fmt\n");
	put_str("printk_formats", printk);
}

/* A reader in trace_report()'s order; fails on any byte out of place. */
struct cur {
	const uint8_t *p;
	size_t left;
	bool bad;
};

static const void *take(struct cur *c, size_t n)
{
	const void *r = c->p;

	if (c->bad || n > c->left) {
		c->bad = true;
		return NULL;
	}
	c->p += n;
	c->left -= n;
	return r;
}

static uint64_t take_u(struct cur *c, size_t n)
{
	const void *p = take(c, n);
	uint64_t v = 0;
	uint32_t v32 = 0;

	if (!p)
		return 0;
	if (n == 4) {
		memcpy(&v32, p, 4);
		return v32;
	}
	if (n == 1)
		return *(const uint8_t *)p;
	memcpy(&v, p, 8);
	return v;
}

static const char *take_str(struct cur *c)
{
	const char *s = (const char *)c->p;
	const void *nul = c->bad ? NULL : memchr(c->p, '\0', c->left);

	if (!nul) {
		c->bad = true;
		return "";
	}
	take(c, (size_t)((const uint8_t *)nul - c->p) + 1);
	return s;
}

/* u64 size and the bytes, compared with want */
static void expect_file64(struct cur *c, const char *want)
{
	uint64_t n = take_u(c, 8);
	const void *p;

	CHECK_INT(n, strlen(want));
	p = take(c, (size_t)n);
	CHECK(p && !memcmp(p, want, strlen(want)));
}

static void test_layout(void)
{
	uint64_t ids[] = {700, 316, 1, 316}; /* unsorted, one twice */
	void *buf = NULL;
	size_t len = 0;
	struct cur c;
	const void *p;

	CHECK_INT(pmu_tracing_data(ids, 4, &buf, &len), 0);
	CHECK(buf && len > 0);
	if (!buf)
		return;
	c.p = buf;
	c.left = len;
	c.bad = false;
	p = take(&c, 10);
	CHECK(p && !memcmp(p, "\027\010\104tracing", 10));
	CHECK_STR(take_str(&c), "0.6");
	CHECK_INT(take_u(&c, 1), __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
	CHECK_INT(take_u(&c, 1), sizeof(long));
	CHECK_INT(take_u(&c, 4), sysconf(_SC_PAGESIZE));
	CHECK_STR(take_str(&c), "header_page");
	expect_file64(&c, header_page);
	CHECK_STR(take_str(&c), "header_event");
	expect_file64(&c, header_event);
	/* ftrace:function goes to the ftrace list, not to a system */
	CHECK_INT(take_u(&c, 4), 1);
	expect_file64(&c, fmt_function);
	/* systems sorted by name; sched_wakeup was not asked for */
	CHECK_INT(take_u(&c, 4), 2);
	CHECK_STR(take_str(&c), "sched");
	CHECK_INT(take_u(&c, 4), 1);
	expect_file64(&c, fmt_switch);
	CHECK_STR(take_str(&c), "syscalls");
	CHECK_INT(take_u(&c, 4), 1);
	expect_file64(&c, fmt_read);
	CHECK_INT(take_u(&c, 4), 0); /* kallsyms */
	CHECK_INT(take_u(&c, 4), strlen(printk));
	p = take(&c, strlen(printk));
	CHECK(p && !memcmp(p, printk, strlen(printk)));
	CHECK_INT(take_u(&c, 8), 0); /* saved_cmdlines */
	CHECK(!c.bad);
	CHECK_INT(c.left, 0);
	free(buf);
}

/* Without printk_formats: size 0, the rest unchanged. */
static void test_no_printk(void)
{
	uint64_t id = 318;
	void *buf = NULL;
	size_t len = 0;
	uint32_t v;

	unlink_rel("printk_formats");
	CHECK_INT(pmu_tracing_data(&id, 1, &buf, &len), 0);
	CHECK(len > 16);
	if (buf && len > 16) {
		/* u32 kallsyms 0, u32 printk 0, u64 cmdlines 0 at the end */
		memcpy(&v, (char *)buf + len - 12, 4);
		CHECK_INT(v, 0);
		memcpy(&v, (char *)buf + len - 16, 4);
		CHECK_INT(v, 0);
	}
	free(buf);
	put_str("printk_formats", printk);
}

static void expect_err(const uint64_t *ids, size_t nr, int want, const char *what)
{
	void *buf = (void *)1;
	size_t len = 1;
	int ret = pmu_tracing_data(ids, nr, &buf, &len);

	if (ret != want)
		fprintf(stderr, "%s: got %d, want %d\n", what, ret, want);
	CHECK_INT(ret, want);
	CHECK(buf == NULL && len == 0);
	free(buf == (void *)1 ? NULL : buf);
}

static void test_errors(void)
{
	uint64_t id = 316, missing = 999;
	char *big;

	expect_err(&id, 0, -EINVAL, "no ids");
	expect_err(NULL, 1, -EINVAL, "NULL ids");
	expect_err(&missing, 1, -ENOENT, "an id of no tracepoint");

	unlink_rel("events/sched/sched_switch/format");
	expect_err(&id, 1, -ENOENT, "no format file");
	put_file("events/sched/sched_switch/format", "", 0);
	expect_err(&id, 1, -ENODATA, "an empty format file");
	big = calloc(1, (1u << 20) + 2);
	if (big) {
		memset(big, 'x', (1u << 20) + 1);
		put_str("events/sched/sched_switch/format", big);
		expect_err(&id, 1, -EFBIG, "a format file over the bound");
		free(big);
	}
	put_str("events/sched/sched_switch/format", fmt_switch);

	unlink_rel("events/header_page");
	expect_err(&id, 1, -ENOENT, "no header_page");
	put_file("events/header_page", "", 0);
	expect_err(&id, 1, -ENODATA, "an empty header_page");
	put_str("events/header_page", header_page);

	unlink_rel("events/header_event");
	expect_err(&id, 1, -ENOENT, "no header_event");
	put_str("events/header_event", header_event);

	/* a directory where a file should be */
	unlink_rel("events/syscalls/sys_enter_read/format");
	put_str("events/syscalls/sys_enter_read/format/x", "");
	id = 700;
	expect_err(&id, 1, -EISDIR, "a directory named format");

	setenv("CPERF_TRACEFS", "/nonexistent-tracefs", 1);
	id = 316;
	expect_err(&id, 1, -ENOENT, "no tracefs");
	setenv("CPERF_TRACEFS", root, 1);
}

int main(void)
{
	snprintf(root, sizeof(root), "%s", "/tmp/cperf-tracedata.XXXXXX");
	if (!mkdtemp(root)) {
		perror("mkdtemp");
		return 99;
	}
	setenv("CPERF_TRACEFS", root, 1);
	make_tree();
	test_layout();
	test_no_printk();
	test_errors();
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", root);
	}
	return unit_done();
}
