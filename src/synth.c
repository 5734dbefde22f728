/* Synthesizing COMM, MMAP2 and the kernel MMAP record from /proc for what
 * already runs when a recording starts. */
#include "config.h"

#include "synth.h"
#include "symbolize.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A record is at most 64 KiB (u16 size); a path at most PATH_MAX. */
#define SYNTH_BUF 8192

struct synth_bid {
	char *path;
	uint8_t id[20];
	uint8_t len; /* 0: the file has none (or cannot be read) */
};

void synth_init(struct synth *s, const struct perf_event_attr *attr, uint64_t id,
		int (*emit)(void *arg, const struct perf_event_header *rec), void *arg)
{
	memset(s, 0, sizeof(*s));
	s->sample_type = attr->sample_type;
	s->sample_id_all = attr->sample_id_all;
	s->id = id;
	s->build_ids = true;
	s->data_maps = attr->mmap_data;
	s->emit = emit;
	s->arg = arg;
}

void synth_fini(struct synth *s)
{
	for (size_t i = 0; i < s->nr_bids; i++)
		free(s->bids[i].path);
	free(s->bids);
	free(s->buf);
	memset(s, 0, sizeof(*s));
}

static size_t pad8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* The sample_id trailer perf expects on every kernel record: the field
 * order is TID, TIME, ID, STREAM_ID, CPU, IDENTIFIER. Time 0 sorts the
 * synthesized records before everything the kernel wrote. */
static size_t put_trailer(const struct synth *s, uint8_t *p, uint32_t pid, uint32_t tid)
{
	uint64_t t = s->sample_type, zero = 0;
	size_t n = 0;

	if (!s->sample_id_all)
		return 0;
	if (t & PERF_SAMPLE_TID) {
		memcpy(p + n, &pid, 4);
		memcpy(p + n + 4, &tid, 4);
		n += 8;
	}
	if (t & PERF_SAMPLE_TIME) {
		memcpy(p + n, &zero, 8);
		n += 8;
	}
	if (t & PERF_SAMPLE_ID) {
		memcpy(p + n, &s->id, 8);
		n += 8;
	}
	if (t & PERF_SAMPLE_STREAM_ID) {
		memcpy(p + n, &s->id, 8);
		n += 8;
	}
	if (t & PERF_SAMPLE_CPU) {
		memcpy(p + n, &zero, 8);
		n += 8;
	}
	if (t & PERF_SAMPLE_IDENTIFIER) {
		memcpy(p + n, &s->id, 8);
		n += 8;
	}
	return n;
}

static int ensure_buf(struct synth *s)
{
	if (!s->buf)
		s->buf = calloc(1, SYNTH_BUF);
	return s->buf ? 0 : -ENOMEM;
}

/* Hands on the record built in s->buf, off bytes so far: the trailer
 * goes after them, the header h (its size now known) before. */
static int emit_record(struct synth *s, struct perf_event_header h, size_t off, uint32_t pid,
		       uint32_t tid)
{
	uint8_t *p = (uint8_t *)s->buf;

	off += put_trailer(s, p + off, pid, tid);
	h.size = (uint16_t)off;
	memcpy(p, &h, sizeof(h));
	s->records++;
	return s->emit(s->arg, (const struct perf_event_header *)p);
}

static int emit_comm(struct synth *s, uint32_t pid, uint32_t tid, const char *comm)
{
	struct perf_event_header h = { .type = PERF_RECORD_COMM };
	size_t n = strnlen(comm, 16), off = sizeof(h);
	uint8_t *p;

	if (ensure_buf(s))
		return -ENOMEM;
	p = (uint8_t *)s->buf;
	memset(p, 0, 256);
	memcpy(p + off, &pid, 4);
	memcpy(p + off + 4, &tid, 4);
	off += 8;
	memcpy(p + off, comm, n);
	off += pad8(n + 1);
	return emit_record(s, h, off, pid, tid);
}

static const struct synth_bid *lookup_bid(struct synth *s, const char *path)
{
	struct synth_bid *b;
	size_t len = 0;
	int err;

	for (size_t i = 0; i < s->nr_bids; i++)
		if (!strcmp(s->bids[i].path, path))
			return &s->bids[i];
	if (grow_array(&s->bids, &s->cap_bids, s->nr_bids + 1, sizeof(*s->bids)))
		return NULL;
	b = &s->bids[s->nr_bids];
	memset(b, 0, sizeof(*b));
	b->path = strdup(path);
	if (!b->path)
		return NULL;
	err = sym_read_build_id(path, b->id, sizeof(b->id), &len);
	if (!err && len > 0 && len <= sizeof(b->id))
		b->len = (uint8_t)len;
	s->nr_bids++;
	return b;
}

struct map_line {
	uint64_t start, end, pgoff, ino;
	unsigned int maj, min;
	char perms[5];
	const char *path;
};

/* "start-end perms offset maj:min inode   path" */
static bool parse_map_line(char *line, struct map_line *m)
{
	int n = 0;

	memset(m, 0, sizeof(*m));
	if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %4s %" SCNx64 " %x:%x %" SCNu64 " %n",
		   &m->start, &m->end, m->perms, &m->pgoff, &m->maj, &m->min, &m->ino, &n) < 7)
		return false;
	if (m->end <= m->start || strlen(m->perms) != 4)
		return false;
	m->path = line + n;
	while (*m->path == ' ')
		m->path++;
	return true;
}

static int emit_mmap2(struct synth *s, uint32_t pid, const struct map_line *m, bool own_root)
{
	struct perf_event_header h = { .type = PERF_RECORD_MMAP2, .misc = PERF_RECORD_MISC_USER };
	const char *path = *m->path ? m->path : "//anon";
	size_t plen = strlen(path), off = sizeof(h);
	uint32_t prot = 0, flags;
	const struct synth_bid *bid = NULL;
	uint8_t *p;

	if (plen > SYNTH_BUF - 256)
		return 0;
	if (ensure_buf(s))
		return -ENOMEM;
	p = (uint8_t *)s->buf;
	if (m->perms[2] != 'x')
		h.misc |= PERF_RECORD_MISC_MMAP_DATA;
	else if (s->build_ids && path[0] == '/' && m->ino && !own_root)
		bid = lookup_bid(s, path);
	else if (s->build_ids && path[0] == '/' && m->ino) {
		/* a process in another mount namespace (a container) sees
		 * its own files: read them through its root */
		char rooted[PATH_MAX + 32];

		if (snprintf(rooted, sizeof(rooted), "/proc/%u/root%s", pid, path) <
		    (int)sizeof(rooted))
			bid = lookup_bid(s, rooted);
	}
	if (m->perms[0] == 'r')
		prot |= PROT_READ;
	if (m->perms[1] == 'w')
		prot |= PROT_WRITE;
	if (m->perms[2] == 'x')
		prot |= PROT_EXEC;
	flags = m->perms[3] == 's' ? MAP_SHARED : MAP_PRIVATE;
	memset(p, 0, pad8(plen + 1) + 160);
	memcpy(p + off, &pid, 4);
	memcpy(p + off + 4, &pid, 4);
	memcpy(p + off + 8, &m->start, 8);
	{
		uint64_t len = m->end - m->start;

		memcpy(p + off + 16, &len, 8);
	}
	memcpy(p + off + 24, &m->pgoff, 8);
	off += 32;
	if (bid && bid->len) {
		/* the union's build-id form: u8 size, 3 reserved, 20 bytes */
		h.misc |= PERF_RECORD_MISC_MMAP_BUILD_ID;
		p[off] = bid->len;
		memcpy(p + off + 4, bid->id, bid->len);
	} else {
		uint64_t gen = 0;

		memcpy(p + off, &m->maj, 4);
		memcpy(p + off + 4, &m->min, 4);
		memcpy(p + off + 8, &m->ino, 8);
		memcpy(p + off + 16, &gen, 8);
	}
	off += 24;
	memcpy(p + off, &prot, 4);
	memcpy(p + off + 4, &flags, 4);
	off += 8;
	memcpy(p + off, path, plen);
	off += pad8(plen + 1);
	return emit_record(s, h, off, pid, pid);
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
}

struct synth_task {
	struct synth *s;
	pid_t pid;
};

static int synth_thread(void *arg, int tid)
{
	const struct synth_task *t = arg;
	char path[64], *comm = NULL;
	int err;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", (int)t->pid, tid);
	if (read_file(path, 256, &comm, NULL))
		return 0; /* the thread exited meanwhile */
	chomp(comm);
	err = emit_comm(t->s, (uint32_t)t->pid, (uint32_t)tid, comm);
	free(comm);
	return err;
}

static int synth_threads(struct synth *s, pid_t pid)
{
	struct synth_task t = { s, pid };
	int err = proc_for_each_thread(pid, synth_thread, &t);

	return err == -ENOENT ? -ESRCH : err;
}

/* True when pid's root directory is not ours (a container, a chroot). */
static bool has_own_root(pid_t pid)
{
	char path[64];
	struct stat a, b;

	snprintf(path, sizeof(path), "/proc/%d/root", (int)pid);
	if (stat(path, &a) || stat("/", &b))
		return false;
	return a.st_dev != b.st_dev || a.st_ino != b.st_ino;
}

int synth_process(struct synth *s, pid_t pid)
{
	bool own_root;
	char path[64], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int err;

	err = synth_threads(s, pid);
	if (err)
		return err;
	own_root = has_own_root(pid);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? -ESRCH : -errno;
	while (getline(&line, &cap, f) > 0) {
		struct map_line m;

		chomp(line);
		if (!parse_map_line(line, &m))
			continue;
		if (m.perms[2] != 'x' && !(s->data_maps && m.path[0] == '/'))
			continue;
		/* the kernel's own mapping, not the process's */
		if (!strcmp(m.path, "[vsyscall]"))
			continue;
		err = emit_mmap2(s, (uint32_t)pid, &m, own_root);
		if (err)
			break;
	}
	free(line);
	fclose(f);
	return err;
}

int synth_all_processes(struct synth *s)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	int err = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		int pid;

		if (parse_int(de->d_name, 1, INT32_MAX, &pid))
			continue;
		err = synth_process(s, pid);
		if (err == -ESRCH || err == -EACCES || err == -EPERM)
			err = 0;
		if (err)
			break;
	}
	closedir(d);
	return err;
}

/* The address of _text (perf's reference relocation symbol), from kallsyms.
 * Returns 0 or -ENOENT (absent, or hidden as 0). */
static int kernel_text_addr(uint64_t *addr)
{
	char line[512];
	FILE *f = fopen("/proc/kallsyms", "re");
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		uint64_t a;
		char type, name[256];

		if (sscanf(line, "%" SCNx64 " %c %255s", &a, &type, &name[0]) != 3)
			continue;
		if (!strcmp(name, "_text") || !strcmp(name, "_stext")) {
			if (a) {
				*addr = a;
				err = 0;
			}
			if (!strcmp(name, "_text"))
				break;
		}
	}
	fclose(f);
	return err;
}

int synth_kernel(struct synth *s)
{
	static const char name[] = "[kernel.kallsyms]_text";
	struct perf_event_header h = { .type = PERF_RECORD_MMAP, .misc = PERF_RECORD_MISC_KERNEL };
	uint32_t pid = UINT32_MAX, tid = 0; /* perf's host kernel "pid" is -1 */
	uint64_t text, len;
	size_t off = sizeof(h);
	uint8_t *p;
	int err = kernel_text_addr(&text);

	if (err)
		return err;
	if (ensure_buf(s))
		return -ENOMEM;
	p = (uint8_t *)s->buf;
	memset(p, 0, 256);
	len = UINT64_MAX - text;
	memcpy(p + off, &pid, 4);
	memcpy(p + off + 4, &tid, 4);
	memcpy(p + off + 8, &text, 8);
	memcpy(p + off + 16, &len, 8);
	memcpy(p + off + 24, &text, 8); /* pgoff: where _text is, as perf has it */
	off += 32;
	memcpy(p + off, name, sizeof(name));
	off += pad8(sizeof(name));
	return emit_record(s, h, off, pid, tid);
}

int synth_kernel_build_id(uint8_t *out, size_t cap, size_t *len)
{
	char *notes = NULL;
	size_t n = 0, off = 0;
	int err = read_file("/sys/kernel/notes", 1 << 16, &notes, &n);

	if (err)
		return err;
	err = -ENOENT;
	/* ELF notes: u32 namesz, descsz, type; name and desc padded to 4 */
	while (off + 12 <= n) {
		uint32_t nsz, dsz, type;
		size_t name_off = off + 12, desc_off;

		memcpy(&nsz, notes + off, 4);
		memcpy(&dsz, notes + off + 4, 4);
		memcpy(&type, notes + off + 8, 4);
		desc_off = name_off + ((nsz + 3) & ~3u);
		if (nsz > n || dsz > n || desc_off + dsz > n)
			break;
		if (type == 3 /* NT_GNU_BUILD_ID */ && nsz == 4 &&
		    !memcmp(notes + name_off, "GNU", 4)) {
			if (dsz > cap) {
				err = -ENOSPC;
				break;
			}
			memcpy(out, notes + desc_off, dsz);
			*len = dsz;
			err = 0;
			break;
		}
		off = desc_off + ((dsz + 3) & ~3u);
	}
	free(notes);
	return err;
}
