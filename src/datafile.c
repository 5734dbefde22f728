/* The perf.data writer: file mode with a header kept valid after every flush
 * (so a killed recorder leaves a readable file), or pipe mode on stdout. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>

#include "datafile-int.h"
#include "datafile.h"
#include "record.h"
#include "util.h"

#define DF_BUF_SIZE (1u << 20)

struct df_wbuild_id {
	int32_t pid;
	bool kernel;
	uint8_t id[20];
	size_t id_len;
	char *path;
};

struct df_writer {
	int fd;
	bool pipe;
	struct df_event *events;
	size_t nr_events;
	uint64_t attr_size;
	uint64_t data_offset;
	uint64_t data_size; /* flushed bytes */
	uint8_t *buf;
	size_t buf_len;
	int err; /* sticky write error */
	char *strings[DF_NR_STRINGS];
	char **argv;
	int argc;
	bool have_nr_cpus;
	uint32_t nr_online, nr_avail;
	struct df_wbuild_id *bids;
	size_t nr_bids, cap_bids;
	struct df_fact *facts;
	size_t nr_facts, cap_facts;
	uint8_t *tracing; /* HEADER_TRACING_DATA (file mode) */
	size_t tracing_len;
	bool tracing_sent; /* pipe mode: its record is written */
};

static void df_events_free(struct df_event *ev, size_t nr)
{
	if (!ev)
		return;
	for (size_t i = 0; i < nr; i++) {
		free(ev[i].name);
		free(ev[i].ids);
	}
	free(ev);
}

static int df_events_copy(struct df_writer *w, const struct df_event *events, size_t nr)
{
	w->events = calloc(nr, sizeof(*w->events));
	if (!w->events)
		return -ENOMEM;
	w->nr_events = nr;
	for (size_t i = 0; i < nr; i++) {
		struct df_event *d = &w->events[i];

		d->attr = events[i].attr;
		/* The whole struct is written, and pipe-mode readers find the
		 * ids after attr.size bytes: they must agree. */
		d->attr.size = sizeof(d->attr);
		d->name = strdup(events[i].name ? events[i].name : "");
		if (!d->name)
			return -ENOMEM;
		if (events[i].nr_ids) {
			if (!events[i].ids || events[i].nr_ids > (1u << 24))
				return -EINVAL;
			d->ids = malloc(events[i].nr_ids * sizeof(uint64_t));
			if (!d->ids)
				return -ENOMEM;
			memcpy(d->ids, events[i].ids, events[i].nr_ids * sizeof(uint64_t));
			d->nr_ids = events[i].nr_ids;
		}
	}
	return 0;
}

/* Keeps an existing output as path.old and creates path without following
 * a symlink planted there, readable by its owner only. */
static int df_create(const char *path)
{
	struct stat st;
	int fd;

	if (lstat(path, &st) == 0) {
		char *old;

		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (asprintf(&old, "%s.old", path) < 0)
			return -ENOMEM;
		if (rename(path, old) < 0) {
			int e = -errno;

			free(old);
			return e;
		}
		free(old);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	return fd < 0 ? -errno : fd;
}

static size_t df_header_attr_entry(const struct df_writer *w)
{
	return (size_t)w->attr_size + sizeof(struct df_section);
}

static void df_file_header_fill(const struct df_writer *w, struct df_file_header *h)
{
	uint64_t ids_bytes = 0;

	memset(h, 0, sizeof(*h));
	h->magic = DF_MAGIC;
	h->size = sizeof(*h);
	h->attr_size = df_header_attr_entry(w); /* perf counts the ids section in */
	for (size_t i = 0; i < w->nr_events; i++)
		ids_bytes += w->events[i].nr_ids * sizeof(uint64_t);
	h->attrs.offset = sizeof(*h) + ids_bytes;
	h->attrs.size = w->nr_events * df_header_attr_entry(w);
	h->data.offset = w->data_offset;
	h->data.size = w->data_size;
}

/* File mode: header, every event's ids, the attr table; data follows. */
static int df_write_file_start(struct df_writer *w)
{
	struct df_file_header h;
	struct strbuf sb = STRBUF_INIT;
	uint64_t ids_off = sizeof(h);
	int ret;

	w->data_offset = 0;
	df_file_header_fill(w, &h);
	w->data_offset = DF_ALIGN(h.attrs.offset + h.attrs.size, 8);
	h.data.offset = w->data_offset;
	ret = sb_append(&sb, &h, sizeof(h));
	for (size_t i = 0; !ret && i < w->nr_events; i++)
		ret = sb_append(&sb, w->events[i].ids, w->events[i].nr_ids * sizeof(uint64_t));
	for (size_t i = 0; !ret && i < w->nr_events; i++) {
		uint8_t attr[sizeof(struct perf_event_attr)];
		struct df_section ids;

		memset(attr, 0, sizeof(attr));
		memcpy(attr, &w->events[i].attr, sizeof(attr));
		ids.offset = ids_off;
		ids.size = w->events[i].nr_ids * sizeof(uint64_t);
		ids_off += ids.size;
		ret = sb_append(&sb, attr, (size_t)w->attr_size);
		if (!ret)
			ret = sb_append(&sb, &ids, sizeof(ids));
	}
	while (!ret && sb.len < w->data_offset)
		ret = sb_append(&sb, "", 1);
	if (!ret)
		ret = write_full(w->fd, sb.buf, sb.len);
	sb_fini(&sb);
	return ret;
}

/* Pipe mode: the short header, then one HEADER_ATTR record per event. */
static int df_write_pipe_start(struct df_writer *w)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t ph[2] = {DF_MAGIC, DF_PIPE_HEADER_SIZE};
	int ret = sb_append(&sb, ph, sizeof(ph));

	for (size_t i = 0; !ret && i < w->nr_events; i++) {
		struct perf_event_header eh;
		size_t size =
			sizeof(eh) + (size_t)w->attr_size + w->events[i].nr_ids * sizeof(uint64_t);

		if (size > UINT16_MAX) {
			ret = -E2BIG;
			break;
		}
		eh.type = PMU_RECORD_HEADER_ATTR;
		eh.misc = 0;
		eh.size = (uint16_t)size;
		ret = sb_append(&sb, &eh, sizeof(eh));
		if (!ret)
			ret = sb_append(&sb, &w->events[i].attr, (size_t)w->attr_size);
		if (!ret)
			ret = sb_append(&sb, w->events[i].ids,
					w->events[i].nr_ids * sizeof(uint64_t));
	}
	/* perf takes pipe-mode event names from EVENT_UPDATE records. */
	for (size_t i = 0; !ret && i < w->nr_events; i++) {
		const struct df_event *e = &w->events[i];
		size_t nlen = DF_ALIGN(strlen(e->name) + 1, 8);
		struct perf_event_header eh;
		uint64_t type = DF_EVENT_UPDATE_NAME;
		static const char zeros[8];

		if (!e->nr_ids || !e->name[0] || nlen > 4096)
			continue;
		eh.type = PMU_RECORD_EVENT_UPDATE;
		eh.misc = 0;
		eh.size = (uint16_t)(sizeof(eh) + 16 + nlen);
		ret = sb_append(&sb, &eh, sizeof(eh));
		if (!ret)
			ret = sb_append(&sb, &type, sizeof(type));
		if (!ret)
			ret = sb_append(&sb, &e->ids[0], sizeof(e->ids[0]));
		if (!ret)
			ret = sb_append(&sb, e->name, strlen(e->name));
		if (!ret)
			ret = sb_append(&sb, zeros, nlen - strlen(e->name));
	}
	if (!ret)
		ret = write_full(w->fd, sb.buf, sb.len);
	sb_fini(&sb);
	return ret;
}

static void df_writer_free(struct df_writer *w)
{
	if (!w)
		return;
	df_events_free(w->events, w->nr_events);
	free(w->buf);
	for (int i = 0; i < DF_NR_STRINGS; i++)
		free(w->strings[i]);
	for (int i = 0; i < w->argc; i++)
		free(w->argv[i]);
	free(w->argv);
	for (size_t i = 0; i < w->nr_bids; i++)
		free(w->bids[i].path);
	free(w->bids);
	for (size_t i = 0; i < w->nr_facts; i++) {
		free(w->facts[i].key);
		free(w->facts[i].value);
	}
	free(w->facts);
	free(w->tracing);
	free(w);
}

struct df_writer *df_writer_new(const char *path, const struct df_event *events, size_t nr,
				int *err)
{
	struct df_writer *w;
	int ret;

	if (!path || !events || nr == 0 || nr > 4096) {
		*err = -EINVAL;
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		*err = -ENOMEM;
		return NULL;
	}
	w->fd = -1;
	w->attr_size = sizeof(struct perf_event_attr);
	w->buf = malloc(DF_BUF_SIZE);
	ret = w->buf ? df_events_copy(w, events, nr) : -ENOMEM;
	if (ret)
		goto fail;
	if (!strcmp(path, "-")) {
		w->pipe = true;
		w->fd = STDOUT_FILENO;
		ret = df_write_pipe_start(w);
	} else {
		ret = df_create(path);
		if (ret < 0)
			goto fail;
		w->fd = ret;
		ret = df_write_file_start(w);
	}
	if (ret)
		goto fail;
	return w;
fail:
	if (w->fd >= 0 && !w->pipe)
		close(w->fd);
	df_writer_free(w);
	*err = ret;
	return NULL;
}

/* len more bytes of records are in the file: a file (not a pipe) says so
 * in its header, so that it stays valid up to here. 0 or -errno. */
static int df_writer_wrote(struct df_writer *w, size_t len)
{
	int ret;

	w->data_size += len;
	if (w->pipe)
		return 0;
	ret = pwrite_full(w->fd, &w->data_size, sizeof(w->data_size), DF_DATA_SIZE_OFFSET);
	if (ret)
		w->err = ret;
	return ret;
}

int df_writer_flush(struct df_writer *w)
{
	int ret;

	if (w->err)
		return w->err;
	if (w->buf_len == 0)
		return 0;
	ret = write_full(w->fd, w->buf, w->buf_len);
	if (ret) {
		/* data.size still covers only complete, flushed records. */
		w->err = ret;
		return ret;
	}
	ret = df_writer_wrote(w, w->buf_len);
	w->buf_len = 0;
	return ret;
}

int df_writer_write(struct df_writer *w, const void *rec, size_t len)
{
	int ret;

	if (w->err)
		return w->err;
	if (len == 0)
		return 0;
	if (!rec)
		return -EINVAL;
	if (w->buf_len + len > DF_BUF_SIZE) {
		ret = df_writer_flush(w);
		if (ret)
			return ret;
	}
	if (len > DF_BUF_SIZE) {
		/* Too big to buffer: straight to the file, then the header. */
		ret = write_full(w->fd, rec, len);
		if (ret) {
			w->err = ret;
			return ret;
		}
		return df_writer_wrote(w, len);
	}
	memcpy(w->buf + w->buf_len, rec, len);
	w->buf_len += len;
	return 0;
}

int df_writer_finished_round(struct df_writer *w)
{
	struct perf_event_header h = {
		.type = PMU_RECORD_FINISHED_ROUND, .misc = 0, .size = sizeof(h)};

	return df_writer_write(w, &h, sizeof(h));
}

uint64_t df_writer_bytes(const struct df_writer *w)
{
	return w->data_size + w->buf_len;
}

/* Pipe mode: a HEADER_TRACING_DATA record (header, u32 size of the payload
 * rounded up to 8, u32 padding: 16 bytes, as perf writes it), then the
 * payload and zeros up to that size. The payload is outside the record's
 * own size, which a u16 could not hold. */
static int df_write_pipe_tracing(struct df_writer *w, const void *buf, size_t len)
{
	static const char zeros[8];
	size_t aligned = DF_ALIGN(len, 8);
	struct {
		struct perf_event_header h;
		uint32_t size;
		uint32_t pad;
	} rec;
	int ret;

	if (aligned > UINT32_MAX)
		return -E2BIG;
	memset(&rec, 0, sizeof(rec));
	rec.h.type = PMU_RECORD_HEADER_TRACING_DATA;
	rec.h.size = sizeof(rec);
	rec.size = (uint32_t)aligned;
	ret = write_full(w->fd, &rec, sizeof(rec));
	if (!ret)
		ret = write_full(w->fd, buf, len);
	if (!ret)
		ret = write_full(w->fd, zeros, aligned - len);
	if (ret)
		w->err = ret;
	return ret;
}

int df_writer_set_tracing_data(struct df_writer *w, const void *buf, size_t len)
{
	uint8_t *copy;

	if (!buf || len == 0)
		return -EINVAL;
	if (w->pipe) {
		int ret;

		/* perf needs the formats before the first tracepoint sample */
		if (w->tracing_sent || df_writer_bytes(w))
			return -EBUSY;
		if (w->err)
			return w->err;
		ret = df_write_pipe_tracing(w, buf, len);
		if (!ret)
			w->tracing_sent = true;
		return ret;
	}
	copy = malloc(len);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, buf, len);
	free(w->tracing);
	w->tracing = copy;
	w->tracing_len = len;
	return 0;
}

static int df_set_str(char **slot, const char *value)
{
	char *s;

	if (!value)
		return -EINVAL;
	s = strdup(value);
	if (!s)
		return -ENOMEM;
	free(*slot);
	*slot = s;
	return 0;
}

int df_writer_set_string(struct df_writer *w, enum df_string which, const char *value)
{
	if ((int)which < 0 || which >= DF_NR_STRINGS)
		return -EINVAL;
	return df_set_str(&w->strings[which], value);
}

int df_writer_set_cmdline(struct df_writer *w, int argc, char *const *argv)
{
	char **v;

	if (argc < 0 || argc > 65536 || (argc && !argv))
		return -EINVAL;
	v = calloc((size_t)argc + 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (int i = 0; i < argc; i++) {
		v[i] = strdup(argv[i] ? argv[i] : "");
		if (!v[i]) {
			for (int j = 0; j < i; j++)
				free(v[j]);
			free(v);
			return -ENOMEM;
		}
	}
	for (int i = 0; i < w->argc; i++)
		free(w->argv[i]);
	free(w->argv);
	w->argv = v;
	w->argc = argc;
	return 0;
}

int df_writer_set_nr_cpus(struct df_writer *w, uint32_t online, uint32_t available)
{
	w->have_nr_cpus = true;
	w->nr_online = online;
	w->nr_avail = available;
	return 0;
}

/* The "model name" line of /proc/cpuinfo (x86); NULL elsewhere. */
static char *df_cpudesc(void)
{
	char *text = NULL, *line, *res = NULL;
	size_t len;

	if (read_file("/proc/cpuinfo", 1 << 20, &text, &len))
		return NULL;
	line = strstr(text, "model name");
	if (line) {
		char *colon = strchr(line, ':');
		char *end = strchr(line, '\n');

		if (colon && (!end || colon < end)) {
			colon++;
			while (*colon == ' ' || *colon == '\t')
				colon++;
			res = end ? strndup(colon, (size_t)(end - colon)) : strdup(colon);
		}
	}
	free(text);
	return res;
}

int df_writer_set_host_facts(struct df_writer *w)
{
	struct utsname u;
	char *desc;
	long online, conf;
	int ret;

	if (uname(&u) < 0)
		return -errno;
	ret = df_writer_set_string(w, DF_HOSTNAME, u.nodename);
	if (!ret)
		ret = df_writer_set_string(w, DF_OSRELEASE, u.release);
	if (!ret)
		ret = df_writer_set_string(w, DF_ARCH, u.machine);
	if (!ret)
		ret = df_writer_set_string(w, DF_VERSION, "cperf " PACKAGE_VERSION);
	if (ret)
		return ret;
	desc = df_cpudesc();
	if (desc) {
		ret = df_writer_set_string(w, DF_CPUDESC, desc);
		free(desc);
		if (ret)
			return ret;
	}
	online = sysconf(_SC_NPROCESSORS_ONLN);
	conf = sysconf(_SC_NPROCESSORS_CONF);
	if (online > 0 && conf > 0)
		df_writer_set_nr_cpus(w, (uint32_t)online, (uint32_t)conf);
	return df_writer_set_fact(w, DF_KEY_CPERF_VERSION, PACKAGE_VERSION);
}

int df_writer_add_build_id(struct df_writer *w, int32_t pid, const char *path, const uint8_t *id,
			   size_t id_len, bool kernel)
{
	struct df_wbuild_id *b;

	if (!path || !*path || !id || id_len == 0 || id_len > 20 || strlen(path) > 4000)
		return -EINVAL;
	for (size_t i = 0; i < w->nr_bids; i++) {
		b = &w->bids[i];
		if (b->pid == pid && !strcmp(b->path, path) && b->id_len == id_len &&
		    !memcmp(b->id, id, id_len))
			return 0;
	}
	if (grow_array(&w->bids, &w->cap_bids, w->nr_bids + 1, sizeof(*w->bids)))
		return -ENOMEM;
	b = &w->bids[w->nr_bids];
	memset(b, 0, sizeof(*b));
	b->path = strdup(path);
	if (!b->path)
		return -ENOMEM;
	b->pid = pid;
	b->kernel = kernel;
	memcpy(b->id, id, id_len);
	b->id_len = id_len;
	w->nr_bids++;
	return 0;
}

static int df_set_fact_len(struct df_writer *w, const char *key, const char *value, size_t len)
{
	char *v;

	if (!key || !*key || strlen(key) > 255 || (!value && len))
		return -EINVAL;
	v = malloc(len + 1);
	if (!v)
		return -ENOMEM;
	if (len)
		memcpy(v, value, len);
	v[len] = '\0';
	return df_fact_set(&w->facts, &w->nr_facts, &w->cap_facts, key, strlen(key), v, len);
}

int df_writer_set_fact(struct df_writer *w, const char *key, const char *value)
{
	if (!value)
		return -EINVAL;
	return df_set_fact_len(w, key, value, strlen(value));
}

int df_writer_set_fact_u64(struct df_writer *w, const char *key, uint64_t value)
{
	char num[24];

	snprintf(num, sizeof(num), "%llu", (unsigned long long)value);
	return df_writer_set_fact(w, key, num);
}

/* ---- kallsyms snapshot ------------------------------------------------ */

/* Kernel symbols are kept in the file as the text-symbol lines (t, T, w, W)
 * of /proc/kallsyms whose addresses are not all hidden, sorted by address,
 * each address stored as the hex difference from the previous one: that
 * compresses a third better (the reader gives back the /proc/kallsyms
 * format). With a set of sample addresses only the symbols a lookup of
 * them may need are kept; /proc/kallsyms (~5 MB, ~120k lines here) is then
 * read twice as a stream, first for the addresses alone and then for the
 * few lines kept, so that the recorder never holds the whole table. */

struct df_ksym {
	uint64_t addr;
	size_t rest_off; /* in the arena: "T name\t[module]" */
	size_t rest_len;
	size_t idx;
};

static int df_ksym_cmp(const void *a, const void *b)
{
	const struct df_ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Parses one line; true for a text symbol with its address and the part
 * after the address ("T name ..."). */
static bool df_ksym_line(const char *p, const char *le, uint64_t *addr, const char **rest)
{
	const char *sp = memchr(p, ' ', (size_t)(le - p));
	uint64_t a = 0;

	if (!sp || sp == p || sp - p > 16 || sp + 2 >= le || sp[2] != ' ')
		return false;
	if (sp[1] != 't' && sp[1] != 'T' && sp[1] != 'w' && sp[1] != 'W')
		return false;
	for (const char *q = p; q < sp; q++) {
		int d = hex_digit(*q);

		if (d < 0)
			return false;
		a = a << 4 | (uint64_t)d;
	}
	*addr = a;
	*rest = sp + 1;
	return true;
}

typedef int (*df_ksym_fn)(void *arg, uint64_t addr, const char *rest, size_t rest_len);

/* Calls fn for each text-symbol line of text[len], or of the file path when
 * text is NULL (read as a stream). 0, fn's error, or -errno. */
static int df_ksym_scan(const char *text, size_t len, const char *path, df_ksym_fn fn, void *arg)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *f = NULL;
	int ret = 0;

	if (!text) {
		f = fopen(path, "re");
		if (!f)
			return -errno;
	}
	/* text mode: p and end stay NULL in file mode (NULL + 0 is undefined) */
	for (const char *p = text, *end = text ? text + len : NULL; !ret;) {
		const char *le, *rest;
		uint64_t addr;

		if (f) {
			ssize_t n = getline(&line, &cap, f);

			if (n < 0) {
				if (ferror(f))
					ret = -EIO;
				break;
			}
			p = line;
			le = line + n;
			if (le > p && le[-1] == '\n')
				le--;
		} else {
			const char *nl;

			if (p >= end)
				break;
			nl = memchr(p, '\n', (size_t)(end - p));
			le = nl ? nl : end;
		}
		if (df_ksym_line(p, le, &addr, &rest))
			ret = fn(arg, addr, rest, (size_t)(le - rest));
		if (!f)
			p = le < end ? le + 1 : end;
	}
	free(line);
	if (f)
		fclose(f);
	return ret;
}

struct df_ksym_set {
	uint64_t *v;
	size_t nr, cap;
};

static int df_ksym_add_start(void *arg, uint64_t addr, const char *rest, size_t rest_len)
{
	struct df_ksym_set *s = arg;

	(void)rest;
	(void)rest_len;
	if (grow_array(&s->v, &s->cap, s->nr + 1, sizeof(*s->v)))
		return -ENOMEM;
	s->v[s->nr++] = addr;
	return 0;
}

/* From all symbol starts (sorted, unique), the starts a lookup of addrs
 * (sorted ascending; each also at addr-1, as return addresses are looked up
 * at pc-1) needs: the symbol containing the address and the one after it,
 * which bounds its size; and the first symbol, so that the table is never
 * empty ("none stored" means something else). Sorted, unique. */
static int df_ksym_needed(const struct df_ksym_set *starts, const uint64_t *addrs, size_t naddrs,
			  struct df_ksym_set *need)
{
	if (starts->nr && df_ksym_add_start(need, starts->v[0], NULL, 0))
		return -ENOMEM;
	for (size_t k = 0; k < naddrs * 2; k++) {
		uint64_t a = addrs[k / 2] - (k & 1);
		size_t lo = 0, hi = starts->nr;

		while (lo < hi) { /* the first start above a */
			size_t mid = lo + (hi - lo) / 2;

			if (starts->v[mid] <= a)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == 0)
			continue;
		if (df_ksym_add_start(need, starts->v[lo - 1], NULL, 0))
			return -ENOMEM;
		if (lo < starts->nr && df_ksym_add_start(need, starts->v[lo], NULL, 0))
			return -ENOMEM;
	}
	need->nr = sort_unique_u64(need->v, need->nr);
	return 0;
}

struct df_ksym_keep {
	const struct df_ksym_set *need; /* NULL: every symbol */
	struct df_ksym *syms;
	size_t nr, cap;
	struct strbuf arena;
	bool nonzero;
};

static int df_ksym_keep_line(void *arg, uint64_t addr, const char *rest, size_t rest_len)
{
	struct df_ksym_keep *k = arg;

	if (addr)
		k->nonzero = true;
	if (k->need && !bsearch(&addr, k->need->v, k->need->nr, sizeof(uint64_t), cmp_u64))
		return 0;
	if (grow_array(&k->syms, &k->cap, k->nr + 1, sizeof(*k->syms)))
		return -ENOMEM;
	k->syms[k->nr] = (struct df_ksym){ addr, k->arena.len, rest_len, k->nr };
	k->nr++;
	return sb_append(&k->arena, rest, rest_len);
}

/* The kallsyms of text[len] (or of the file path when text is NULL), kept
 * for addrs (NULL: all), stored as DF_KV_KALLSYMS_DELTA. -EPERM when every
 * address is 0. */
static int df_kallsyms_store(struct df_writer *w, const char *text, size_t len, const char *path,
			     const uint64_t *addrs, size_t naddrs)
{
	struct df_ksym_set starts = { 0 }, need = { 0 };
	struct df_ksym_keep k = { .arena = STRBUF_INIT };
	struct strbuf sb = STRBUF_INIT;
	uint64_t prev = 0;
	int ret = 0;

	if (addrs) {
		ret = df_ksym_scan(text, len, path, df_ksym_add_start, &starts);
		if (!ret) {
			starts.nr = sort_unique_u64(starts.v, starts.nr);
			ret = df_ksym_needed(&starts, addrs, naddrs, &need);
		}
		free(starts.v);
		k.need = &need;
	}
	if (!ret)
		ret = df_ksym_scan(text, len, path, df_ksym_keep_line, &k);
	if (!ret && !k.nonzero)
		ret = -EPERM;
	if (!ret)
		qsort(k.syms, k.nr, sizeof(*k.syms), df_ksym_cmp);
	for (size_t i = 0; !ret && i < k.nr; i++) {
		ret = sb_printf(&sb, "%llx ", (unsigned long long)(k.syms[i].addr - prev));
		if (!ret)
			ret = sb_append(&sb, k.arena.buf + k.syms[i].rest_off, k.syms[i].rest_len);
		if (!ret)
			ret = sb_append(&sb, "\n", 1);
		prev = k.syms[i].addr;
	}
	if (!ret)
		ret = df_set_fact_len(w, DF_KV_KALLSYMS_DELTA, sb.buf, sb.len);
	sb_fini(&sb);
	sb_fini(&k.arena);
	free(k.syms);
	free(need.v);
	return ret;
}

int df_writer_set_kallsyms(struct df_writer *w, const char *text, size_t len)
{
	return df_writer_set_kallsyms_for(w, text, len, NULL, 0);
}

int df_writer_set_kallsyms_for(struct df_writer *w, const char *text, size_t len,
			       const uint64_t *addrs, size_t naddrs)
{
	if (!text)
		return -EINVAL;
	return df_kallsyms_store(w, text, len, NULL, addrs, naddrs);
}

int df_writer_snapshot_kallsyms(struct df_writer *w)
{
	return df_writer_snapshot_kallsyms_for(w, NULL, 0);
}

int df_writer_snapshot_kallsyms_for(struct df_writer *w, const uint64_t *addrs, size_t naddrs)
{
	char *text = NULL;
	size_t len = 0;
	long long v;

	if (!read_file_int("/proc/sys/kernel/kptr_restrict", &v))
		df_writer_set_fact_u64(w, DF_KEY_KPTR_RESTRICT, (uint64_t)v);
	if (!read_file_int("/proc/sys/kernel/perf_event_paranoid", &v)) {
		char num[24];

		snprintf(num, sizeof(num), "%lld", v);
		df_writer_set_fact(w, DF_KEY_PARANOID, num);
	}
	if (!read_file("/proc/modules", 16 << 20, &text, &len))
		df_set_fact_len(w, DF_KEY_MODULES, text, len);
	free(text);
	return df_kallsyms_store(w, NULL, 0, "/proc/kallsyms", addrs, naddrs);
}

/* ---- feature sections -------------------------------------------------- */

/* perf's header string: u32 padded length, the string, zeros. */
static int df_put_string(struct strbuf *sb, const char *s)
{
	size_t len = strlen(s) + 1;
	uint32_t olen = (uint32_t)DF_ALIGN(len, DF_NAME_ALIGN);
	static const char zeros[DF_NAME_ALIGN];
	int ret = sb_append(sb, &olen, sizeof(olen));

	if (!ret)
		ret = sb_append(sb, s, len);
	if (!ret)
		ret = sb_append(sb, zeros, olen - len);
	return ret;
}

static int df_put_u32(struct strbuf *sb, uint32_t v)
{
	return sb_append(sb, &v, sizeof(v));
}

static int df_feat_build_id(const struct df_writer *w, struct strbuf *sb)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < w->nr_bids; i++) {
		const struct df_wbuild_id *b = &w->bids[i];
		size_t nlen = strlen(b->path) + 1;
		size_t size = DF_ALIGN(DF_BUILD_ID_FIXED + nlen, 8);
		struct perf_event_header h;
		uint8_t id[24] = {0};
		static const char zeros[8];

		h.type = PMU_RECORD_HEADER_BUILD_ID;
		h.misc = (uint16_t)((b->kernel ? PERF_RECORD_MISC_KERNEL : PERF_RECORD_MISC_USER) |
				    DF_MISC_BUILD_ID_SIZE);
		h.size = (uint16_t)size;
		memcpy(id, b->id, b->id_len);
		id[20] = (uint8_t)b->id_len;
		ret = sb_append(sb, &h, sizeof(h));
		if (!ret)
			ret = sb_append(sb, &b->pid, sizeof(b->pid));
		if (!ret)
			ret = sb_append(sb, id, sizeof(id));
		if (!ret)
			ret = sb_append(sb, b->path, nlen);
		if (!ret)
			ret = sb_append(sb, zeros, size - DF_BUILD_ID_FIXED - nlen);
	}
	return ret;
}

static int df_feat_event_desc(const struct df_writer *w, struct strbuf *sb)
{
	int ret = df_put_u32(sb, (uint32_t)w->nr_events);

	if (!ret)
		ret = df_put_u32(sb, (uint32_t)w->attr_size);
	for (size_t i = 0; !ret && i < w->nr_events; i++) {
		const struct df_event *e = &w->events[i];

		ret = sb_append(sb, &e->attr, (size_t)w->attr_size);
		if (!ret)
			ret = df_put_u32(sb, (uint32_t)e->nr_ids);
		if (!ret)
			ret = df_put_string(sb, e->name);
		if (!ret)
			ret = sb_append(sb, e->ids, e->nr_ids * sizeof(uint64_t));
	}
	return ret;
}

static int df_feat_cmdline(const struct df_writer *w, struct strbuf *sb)
{
	int ret = df_put_u32(sb, (uint32_t)w->argc);

	for (int i = 0; !ret && i < w->argc; i++)
		ret = df_put_string(sb, w->argv[i]);
	return ret;
}

/* cperf's key/value section holding facts[0..n). */
static int df_kv_section(const struct df_fact *facts, size_t n, struct strbuf *sb)
{
	struct strbuf raw = STRBUF_INIT;
	uint8_t head[DF_KV_HEADER];
	uint32_t version = 1, flags = DF_KV_ZLIB;
	uint64_t raw_size, stored;
	uLongf clen;
	Bytef *cbuf = NULL;
	int ret = 0;

	for (size_t i = 0; !ret && i < n; i++) {
		uint32_t klen = (uint32_t)strlen(facts[i].key);
		uint64_t vlen = facts[i].len;

		ret = sb_append(&raw, &klen, sizeof(klen));
		if (!ret)
			ret = sb_append(&raw, &vlen, sizeof(vlen));
		if (!ret)
			ret = sb_append(&raw, facts[i].key, klen);
		if (!ret)
			ret = sb_append(&raw, facts[i].value, (size_t)vlen);
	}
	if (ret)
		goto out;
	raw_size = raw.len;
	if (raw_size > DF_KV_MAX_RAW) {
		ret = -E2BIG;
		goto out;
	}
	clen = compressBound((uLong)raw.len);
	cbuf = malloc(clen ? clen : 1);
	if (!cbuf) {
		ret = -ENOMEM;
		goto out;
	}
	/* Level 1: kallsyms text shrinks about 4x at a fraction of the cost. */
	if (compress2(cbuf, &clen, (const Bytef *)(raw.buf ? raw.buf : ""), (uLong)raw.len, 1) !=
	    Z_OK) {
		ret = -EIO;
		goto out;
	}
	stored = clen;
	memcpy(head, DF_KV_MAGIC, 8);
	memcpy(head + 8, &version, 4);
	memcpy(head + 12, &flags, 4);
	memcpy(head + 16, &raw_size, 8);
	memcpy(head + 24, &stored, 8);
	ret = sb_append(sb, head, sizeof(head));
	if (!ret)
		ret = sb_append(sb, cbuf, clen);
	while (!ret && sb->len % 8)
		ret = sb_append(sb, "", 1);
out:
	free(cbuf);
	sb_fini(&raw);
	return ret;
}

static const int df_string_feat[DF_NR_STRINGS] = {
	[DF_HOSTNAME] = DF_FEAT_HOSTNAME, [DF_OSRELEASE] = DF_FEAT_OSRELEASE,
	[DF_VERSION] = DF_FEAT_VERSION,	  [DF_ARCH] = DF_FEAT_ARCH,
	[DF_CPUDESC] = DF_FEAT_CPUDESC,	  [DF_CMDLINE] = DF_FEAT_CMDLINE,
};

/* Serializes feature feat into sb. Returns 1 when written, 0 when the
 * writer has nothing for it, <0 on error. */
static int df_feature(const struct df_writer *w, int feat, struct strbuf *sb)
{
	int ret;

	switch (feat) {
	case DF_FEAT_TRACING_DATA:
		if (!w->tracing)
			return 0;
		ret = sb_append(sb, w->tracing, w->tracing_len);
		break;
	case DF_FEAT_BUILD_ID:
		ret = df_feat_build_id(w, sb);
		break;
	case DF_FEAT_HOSTNAME:
	case DF_FEAT_OSRELEASE:
	case DF_FEAT_VERSION:
	case DF_FEAT_ARCH:
	case DF_FEAT_CPUDESC:
		for (int i = 0; i < DF_NR_STRINGS; i++)
			if (df_string_feat[i] == feat)
				if (w->strings[i]) {
					ret = df_put_string(sb, w->strings[i]);
					return ret ? ret : 1;
				}
		return 0;
	case DF_FEAT_NRCPUS:
		if (!w->have_nr_cpus)
			return 0;
		/* perf's order: available first, then online. */
		ret = df_put_u32(sb, w->nr_avail);
		if (!ret)
			ret = df_put_u32(sb, w->nr_online);
		break;
	case DF_FEAT_CMDLINE:
		if (w->argv) {
			ret = df_feat_cmdline(w, sb);
		} else if (w->strings[DF_CMDLINE]) {
			ret = df_put_u32(sb, 1);
			if (!ret)
				ret = df_put_string(sb, w->strings[DF_CMDLINE]);
		} else {
			return 0;
		}
		break;
	case DF_FEAT_EVENT_DESC:
		ret = df_feat_event_desc(w, sb);
		break;
	case DF_FEAT_CPERF:
		if (!w->nr_facts)
			return 0;
		ret = df_kv_section(w->facts, w->nr_facts, sb);
		break;
	default:
		return 0;
	}
	return ret ? ret : 1;
}

/* In bit order: perf matches the section table to the bits that way. */
static const int df_feats[] = {
	DF_FEAT_TRACING_DATA, DF_FEAT_BUILD_ID,	  DF_FEAT_HOSTNAME, DF_FEAT_OSRELEASE,
	DF_FEAT_VERSION,      DF_FEAT_ARCH,	  DF_FEAT_NRCPUS,   DF_FEAT_CPUDESC,
	DF_FEAT_CMDLINE,      DF_FEAT_EVENT_DESC, DF_FEAT_CPERF,
};

/* File mode: the section table right after the data, the sections, then
 * the header with the feature bits (written last, so a crash before it
 * leaves a file whose header knows only the data). */
static int df_close_file(struct df_writer *w)
{
	struct df_section secs[ARRAY_SIZE(df_feats)];
	struct strbuf body = STRBUF_INIT, out = STRBUF_INIT;
	struct df_file_header h;
	uint64_t feats[DF_FEAT_BITS / 64] = {0};
	size_t nr = 0;
	uint64_t base;
	int ret = 0;

	/* Count the features first: the table's size fixes the offsets. */
	for (size_t i = 0; !ret && i < ARRAY_SIZE(df_feats); i++) {
		size_t before = body.len;
		int r = df_feature(w, df_feats[i], &body);

		if (r < 0)
			ret = r;
		else if (r > 0) {
			secs[nr].offset = before;
			secs[nr].size = body.len - before;
			feats[df_feats[i] / 64] |= 1ULL << (df_feats[i] % 64);
			nr++;
		}
	}
	if (ret)
		goto out;
	base = w->data_offset + w->data_size + nr * sizeof(struct df_section);
	for (size_t i = 0; i < nr; i++)
		secs[i].offset += base;
	ret = sb_append(&out, secs, nr * sizeof(struct df_section));
	if (!ret)
		ret = sb_append(&out, body.buf ? body.buf : "", body.len);
	if (!ret)
		ret = pwrite_full(w->fd, out.buf, out.len, w->data_offset + w->data_size);
	if (!ret && ftruncate(w->fd, (off_t)(w->data_offset + w->data_size + out.len)) < 0)
		ret = -errno;
	if (ret)
		goto out;
	df_file_header_fill(w, &h);
	memcpy(h.features, feats, sizeof(feats));
	ret = pwrite_full(w->fd, &h, sizeof(h), 0);
out:
	sb_fini(&body);
	sb_fini(&out);
	return ret;
}

static int df_pipe_feature(struct strbuf *out, uint64_t feat, struct strbuf *body)
{
	struct perf_event_header h;
	int ret = 0;

	while (!ret && body->len % 8)
		ret = sb_append(body, "", 1);
	if (ret || sizeof(h) + 8 + body->len > UINT16_MAX)
		return ret; /* does not fit a record: left out */
	h.type = PMU_RECORD_HEADER_FEATURE;
	h.misc = 0;
	h.size = (uint16_t)(sizeof(h) + 8 + body->len);
	ret = sb_append(out, &h, sizeof(h));
	if (!ret)
		ret = sb_append(out, &feat, sizeof(feat));
	if (!ret)
		ret = sb_append(out, body->buf, body->len);
	return ret;
}

/* Pipe mode: one slice of cperf's section as a HEADER_EVENT_TYPE record
 * (see DF_PIPE_FACTS_MIN), padded with zeros. */
static int df_pipe_facts_record(struct strbuf *out, struct strbuf *body)
{
	struct perf_event_header h;
	int ret = 0;

	while (!ret && (body->len % 8 || sizeof(h) + body->len < DF_PIPE_FACTS_MIN))
		ret = sb_append(body, "", 1);
	if (ret || sizeof(h) + body->len > UINT16_MAX)
		return ret; /* does not fit a record: left out */
	h.type = PMU_RECORD_HEADER_EVENT_TYPE;
	h.misc = 0;
	h.size = (uint16_t)(sizeof(h) + body->len);
	ret = sb_append(out, &h, sizeof(h));
	if (!ret)
		ret = sb_append(out, body->buf, body->len);
	return ret;
}

/* Pipe mode: a record holds at most 64 KiB, so each fact goes in slices of
 * 32 KiB (which zlib cannot grow past the limit), one section per record;
 * a key "+name" appends to the value of "name". */
static int df_pipe_facts(const struct df_writer *w, struct strbuf *out)
{
	const size_t slice = 32 << 10;
	struct strbuf body = STRBUF_INIT;
	char key[260];
	int ret = 0;

	for (size_t i = 0; !ret && i < w->nr_facts; i++) {
		const struct df_fact *f = &w->facts[i];
		size_t off = 0;

		do {
			struct df_fact part;

			snprintf(key, sizeof(key), "%s%s", off ? "+" : "", f->key);
			part.key = key;
			part.value = f->value + off;
			part.len = f->len - off < slice ? f->len - off : slice;
			sb_reset(&body);
			ret = df_kv_section(&part, 1, &body);
			if (!ret)
				ret = df_pipe_facts_record(out, &body);
			off += part.len;
		} while (!ret && off < f->len);
	}
	sb_fini(&body);
	return ret;
}

/* Pipe mode: build-ids as HEADER_BUILD_ID records, cperf's section as
 * HEADER_EVENT_TYPE records, every other feature as a HEADER_FEATURE
 * record. */
static int df_close_pipe(struct df_writer *w)
{
	struct strbuf out = STRBUF_INIT, body = STRBUF_INIT;
	int ret = df_feat_build_id(w, &out);

	for (size_t i = 0; !ret && i < ARRAY_SIZE(df_feats); i++) {
		uint64_t feat = (uint64_t)df_feats[i];
		int r;

		/* build-ids as their own records; the tracing data went
		 * out before the first record */
		if (df_feats[i] == DF_FEAT_BUILD_ID || df_feats[i] == DF_FEAT_TRACING_DATA)
			continue;
		if (df_feats[i] == DF_FEAT_CPERF) {
			ret = df_pipe_facts(w, &out);
			continue;
		}
		sb_reset(&body);
		r = df_feature(w, df_feats[i], &body);
		if (r < 0)
			ret = r;
		else if (r > 0)
			ret = df_pipe_feature(&out, feat, &body);
	}
	if (!ret)
		ret = write_full(w->fd, out.buf ? out.buf : "", out.len);
	sb_fini(&out);
	sb_fini(&body);
	return ret;
}

int df_writer_close(struct df_writer *w)
{
	int ret, r;

	if (!w)
		return 0;
	/* A file with no records would leave data.size 0, which readers take
	 * for a killed recorder: give it one harmless record. */
	if (!w->err && w->data_size + w->buf_len == 0)
		df_writer_finished_round(w);
	ret = df_writer_flush(w);
	if (!ret)
		ret = w->pipe ? df_close_pipe(w) : df_close_file(w);
	if (!w->pipe && w->fd >= 0) {
		r = close(w->fd) < 0 ? -errno : 0;
		if (!ret)
			ret = r;
	}
	df_writer_free(w);
	return ret;
}
