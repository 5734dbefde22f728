/* The perf.data reader: file mode and pipe mode, perf's files and cperf's,
 * with every offset and length checked against the bytes really there. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "datafile-int.h"
#include "datafile.h"
#include "record.h"
#include "util.h"

/* Limits beyond which a header field is taken as damage, not data. */
#define DF_MAX_EVENTS 65536
#define DF_MAX_IDS (1u << 24)
#define DF_MAX_PIPE_INPUT (64ULL << 30)
/* Pipe input up to this is always buffered, whatever the limits say. */
#define DF_PIPE_MIN_LIMIT (64ULL << 20)

struct df_id_ent {
	uint64_t id;
	size_t ev;
};

struct df_reader {
	char *path;
	const uint8_t *base;
	size_t size;
	bool mapped;
	bool pipe;
	struct df_event *events;
	size_t nr_events, cap_events;
	struct df_id_ent *ids;
	size_t nr_ids;
	/* Where ids sit in records: perf takes the first event's layout. */
	struct pmu_sample_layout id_layout;
	uint64_t data_start, data_end, pos, last_off;
	uint64_t dropped; /* mapped bytes below this were given back */
	bool cut_short;
	uint64_t ignored;
	char *strings[DF_NR_STRINGS];
	uint32_t nr_online, nr_avail;
	struct df_build_id *bids;
	size_t nr_bids, cap_bids;
	struct df_fact *facts;
	size_t nr_facts, cap_facts;
	uint64_t *scratch;
	size_t scratch_cap;
	char err[256];
};

static void PRINTF_LIKE(2, 3) df_seterr(struct df_reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, sizeof(r->err), "'%s': ", r->path);

	if (n < 0 || (size_t)n >= sizeof(r->err))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
	va_end(ap);
}

static uint16_t rd16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* [off, off + len) lies within a buffer of size bytes (no overflow). */
static bool df_in(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

/* ---- events ------------------------------------------------------------ */

static struct df_event *df_add_event(struct df_reader *r, const uint8_t *attr, size_t attr_len,
				     const uint8_t *ids, size_t nr_ids)
{
	struct df_event *e;

	if (r->nr_events >= DF_MAX_EVENTS || nr_ids > DF_MAX_IDS)
		return NULL;
	if (grow_array(&r->events, &r->cap_events, r->nr_events + 1, sizeof(*r->events)))
		return NULL;
	e = &r->events[r->nr_events];
	memset(e, 0, sizeof(*e));
	memcpy(&e->attr, attr, attr_len < sizeof(e->attr) ? attr_len : sizeof(e->attr));
	if (nr_ids) {
		e->ids = malloc(nr_ids * sizeof(uint64_t));
		if (!e->ids)
			return NULL;
		memcpy(e->ids, ids, nr_ids * sizeof(uint64_t));
		e->nr_ids = nr_ids;
	}
	r->nr_events++;
	return e;
}

static int df_id_cmp(const void *a, const void *b)
{
	const struct df_id_ent *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int df_index_ids(struct df_reader *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nr_events; i++)
		n += r->events[i].nr_ids;
	free(r->ids);
	r->ids = calloc(n ? n : 1, sizeof(*r->ids));
	if (!r->ids)
		return -ENOMEM;
	r->nr_ids = 0;
	for (size_t i = 0; i < r->nr_events; i++)
		for (size_t j = 0; j < r->events[i].nr_ids; j++) {
			r->ids[r->nr_ids].id = r->events[i].ids[j];
			r->ids[r->nr_ids].ev = i;
			r->nr_ids++;
		}
	qsort(r->ids, r->nr_ids, sizeof(*r->ids), df_id_cmp);
	if (r->nr_events)
		pmu_sample_layout_from_attr(&r->id_layout, &r->events[0].attr);
	return 0;
}

static const char *const df_sw_names[] = {
	"cpu-clock",	    "task-clock",   "page-faults",  "context-switches",
	"cpu-migrations",   "minor-faults", "major-faults", "alignment-faults",
	"emulation-faults", "dummy",	    "bpf-output",   "cgroup-switches",
};
static const char *const df_hw_names[] = {
	"cycles",
	"instructions",
	"cache-references",
	"cache-misses",
	"branch-instructions",
	"branch-misses",
	"bus-cycles",
	"stalled-cycles-frontend",
	"stalled-cycles-backend",
	"ref-cycles",
};

/* A name for an event the file does not name, as perf would show it. */
static char *df_default_name(const struct perf_event_attr *a)
{
	char *s = NULL;

	if (a->type == PERF_TYPE_SOFTWARE && a->config < ARRAY_SIZE(df_sw_names))
		return strdup(df_sw_names[a->config]);
	if (a->type == PERF_TYPE_HARDWARE && a->config < ARRAY_SIZE(df_hw_names))
		return strdup(df_hw_names[a->config]);
	if (asprintf(&s, "type%u/config=0x%llx", a->type, (unsigned long long)a->config) < 0)
		return NULL;
	return s;
}

static int df_set_event_name(struct df_event *e, const char *name, size_t len)
{
	char *n = strndup(name, len);

	if (!n)
		return -ENOMEM;
	free(e->name);
	e->name = n;
	return 0;
}

static struct df_event *df_event_by_id(struct df_reader *r, uint64_t id)
{
	for (size_t i = 0; i < r->nr_events; i++)
		for (size_t j = 0; j < r->events[i].nr_ids; j++)
			if (r->events[i].ids[j] == id)
				return &r->events[i];
	return NULL;
}

/* ---- facts -------------------------------------------------------------- */

/* A perf header string at p (u32 length, bytes). Returns the bytes used or
 * 0 when it does not fit in len. */
static size_t df_get_string(const uint8_t *p, size_t len, const char **s, size_t *slen)
{
	uint32_t n;

	if (len < 4)
		return 0;
	n = rd32(p);
	if (n > len - 4)
		return 0;
	*s = (const char *)p + 4;
	*slen = strnlen(*s, n);
	return 4 + (size_t)n;
}

int df_fact_set(struct df_fact **facts, size_t *nr, size_t *cap, const char *key, size_t klen,
		char *value, size_t len)
{
	struct df_fact *f = NULL;

	for (size_t i = 0; i < *nr; i++)
		if (strlen((*facts)[i].key) == klen && !memcmp((*facts)[i].key, key, klen))
			f = &(*facts)[i];
	if (!f) {
		if (grow_array(facts, cap, *nr + 1, sizeof(**facts))) {
			free(value);
			return -ENOMEM;
		}
		f = &(*facts)[*nr];
		f->key = strndup(key, klen);
		if (!f->key) {
			free(value);
			return -ENOMEM;
		}
		f->value = NULL;
		(*nr)++;
	}
	free(f->value);
	f->value = value;
	f->len = len;
	return 0;
}

static int df_add_fact(struct df_reader *r, const char *key, size_t klen, const uint8_t *v,
		       size_t vlen)
{
	struct df_fact *f = NULL;
	bool append = klen > 1 && key[0] == '+';
	char *val;

	/* Facts are text: a NUL ends one, so that len is always strlen. */
	vlen = strnlen((const char *)v, vlen);

	/* "+name" continues name's value (pipe mode slices big facts). */
	if (append) {
		key++;
		klen--;
	}
	for (size_t i = 0; i < r->nr_facts; i++)
		if (strlen(r->facts[i].key) == klen && !memcmp(r->facts[i].key, key, klen))
			f = &r->facts[i];
	if (append && f) {
		if (vlen > DF_KV_MAX_RAW - f->len)
			return -EINVAL;
		val = realloc(f->value, f->len + vlen + 1);
		if (!val)
			return -ENOMEM;
		memcpy(val + f->len, v, vlen);
		f->len += vlen;
		val[f->len] = '\0';
		f->value = val;
		return 0;
	}
	val = malloc(vlen + 1);
	if (!val)
		return -ENOMEM;
	memcpy(val, v, vlen);
	val[vlen] = '\0';
	return df_fact_set(&r->facts, &r->nr_facts, &r->cap_facts, key, klen, val, vlen);
}

static int df_parse_build_id(struct df_reader *r, const uint8_t *p, size_t len)
{
	struct df_build_id *b;
	uint16_t misc;
	size_t nlen;
	char *path;

	if (len < DF_BUILD_ID_FIXED)
		return -EINVAL;
	misc = rd16(p + 4);
	nlen = strnlen((const char *)p + DF_BUILD_ID_FIXED, len - DF_BUILD_ID_FIXED);
	path = strndup((const char *)p + DF_BUILD_ID_FIXED, nlen);
	if (!path)
		return -ENOMEM;
	if (grow_array(&r->bids, &r->cap_bids, r->nr_bids + 1, sizeof(*r->bids))) {
		free(path);
		return -ENOMEM;
	}
	b = &r->bids[r->nr_bids++];
	memset(b, 0, sizeof(*b));
	b->path = path;
	b->pid = (int32_t)rd32(p + 8);
	memcpy(b->id, p + 12, 20);
	b->id_len = 20;
	if (misc & DF_MISC_BUILD_ID_SIZE)
		b->id_len = p[12 + 20] <= 20 ? p[12 + 20] : 20;
	misc &= PERF_RECORD_MISC_CPUMODE_MASK;
	b->kernel = misc == PERF_RECORD_MISC_KERNEL || misc == PERF_RECORD_MISC_GUEST_KERNEL;
	return 0;
}

static int df_feat_build_ids(struct df_reader *r, const uint8_t *p, size_t len)
{
	while (len >= sizeof(struct perf_event_header)) {
		uint16_t size = rd16(p + 6);
		int ret;

		if (size < DF_BUILD_ID_FIXED || size > len) {
			df_seterr(r, "build-id table entry with bad size %u", size);
			return -EINVAL;
		}
		ret = df_parse_build_id(r, p, size);
		if (ret)
			return ret;
		p += size;
		len -= size;
	}
	return 0;
}

static int df_feat_event_desc(struct df_reader *r, const uint8_t *p, size_t len)
{
	uint32_t nr, asz;

	if (len < 8)
		return -EINVAL;
	nr = rd32(p);
	asz = rd32(p + 4);
	if (nr > DF_MAX_EVENTS || asz < PERF_ATTR_SIZE_VER0 || asz > 4096)
		return -EINVAL;
	p += 8;
	len -= 8;
	for (uint32_t i = 0; i < nr; i++) {
		const char *name;
		size_t nlen, used;
		uint32_t nids;
		struct df_event *e = NULL;
		int ret;

		if (len < (size_t)asz + 4)
			return -EINVAL;
		nids = rd32(p + asz);
		p += asz + 4;
		len -= asz + 4;
		used = df_get_string(p, len, &name, &nlen);
		if (!used)
			return -EINVAL;
		p += used;
		len -= used;
		if (nids > DF_MAX_IDS || (uint64_t)nids * 8 > len)
			return -EINVAL;
		if (nids)
			e = df_event_by_id(r, rd64(p));
		if (!e && nr == r->nr_events)
			e = &r->events[i];
		p += (size_t)nids * 8;
		len -= (size_t)nids * 8;
		if (e && nlen) {
			ret = df_set_event_name(e, name, nlen);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int df_feat_cmdline(struct df_reader *r, const uint8_t *p, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	uint32_t nr;
	int ret = 0;

	if (len < 4)
		return -EINVAL;
	nr = rd32(p);
	p += 4;
	len -= 4;
	for (uint32_t i = 0; i < nr && !ret; i++) {
		const char *s;
		size_t slen, used = df_get_string(p, len, &s, &slen);

		if (!used) {
			ret = -EINVAL;
			break;
		}
		if (i)
			ret = sb_append(&sb, " ", 1);
		if (!ret)
			ret = sb_append(&sb, s, slen);
		p += used;
		len -= used;
	}
	if (!ret) {
		free(r->strings[DF_CMDLINE]);
		r->strings[DF_CMDLINE] = sb.buf ? sb_detach(&sb) : strdup("");
		if (!r->strings[DF_CMDLINE])
			ret = -ENOMEM;
	}
	sb_fini(&sb);
	return ret;
}

static int df_feat_kv(struct df_reader *r, const uint8_t *p, size_t len)
{
	uint64_t raw_size, stored;
	uint32_t version, flags;
	uint8_t *raw = NULL;
	const uint8_t *q;
	size_t left;
	int ret = 0;

	if (len < DF_KV_HEADER || memcmp(p, DF_KV_MAGIC, 8))
		return -EINVAL;
	version = rd32(p + 8);
	flags = rd32(p + 12);
	raw_size = rd64(p + 16);
	stored = rd64(p + 24);
	if (version != 1 || raw_size > DF_KV_MAX_RAW || stored > len - DF_KV_HEADER)
		return -EINVAL;
	/* zlib cannot beat about 1032:1: a larger claim is damage, not a
	 * reason to allocate. */
	if ((flags & DF_KV_ZLIB) && raw_size / 1032 > stored + 64)
		return -EINVAL;
	if (flags & DF_KV_ZLIB) {
		uLongf out = (uLongf)raw_size;

		raw = malloc(raw_size ? raw_size : 1);
		if (!raw)
			return -ENOMEM;
		if (uncompress(raw, &out, p + DF_KV_HEADER, (uLong)stored) != Z_OK ||
		    out != raw_size) {
			free(raw);
			return -EINVAL;
		}
		q = raw;
	} else {
		if (stored != raw_size) {
			return -EINVAL;
		}
		q = p + DF_KV_HEADER;
	}
	left = (size_t)raw_size;
	while (left && !ret) {
		uint32_t klen;
		uint64_t vlen;

		if (left < 12) {
			ret = -EINVAL;
			break;
		}
		klen = rd32(q);
		vlen = rd64(q + 4);
		if (klen == 0 || klen > 255 || klen > left - 12 || vlen > left - 12 - klen) {
			ret = -EINVAL;
			break;
		}
		ret = df_add_fact(r, (const char *)q + 12, klen, q + 12 + klen, (size_t)vlen);
		q += 12 + klen + vlen;
		left -= 12 + klen + (size_t)vlen;
	}
	free(raw);
	return ret;
}

static const int df_feat_string[] = {
	[DF_FEAT_HOSTNAME] = DF_HOSTNAME + 1, [DF_FEAT_OSRELEASE] = DF_OSRELEASE + 1,
	[DF_FEAT_VERSION] = DF_VERSION + 1,   [DF_FEAT_ARCH] = DF_ARCH + 1,
	[DF_FEAT_CPUDESC] = DF_CPUDESC + 1,
};

/* One feature section's content (file mode) or HEADER_FEATURE payload (pipe
 * mode). Unknown features are skipped. 0, or <0 with r->err set. */
static int df_parse_feature(struct df_reader *r, uint64_t feat, const uint8_t *p, size_t len)
{
	int ret = 0;

	switch (feat) {
	case DF_FEAT_BUILD_ID:
		ret = df_feat_build_ids(r, p, len);
		break;
	case DF_FEAT_HOSTNAME:
	case DF_FEAT_OSRELEASE:
	case DF_FEAT_VERSION:
	case DF_FEAT_ARCH:
	case DF_FEAT_CPUDESC: {
		int which = df_feat_string[feat] - 1;
		const char *s;
		size_t slen;
		char *dup;

		if (!df_get_string(p, len, &s, &slen)) {
			ret = -EINVAL;
			break;
		}
		dup = strndup(s, slen);
		if (!dup)
			return -ENOMEM;
		free(r->strings[which]);
		r->strings[which] = dup;
		break;
	}
	case DF_FEAT_NRCPUS:
		if (len < 8) {
			ret = -EINVAL;
			break;
		}
		r->nr_avail = rd32(p);
		r->nr_online = rd32(p + 4);
		break;
	case DF_FEAT_CMDLINE:
		ret = df_feat_cmdline(r, p, len);
		break;
	case DF_FEAT_EVENT_DESC:
		ret = df_feat_event_desc(r, p, len);
		break;
	case DF_FEAT_CPERF:
		ret = df_feat_kv(r, p, len);
		break;
	default:
		break;
	}
	if (ret == -EINVAL && !r->err[0])
		df_seterr(r, "malformed header feature %llu", (unsigned long long)feat);
	else if (ret == -ENOMEM)
		df_seterr(r, "out of memory");
	return ret;
}

/* ---- input -------------------------------------------------------------- */

/* How much pipe input is buffered at most: half of the memory, and of the
 * address space and data limits (ulimit -v, -d) when they are set, so that
 * an endless or huge input ends with an error rather than the OOM killer. */
static uint64_t df_pipe_limit(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	uint64_t lim = DF_MAX_PIPE_INPUT;
	static const int res[] = {RLIMIT_AS, RLIMIT_DATA};
	struct rlimit rl;

	if (pages > 0 && psz > 0 && (uint64_t)pages / 2 < lim / (uint64_t)psz)
		lim = (uint64_t)pages / 2 * (uint64_t)psz;
	for (size_t i = 0; i < ARRAY_SIZE(res); i++)
		if (!getrlimit(res[i], &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur / 2 < lim)
			lim = rl.rlim_cur / 2;
	if (lim > SIZE_MAX / 2)
		lim = SIZE_MAX / 2;
	return lim < DF_PIPE_MIN_LIMIT ? DF_PIPE_MIN_LIMIT : lim;
}

/* Reads from fd into buf[*len..want) until want bytes or the end of the
 * input. 0 or -errno. */
static int df_read_upto(int fd, uint8_t *buf, size_t *len, size_t want)
{
	while (*len < want) {
		ssize_t n = read(fd, buf + *len, want - *len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return 0;
}

/* Reads a pipe or a device whole, after its first 16 bytes (magic and
 * header size) say it is a recording: anything else stops there (the open
 * names what is wrong), so an endless input (/dev/zero) is not read on.
 * More than df_pipe_limit() bytes is refused. Sets r->err on failure. */
static int df_slurp(struct df_reader *r, int fd)
{
	uint64_t limit = df_pipe_limit(), hsize;
	size_t cap = 1 << 20, len = 0;
	uint8_t *buf = malloc(cap);
	int ret;

	if (!buf) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = df_read_upto(fd, buf, &len, DF_PIPE_HEADER_SIZE);
	if (ret)
		goto fail;
	if (len < DF_PIPE_HEADER_SIZE || rd64(buf) != DF_MAGIC)
		goto done;
	hsize = rd64(buf + 8);
	if (hsize != DF_PIPE_HEADER_SIZE && hsize < sizeof(struct df_file_header)) {
		df_seterr(r, "bad header size %llu", (unsigned long long)hsize);
		ret = -EINVAL;
		goto fail;
	}
	for (;;) {
		if (len == cap) {
			uint8_t *nb;

			if (len > limit) {
				df_seterr(r, "more than %llu MiB from a pipe or device: save it to a file and read that",
					  (unsigned long long)(limit >> 20));
				ret = -EFBIG;
				goto fail;
			}
			/* at most limit + 1 bytes: one more says the input goes on */
			cap = cap > limit / 2 ? (size_t)limit + 1 : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				ret = -ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		ret = df_read_upto(fd, buf, &len, cap);
		if (ret)
			goto fail;
		if (len < cap)
			break; /* the end of the input */
	}
done:
	r->base = buf;
	r->size = len;
	r->mapped = false;
	return 0;
fail:
	free(buf);
	if (!r->err[0])
		df_seterr(r, "cannot read: %s", strerror(-ret));
	return ret;
}

static int df_load(struct df_reader *r, const char *path)
{
	struct stat st;
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0) {
		ret = -errno;
		df_seterr(r, "cannot open: %s", strerror(-ret));
		return ret;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		df_seterr(r, "cannot stat: %s", strerror(-ret));
	} else if (S_ISDIR(st.st_mode)) {
		ret = -EISDIR;
		df_seterr(r, "is a directory (perf record --threads recordings are not supported)");
	} else if (S_ISREG(st.st_mode)) {
		if (st.st_size == 0) {
			ret = -EINVAL;
			df_seterr(r, "is empty (zero-length file)");
		} else if ((uint64_t)st.st_size > SIZE_MAX / 2) {
			ret = -EFBIG;
			df_seterr(r, "file too large");
		} else {
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

			if (m == MAP_FAILED) {
				ret = -errno;
				df_seterr(r, "cannot map: %s", strerror(-ret));
			} else {
				r->base = m;
				r->size = (size_t)st.st_size;
				r->mapped = true;
				madvise(m, r->size, MADV_SEQUENTIAL);
			}
		}
	} else {
		ret = df_slurp(r, fd);
		if (!ret && r->size == 0) {
			ret = -EINVAL;
			df_seterr(r, "is empty (no data)");
		}
	}
	if (!is_stdin)
		close(fd);
	return ret;
}

/* ---- record walking ------------------------------------------------------- */

/* Steps over the record at pos (perf's own records may carry a payload
 * after them). Returns 1 with *next set, 0 when the rest of the data is not
 * a whole record (cut short), <0 for a malformed record (r->err set). */
static int df_step(struct df_reader *r, uint64_t pos, uint64_t end, uint64_t *next)
{
	const uint8_t *p = r->base + pos;
	uint32_t type;
	uint16_t size;
	uint64_t extra = 0;

	if (end - pos < sizeof(struct perf_event_header))
		return 0;
	type = rd32(p);
	size = rd16(p + 6);
	if (size < sizeof(struct perf_event_header)) {
		df_seterr(r, "record at offset %llu has size %u (less than 8)",
			  (unsigned long long)pos, size);
		return -EINVAL;
	}
	if (size > end - pos)
		return 0;
	if (type == PMU_RECORD_COMPRESSED) {
		df_seterr(r, "compressed recordings (perf record -z) are not supported");
		return -ENOTSUP;
	}
	/* Both carry their payload after the record. */
	if (type == PMU_RECORD_HEADER_TRACING_DATA && size >= 12)
		extra = DF_ALIGN((uint64_t)rd32(p + 8), 8);
	else if (type == PMU_RECORD_AUXTRACE && size >= 16)
		extra = rd64(p + 8);
	if (extra > end - pos - size)
		return 0;
	*next = pos + size + extra;
	return 1;
}

/* Pipe mode: the meta records carry what the file header would. */
static int df_pipe_meta(struct df_reader *r, const uint8_t *p, uint16_t size)
{
	uint32_t type = rd32(p);

	switch (type) {
	case PMU_RECORD_HEADER_ATTR: {
		uint32_t asz;

		if (size < 8 + PERF_ATTR_SIZE_VER0)
			goto bad;
		asz = rd32(p + 8 + 4);
		if (asz == 0)
			asz = PERF_ATTR_SIZE_VER0;
		if (asz < PERF_ATTR_SIZE_VER0 || asz > (uint32_t)size - 8 || (size - 8 - asz) % 8)
			goto bad;
		if (!df_add_event(r, p + 8, asz, p + 8 + asz, (size - 8 - asz) / 8)) {
			df_seterr(r, "too many events or out of memory");
			return -ENOMEM;
		}
		return 0;
	}
	case PMU_RECORD_HEADER_EVENT_TYPE: {
		int ret;

		/* cperf's facts (see DF_PIPE_FACTS_MIN); anything else is
		 * perf's deprecated event type record, which says nothing
		 * cperf needs */
		if (size < 16 || memcmp(p + 8, DF_KV_MAGIC, 8))
			return 0;
		ret = df_feat_kv(r, p + 8, size - 8u);
		if (ret == -ENOMEM) {
			df_seterr(r, "out of memory");
		} else if (ret) {
			df_seterr(r, "malformed cperf facts record at offset %llu",
				  (unsigned long long)(p - r->base));
		}
		return ret;
	}
	case PMU_RECORD_HEADER_FEATURE:
		/* DF_FEAT_CPERF here: the facts as earlier cperf wrote them */
		if (size < 16)
			goto bad;
		return df_parse_feature(r, rd64(p + 8), p + 16, size - 16u);
	case PMU_RECORD_HEADER_BUILD_ID:
		if (df_parse_build_id(r, p, size) == -EINVAL)
			goto bad;
		return 0;
	case PMU_RECORD_EVENT_UPDATE: {
		struct df_event *e;

		if (size < 24)
			goto bad;
		if (rd64(p + 8) != DF_EVENT_UPDATE_NAME)
			return 0;
		e = df_event_by_id(r, rd64(p + 16));
		if (e)
			return df_set_event_name(e, (const char *)p + 24,
						 strnlen((const char *)p + 24, size - 24u));
		return 0;
	}
	default:
		return 0;
	}
bad:
	df_seterr(r, "malformed meta record of type %u", type);
	return -EINVAL;
}

static int df_open_pipe(struct df_reader *r)
{
	uint64_t pos = DF_PIPE_HEADER_SIZE, next;
	int ret;

	r->pipe = true;
	r->data_start = pos;
	r->data_end = r->size;
	while (pos < r->size) {
		const uint8_t *p = r->base + pos;

		ret = df_step(r, pos, r->size, &next);
		if (ret == -ENOTSUP)
			return ret;
		if (ret < 0) {
			/* Damage: the data ends here (the reason stays in
			 * df_reader_error). */
			r->data_end = pos;
			r->ignored = r->size - pos;
			r->cut_short = true;
			break;
		}
		if (ret == 0)
			break;
		if (rd32(p) >= PMU_RECORD_HEADER_ATTR && rd32(p) < 4096) {
			ret = df_pipe_meta(r, p, rd16(p + 6));
			if (ret)
				return ret;
		}
		pos = next;
	}
	if (r->nr_events == 0) {
		df_seterr(r, "pipe-mode recording without any event attributes");
		return -EINVAL;
	}
	return 0;
}

static int df_open_file(struct df_reader *r)
{
	struct df_file_header h;
	uint64_t entry, asz, nr, nfeat = 0, table;
	int ret;

	if (r->size < sizeof(h)) {
		df_seterr(r, "truncated header");
		return -EINVAL;
	}
	memcpy(&h, r->base, sizeof(h));
	if (h.size < sizeof(h) || h.size > r->size) {
		df_seterr(r, "bad header size %llu", (unsigned long long)h.size);
		return -EINVAL;
	}
	/* attr_size covers an attr and its ids section (perf_file_attr). */
	if (h.attr_size < PERF_ATTR_SIZE_VER0 + sizeof(struct df_section) || h.attr_size > 4096) {
		df_seterr(r, "attr size %llu out of range", (unsigned long long)h.attr_size);
		return -EINVAL;
	}
	if (h.features[DF_FEAT_COMPRESSED / 64] & (1ULL << (DF_FEAT_COMPRESSED % 64))) {
		df_seterr(r, "compressed recordings (perf record -z) are not supported");
		return -ENOTSUP;
	}
	entry = h.attr_size;
	asz = h.attr_size - sizeof(struct df_section);
	if (!df_in(h.attrs.offset, h.attrs.size, r->size)) {
		df_seterr(r, "attr section points past the end of the file");
		return -EINVAL;
	}
	nr = h.attrs.size / entry;
	if (h.attrs.size % entry || nr == 0 || nr > DF_MAX_EVENTS) {
		df_seterr(r, "attr section size %llu does not hold whole attrs",
			  (unsigned long long)h.attrs.size);
		return -EINVAL;
	}
	for (uint64_t i = 0; i < nr; i++) {
		const uint8_t *a = r->base + h.attrs.offset + i * entry;
		uint64_t ioff = rd64(a + asz), isz = rd64(a + asz + 8);

		if (!df_in(ioff, isz, r->size) || isz % 8 || isz / 8 > DF_MAX_IDS) {
			df_seterr(r, "ids of event %llu point past the end of the file",
				  (unsigned long long)i);
			return -EINVAL;
		}
		if (!df_add_event(r, a, (size_t)asz, r->base + ioff, (size_t)(isz / 8))) {
			df_seterr(r, "out of memory");
			return -ENOMEM;
		}
	}
	if (h.data.offset < h.size || h.data.offset > r->size) {
		df_seterr(r, "data section starts past the end of the file");
		return -EINVAL;
	}
	r->data_start = h.data.offset;
	if (h.data.size == 0) {
		/* A recorder that never finished: read what is there. */
		r->data_end = r->size;
		r->cut_short = true;
		return 0;
	}
	if (!df_in(h.data.offset, h.data.size, r->size)) {
		r->data_end = r->size;
		r->cut_short = true;
		return 0; /* the features went with the tail */
	}
	r->data_end = h.data.offset + h.data.size;
	for (int b = 0; b < DF_FEAT_BITS; b++)
		if (h.features[b / 64] & (1ULL << (b % 64)))
			nfeat++;
	if (nfeat == 0) {
		/* Writers set the feature bits last: a recorder killed after
		 * its last flush. Records past data.size may be complete. */
		r->data_end = r->size;
		r->cut_short = true;
		return 0;
	}
	table = r->data_end;
	if (!df_in(table, nfeat * sizeof(struct df_section), r->size)) {
		/* Cut inside the feature table (data intact): the sections
		 * went with the tail; keep the data without the features. */
		r->cut_short = true;
		return 0;
	}
	for (int b = 0, i = 0; b < DF_FEAT_BITS; b++) {
		const uint8_t *s;
		uint64_t off, sz;

		if (!(h.features[b / 64] & (1ULL << (b % 64))))
			continue;
		s = r->base + table + (uint64_t)i++ * sizeof(struct df_section);
		off = rd64(s);
		sz = rd64(s + 8);
		if (!df_in(off, sz, r->size)) {
			/* Writers put the sections one after the other: a file
			 * cut inside them has its first missing section start
			 * within it, and the ones after it past its end: all
			 * ignored (perf reads such files too). One starting
			 * past the end is damage. */
			if (off > r->size) {
				df_seterr(r, "header feature %d points past the end of the file", b);
				return -EINVAL;
			}
			r->cut_short = true;
			return 0;
		}
		ret = df_parse_feature(r, (uint64_t)b, r->base + off, (size_t)sz);
		if (ret)
			return ret;
	}
	return 0;
}

static const struct df_fact *df_find_fact(const struct df_reader *r, const char *key);

/* The stored kallsyms (address deltas) back into /proc/kallsyms lines. */
static int df_decode_kallsyms(struct df_reader *r)
{
	const struct df_fact *f = df_find_fact(r, DF_KV_KALLSYMS_DELTA);
	struct strbuf sb = STRBUF_INIT;
	const char *p, *end;
	uint64_t addr = 0;
	int ret = 0;

	if (!f || df_find_fact(r, DF_KEY_KALLSYMS))
		return 0;
	p = f->value;
	end = f->value + f->len;
	/* Each line grows by at most 16 digits less the delta's one. */
	ret = sb_grow(&sb, f->len + f->len / 4 + 64);
	while (p < end && !ret) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		uint64_t delta = 0;
		const char *q = p;
		char num[24];

		for (; q < le && q - p < 16; q++) {
			int d = *q >= '0' && *q <= '9'	 ? *q - '0'
				: *q >= 'a' && *q <= 'f' ? *q - 'a' + 10
							 : -1;

			if (d < 0)
				break;
			delta = delta << 4 | (uint64_t)d;
		}
		if (q > p && q < le && *q == ' ') {
			addr += delta;
			snprintf(num, sizeof(num), "%016llx", (unsigned long long)addr);
			ret = sb_append(&sb, num, 16);
			if (!ret)
				ret = sb_append(&sb, q, (size_t)(le - q));
			if (!ret)
				ret = sb_append(&sb, "\n", 1);
		}
		p = le + 1;
	}
	if (!ret)
		ret = df_add_fact(r, DF_KEY_KALLSYMS, strlen(DF_KEY_KALLSYMS),
				  (const uint8_t *)(sb.buf ? sb.buf : ""), sb.len);
	sb_fini(&sb);
	if (ret)
		df_seterr(r, "out of memory");
	return ret;
}

struct df_reader *df_reader_open(const char *path, char *errbuf, size_t errlen)
{
	struct df_reader *r = calloc(1, sizeof(*r));
	uint64_t magic, hsize;
	int ret;

	if (!r || !(r->path = strdup(path ? path : "-"))) {
		free(r);
		snprintf(errbuf, errlen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	ret = df_load(r, r->path);
	if (ret)
		goto fail;
	if (r->size < 16) {
		if (r->size >= 8 && rd64(r->base) == DF_MAGIC)
			df_seterr(r, "truncated header");
		else
			df_seterr(r, "is not a perf.data file (too short)");
		ret = -EINVAL;
		goto fail;
	}
	magic = rd64(r->base);
	hsize = rd64(r->base + 8);
	ret = -EINVAL;
	if (magic == __builtin_bswap64(DF_MAGIC)) {
		df_seterr(r, "byte-swapped perf.data files are not supported");
		goto fail;
	}
	if (magic == DF_MAGIC_V1) {
		df_seterr(r, "old perf.data format (PERFFILE) is not supported");
		goto fail;
	}
	if (magic != DF_MAGIC) {
		snprintf(r->err, sizeof(r->err), "'%s' is not a perf.data file (bad magic)",
			 r->path);
		goto fail;
	}
	if (hsize == DF_PIPE_HEADER_SIZE)
		ret = df_open_pipe(r);
	else
		ret = df_open_file(r);
	if (!ret)
		ret = df_index_ids(r);
	for (size_t i = 0; !ret && i < r->nr_events; i++)
		if (!r->events[i].name || !r->events[i].name[0]) {
			free(r->events[i].name);
			r->events[i].name = df_default_name(&r->events[i].attr);
			if (!r->events[i].name)
				ret = -ENOMEM;
		}
	if (!ret)
		ret = df_decode_kallsyms(r);
	if (ret)
		goto fail;
	r->pos = r->data_start;
	return r;
fail:
	snprintf(errbuf, errlen, "%s", r->err[0] ? r->err : strerror(-ret));
	df_reader_close(r);
	errno = -ret;
	return NULL;
}

void df_reader_close(struct df_reader *r)
{
	if (!r)
		return;
	if (r->base) {
		if (r->mapped)
			munmap((void *)r->base, r->size);
		else
			free((void *)r->base);
	}
	for (size_t i = 0; i < r->nr_events; i++) {
		free(r->events[i].name);
		free(r->events[i].ids);
	}
	free(r->events);
	free(r->ids);
	for (int i = 0; i < DF_NR_STRINGS; i++)
		free(r->strings[i]);
	for (size_t i = 0; i < r->nr_bids; i++)
		free((char *)r->bids[i].path);
	free(r->bids);
	for (size_t i = 0; i < r->nr_facts; i++) {
		free(r->facts[i].key);
		free(r->facts[i].value);
	}
	free(r->facts);
	free(r->scratch);
	free(r->path);
	free(r);
}

bool df_reader_is_pipe(const struct df_reader *r)
{
	return r->pipe;
}

size_t df_reader_nr_events(const struct df_reader *r)
{
	return r->nr_events;
}

const struct df_event *df_reader_event(const struct df_reader *r, size_t i)
{
	return i < r->nr_events ? &r->events[i] : NULL;
}

const struct df_event *df_reader_event_for_id(const struct df_reader *r, uint64_t id)
{
	size_t lo = 0, hi = r->nr_ids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r->ids[mid].id == id)
			return &r->events[r->ids[mid].ev];
		if (r->ids[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct df_event *df_reader_event_for_record(const struct df_reader *r,
						  const struct perf_event_header *hdr)
{
	uint64_t id;

	if (r->nr_events == 1)
		return &r->events[0];
	if (hdr->type >= PMU_RECORD_HEADER_ATTR || pmu_record_id(hdr, &r->id_layout, &id))
		return NULL;
	return df_reader_event_for_id(r, id);
}

/* Reading is one pass: give back the pages already read so that the
 * mapping does not count in the reader's resident memory (they stay in the
 * page cache, and come back if touched again, after a rewind). */
static void df_release_behind(struct df_reader *r)
{
	const uint64_t chunk = 8ULL << 20;
	uint64_t upto;

	if (!r->mapped || r->pos < r->dropped + 2 * chunk)
		return;
	upto = (r->pos - chunk) & ~(chunk - 1);
	if (upto > r->dropped) {
		madvise((void *)(uintptr_t)(r->base + r->dropped), (size_t)(upto - r->dropped),
			MADV_DONTNEED);
		r->dropped = upto;
	}
}

int df_reader_next(struct df_reader *r, const struct perf_event_header **rec)
{
	df_release_behind(r);
	while (r->pos < r->data_end) {
		const uint8_t *p = r->base + r->pos;
		uint64_t next;
		uint16_t size;
		int ret = df_step(r, r->pos, r->data_end, &next);

		if (ret == -ENOTSUP)
			return ret;
		if (ret <= 0) {
			/* A record cut short or damaged: what came before is
			 * good; the rest is counted (the reason of damage is in
			 * df_reader_error). */
			r->ignored = r->data_end - r->pos;
			r->cut_short = true;
			r->pos = r->data_end;
			return 0;
		}
		r->last_off = r->pos;
		r->pos = next;
		if (rd32(p) >= PMU_RECORD_HEADER_ATTR)
			continue; /* perf's meta records: read at open */
		size = rd16(p + 6);
		if ((uintptr_t)p % 8) {
			/* Callers read u64 fields in place: give them aligned bytes. */
			if ((size_t)size / 8 + 1 > r->scratch_cap) {
				uint64_t *s = realloc(r->scratch, 8192 * sizeof(uint64_t));

				if (!s)
					return -ENOMEM;
				r->scratch = s;
				r->scratch_cap = 8192;
			}
			memcpy(r->scratch, p, size);
			p = (const uint8_t *)r->scratch;
		}
		*rec = (const struct perf_event_header *)(const void *)p;
		return 1;
	}
	return 0;
}

void df_reader_rewind(struct df_reader *r)
{
	r->pos = r->data_start;
	r->dropped = 0;
}

uint64_t df_reader_offset(const struct df_reader *r)
{
	return r->last_off;
}

const char *df_reader_error(const struct df_reader *r)
{
	return r->err;
}

bool df_reader_cut_short(const struct df_reader *r)
{
	return r->cut_short;
}

uint64_t df_reader_ignored_bytes(const struct df_reader *r)
{
	return r->ignored;
}

const char *df_reader_string(const struct df_reader *r, enum df_string which)
{
	if ((int)which < 0 || which >= DF_NR_STRINGS)
		return NULL;
	return r->strings[which];
}

uint32_t df_reader_nr_cpus(const struct df_reader *r, uint32_t *available)
{
	if (available)
		*available = r->nr_avail;
	return r->nr_online;
}

size_t df_reader_nr_build_ids(const struct df_reader *r)
{
	return r->nr_bids;
}

const struct df_build_id *df_reader_build_id(const struct df_reader *r, size_t i)
{
	return i < r->nr_bids ? &r->bids[i] : NULL;
}

const struct df_build_id *df_reader_build_id_for_path(const struct df_reader *r, const char *path)
{
	for (size_t i = 0; path && i < r->nr_bids; i++)
		if (!strcmp(r->bids[i].path, path))
			return &r->bids[i];
	return NULL;
}

static const struct df_fact *df_find_fact(const struct df_reader *r, const char *key)
{
	for (size_t i = 0; key && i < r->nr_facts; i++)
		if (!strcmp(r->facts[i].key, key))
			return &r->facts[i];
	return NULL;
}

const char *df_reader_fact(const struct df_reader *r, const char *key)
{
	const struct df_fact *f = df_find_fact(r, key);

	return f ? f->value : NULL;
}

int df_reader_fact_u64(const struct df_reader *r, const char *key, uint64_t *out)
{
	const char *v = df_reader_fact(r, key);

	if (!v)
		return -ENOENT;
	return parse_u64(v, 0, UINT64_MAX, out) ? -EINVAL : 0;
}

int df_reader_kallsyms(const struct df_reader *r, const char **text, size_t *len)
{
	const struct df_fact *f = df_find_fact(r, DF_KEY_KALLSYMS);

	if (!f)
		return -ENOENT;
	*text = f->value;
	if (len)
		*len = f->len;
	return 0;
}
