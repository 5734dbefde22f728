/* proto: serializes a built profile with protobuf-c and writes it gzipped.
 *
 * The profile is never assembled as one protobuf-c message tree: each
 * top-level entry (a sample, a mapping, ...) is packed by protobuf-c from a
 * message on the stack that points into the builder's arrays, preceded by
 * its field tag and length, and streamed into zlib. A protobuf message is
 * the concatenation of its fields, so this is the same encoding as packing
 * the whole Profile, without a second copy of the profile in memory. */
#include "config.h"

#include "pprof-int.h"
#include "profile.pb-c.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define SINK_IN (256 * 1024)
#define SINK_OUT (256 * 1024)

/* Where packed bytes go: a memory buffer, or deflate into a descriptor.
 * protobuf-c's append callback cannot fail, so the first error is kept and
 * everything after it is dropped. */
struct sink {
	ProtobufCBuffer base;
	int err;
	struct strbuf *mem;
	int fd;
	z_stream zs;
	unsigned char *in, *out;
	size_t in_len;
};

static int sink_deflate(struct sink *s, const unsigned char *data, size_t len, int flush)
{
	s->zs.next_in = (Bytef *)data;
	s->zs.avail_in = (uInt)len;
	for (;;) {
		int rc;

		s->zs.next_out = s->out;
		s->zs.avail_out = SINK_OUT;
		rc = deflate(&s->zs, flush);
		if (rc == Z_STREAM_ERROR)
			return -EIO;
		if (s->zs.avail_out < SINK_OUT) {
			int err = write_full(s->fd, s->out, SINK_OUT - s->zs.avail_out);

			if (err)
				return err;
		}
		if (flush == Z_FINISH ? rc == Z_STREAM_END : s->zs.avail_in == 0 && s->zs.avail_out != 0)
			return 0;
	}
}

static void sink_append(ProtobufCBuffer *buf, size_t len, const uint8_t *data)
{
	struct sink *s = (struct sink *)buf;

	if (s->err || !len)
		return;
	if (s->mem) {
		s->err = sb_append(s->mem, data, len);
		return;
	}
	if (s->in_len + len > SINK_IN) {
		if (s->in_len) {
			s->err = sink_deflate(s, s->in, s->in_len, Z_NO_FLUSH);
			s->in_len = 0;
			if (s->err)
				return;
		}
		if (len > SINK_IN) {
			/* uInt bounds one deflate call; SINK_IN keeps chunks small */
			while (len && !s->err) {
				size_t n = len > SINK_IN ? SINK_IN : len;

				s->err = sink_deflate(s, data, n, Z_NO_FLUSH);
				data += n;
				len -= n;
			}
			return;
		}
	}
	memcpy(s->in + s->in_len, data, len);
	s->in_len += len;
}

static void put_varint(struct sink *s, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;

	while (v >= 0x80) {
		b[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (uint8_t)v;
	sink_append(&s->base, n, b);
}

/* One length-delimited field of the Profile holding msg. */
static void put_msg(struct sink *s, unsigned field, const ProtobufCMessage *msg)
{
	put_varint(s, (uint64_t)field << 3 | 2);
	put_varint(s, protobuf_c_message_get_packed_size(msg));
	protobuf_c_message_pack_to_buffer(msg, &s->base);
}

static int put_head(struct sink *s, const struct pprof_builder *b)
{
	Perftools__Profiles__Profile p = PERFTOOLS__PROFILES__PROFILE__INIT;
	Perftools__Profiles__ValueType *vt, **vtp;

	if (!b->nr_types)
		return 0;
	vt = calloc(b->nr_types, sizeof(*vt));
	vtp = calloc(b->nr_types, sizeof(*vtp));
	if (!vt || !vtp) {
		free(vt);
		free(vtp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < b->nr_types; i++) {
		perftools__profiles__value_type__init(&vt[i]);
		vt[i].type = b->types[2 * i];
		vt[i].unit = b->types[2 * i + 1];
		vtp[i] = &vt[i];
	}
	p.n_sample_type = b->nr_types;
	p.sample_type = vtp;
	protobuf_c_message_pack_to_buffer(&p.base, &s->base);
	free(vtp);
	free(vt);
	return 0;
}

static int put_samples(struct sink *s, const struct pprof_builder *b)
{
	Perftools__Profiles__Label *lab = NULL, **labp = NULL;
	size_t n = b->max_labset;

	if (n) {
		lab = calloc(n, sizeof(*lab));
		labp = calloc(n, sizeof(*labp));
		if (!lab || !labp) {
			free(lab);
			free(labp);
			return -ENOMEM;
		}
	}
	for (size_t i = 0; i < n; i++) {
		perftools__profiles__label__init(&lab[i]);
		labp[i] = &lab[i];
	}
	for (size_t i = 0; i < b->nr_smps && !s->err; i++) {
		Perftools__Profiles__Sample m = PERFTOOLS__PROFILES__SAMPLE__INIT;
		const struct pprof_smp *sm = &b->smps[i];
		const struct pprof_labset *ls = &b->labsets[sm->labset];

		m.n_location_id = sm->nr_locs;
		m.location_id = sm->nr_locs ? b->locids + sm->loc_off : NULL;
		m.n_value = b->nr_types;
		m.value = b->vals + sm->val_off;
		for (uint32_t j = 0; j < ls->nr; j++) {
			const struct pprof_lab *l = &b->labs[ls->off + j];

			lab[j].key = l->key;
			lab[j].str = l->str;
			lab[j].num = l->num;
			lab[j].num_unit = l->num_unit;
		}
		m.n_label = ls->nr;
		m.label = labp;
		put_msg(s, 2, &m.base);
	}
	free(labp);
	free(lab);
	return 0;
}

static void put_mappings(struct sink *s, const struct pprof_builder *b)
{
	for (size_t i = 0; i < b->nr_maps && !s->err; i++) {
		Perftools__Profiles__Mapping m = PERFTOOLS__PROFILES__MAPPING__INIT;
		const struct pprof_map *pm = &b->maps[i];

		m.id = i + 1;
		m.memory_start = pm->start;
		m.memory_limit = pm->limit;
		m.file_offset = pm->offset;
		m.filename = pm->filename;
		m.build_id = pm->build_id;
		m.has_functions = pm->has_functions;
		m.has_filenames = pm->has_filenames;
		m.has_line_numbers = pm->has_line_numbers;
		m.has_inline_frames = pm->has_inline_frames;
		put_msg(s, 3, &m.base);
	}
}

static int put_locations(struct sink *s, const struct pprof_builder *b)
{
	Perftools__Profiles__Line *ln = NULL, **lnp = NULL;
	size_t cap = 0, cap2 = 0;

	for (size_t i = 0; i < b->nr_locs && !s->err; i++) {
		Perftools__Profiles__Location m = PERFTOOLS__PROFILES__LOCATION__INIT;
		const struct pprof_loc *pl = &b->locs[i];

		if (pl->nr_lines > cap) {
			if (grow_array(&ln, &cap, pl->nr_lines, sizeof(*ln)) ||
			    grow_array(&lnp, &cap2, cap, sizeof(*lnp))) {
				free(ln);
				free(lnp);
				return -ENOMEM;
			}
			/* the pointers are rebuilt because ln may have moved */
			for (size_t j = 0; j < cap; j++) {
				perftools__profiles__line__init(&ln[j]);
				lnp[j] = &ln[j];
			}
		}
		for (uint32_t j = 0; j < pl->nr_lines; j++) {
			const struct pprof_line *l = &b->lines[pl->line_off + j];

			ln[j].function_id = l->function_id;
			ln[j].line = l->line;
			ln[j].column = l->column;
		}
		m.id = i + 1;
		m.mapping_id = pl->mapping_id;
		m.address = pl->address;
		m.n_line = pl->nr_lines;
		m.line = lnp;
		put_msg(s, 4, &m.base);
	}
	free(lnp);
	free(ln);
	return 0;
}

static void put_functions(struct sink *s, const struct pprof_builder *b)
{
	for (size_t i = 0; i < b->nr_funcs && !s->err; i++) {
		Perftools__Profiles__Function m = PERFTOOLS__PROFILES__FUNCTION__INIT;
		const struct pprof_func *f = &b->funcs[i];

		m.id = i + 1;
		m.name = f->name;
		m.system_name = f->system_name;
		m.filename = f->filename;
		m.start_line = f->start_line;
		put_msg(s, 5, &m.base);
	}
}

static int put_tail(struct sink *s, const struct pprof_builder *b)
{
	Perftools__Profiles__Profile p = PERFTOOLS__PROFILES__PROFILE__INIT;
	Perftools__Profiles__ValueType pt = PERFTOOLS__PROFILES__VALUE_TYPE__INIT;
	char **strs = calloc(b->nr_strs, sizeof(*strs));

	if (!strs)
		return -ENOMEM;
	for (size_t i = 0; i < b->nr_strs; i++)
		strs[i] = b->chars + b->strs[i].off;
	p.n_string_table = b->nr_strs;
	p.string_table = strs;
	p.time_nanos = b->time_nanos;
	p.duration_nanos = b->duration_nanos;
	if (b->period_type || b->period_unit) {
		pt.type = b->period_type;
		pt.unit = b->period_unit;
		p.period_type = &pt;
	}
	p.period = b->period;
	p.n_comment = b->nr_comments;
	p.comment = b->comments;
	p.default_sample_type = b->default_type;
	p.doc_url = b->doc_url;
	protobuf_c_message_pack_to_buffer(&p.base, &s->base);
	free(strs);
	return 0;
}

/* Fields in the order of their numbers, as protobuf-c itself would. */
static int put_profile(struct sink *s, const struct pprof_builder *b)
{
	int err;

	err = put_head(s, b);
	if (!err)
		err = put_samples(s, b);
	if (!err)
		put_mappings(s, b);
	if (!err)
		err = put_locations(s, b);
	if (!err)
		put_functions(s, b);
	if (!err)
		err = put_tail(s, b);
	return err ? err : s->err;
}

int pprof_serialize(const struct pprof_builder *b, void **out, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	struct sink s = { .base.append = sink_append, .mem = &sb, .fd = -1 };
	int err = put_profile(&s, b);

	if (err) {
		sb_fini(&sb);
		return err;
	}
	*len = sb.len;
	*out = sb_detach(&sb);
	if (!*out) {
		/* an empty profile packs to nothing; hand back a valid buffer */
		*out = malloc(1);
		if (!*out)
			return -ENOMEM;
	}
	return 0;
}

int pprof_write_gz_fd(const struct pprof_builder *b, int fd, int level)
{
	struct sink s = { .base.append = sink_append, .fd = fd };
	int err;

	if (level <= 0 || level > 9)
		level = 6;
	s.in = malloc(SINK_IN);
	s.out = malloc(SINK_OUT);
	if (!s.in || !s.out) {
		err = -ENOMEM;
		goto out;
	}
	/* 15 + 16: a gzip header and trailer rather than a raw zlib stream */
	if (deflateInit2(&s.zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		err = -ENOMEM;
		goto out;
	}
	err = put_profile(&s, b);
	if (!err)
		err = sink_deflate(&s, s.in, s.in_len, Z_FINISH);
	deflateEnd(&s.zs);
out:
	free(s.out);
	free(s.in);
	return err;
}

/* Writes through a temporary file in path's directory, renamed into place. */
static int write_replace(const struct pprof_builder *b, const char *path, int level)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 8);
	int fd, err;

	if (!tmp)
		return -ENOMEM;
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".XXXXXX", 8);
	fd = mkostemp(tmp, O_CLOEXEC); /* mode 0600, O_EXCL: never follows a link */
	if (fd < 0) {
		err = -errno;
		free(tmp);
		return err;
	}
	err = pprof_write_gz_fd(b, fd, level);
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	free(tmp);
	return err;
}

int pprof_write_gz(const struct pprof_builder *b, const char *path, int level)
{
	struct stat st;
	int fd, err;

	if (!path || !*path)
		return -EINVAL;
	if (lstat(path, &st)) {
		if (errno != ENOENT)
			return -errno;
		return write_replace(b, path, level);
	}
	if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
		return write_replace(b, path, level);
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	/* a FIFO, a device, a socket: write in place */
	fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	err = pprof_write_gz_fd(b, fd, level);
	if (close(fd) && !err)
		err = -errno;
	return err;
}
