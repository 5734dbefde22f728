/* Range-checked parsing of numbers and integer lists given on the command line. */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_int(const char *s, int min, int max, int *out)
{
	int64_t v;
	int err = parse_i64(s, min, max, &v);

	if (!err)
		*out = (int)v;
	return err;
}

int parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (*end || isnan(v))
		return -EINVAL;
	if (errno == ERANGE || isinf(v) || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int int_list_push(struct int_list *l, int v)
{
	/* capacity is implicit: the array doubles whenever nr reaches a power of two */
	if ((l->nr & (l->nr - 1)) == 0) {
		size_t ncap = l->nr ? l->nr * 2 : 4;
		int *nv = realloc(l->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		l->v = nv;
	}
	l->v[l->nr++] = v;
	return 0;
}

int int_list_parse(struct int_list *l, const char *s, int min, int max)
{
	const char *p = s;
	size_t i, j;
	int err;

	l->v = NULL;
	l->nr = 0;
	if (!s || !*s)
		return -EINVAL;
	while (*p) {
		char buf[32];
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char *dash;
		int lo, hi;

		if (n == 0 || n >= sizeof(buf)) {
			err = -EINVAL;
			goto fail;
		}
		memcpy(buf, p, n);
		buf[n] = '\0';
		dash = strchr(buf + 1, '-');
		if (dash) {
			*dash = '\0';
			err = parse_int(buf, min, max, &lo);
			if (!err)
				err = parse_int(dash + 1, min, max, &hi);
			if (!err && hi < lo)
				err = -EINVAL;
		} else {
			err = parse_int(buf, min, max, &lo);
			hi = lo;
		}
		if (err)
			goto fail;
		if ((int64_t)hi - lo > 1 << 20) {
			err = -ERANGE;
			goto fail;
		}
		for (int v = lo; v <= hi; v++) {
			err = int_list_push(l, v);
			if (err)
				goto fail;
		}
		p += n;
		if (*p == ',') {
			p++;
			if (!*p) {
				err = -EINVAL;
				goto fail;
			}
		}
	}
	qsort(l->v, l->nr, sizeof(*l->v), cmp_int);
	for (i = 0, j = 0; i < l->nr; i++)
		if (j == 0 || l->v[j - 1] != l->v[i])
			l->v[j++] = l->v[i];
	l->nr = j;
	return 0;
fail:
	int_list_fini(l);
	return err;
}

int int_list_online_cpus(struct int_list *l)
{
	char *text = NULL;
	size_t len;
	int err;

	err = read_file("/sys/devices/system/cpu/online", 4096, &text, &len);
	if (err)
		return err;
	while (len && isspace((unsigned char)text[len - 1]))
		text[--len] = '\0';
	err = int_list_parse(l, text, 0, 1 << 20);
	free(text);
	return err;
}

bool int_list_has(const struct int_list *l, int v)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->v[i] == v)
			return true;
	return false;
}

void int_list_fini(struct int_list *l)
{
	free(l->v);
	l->v = NULL;
	l->nr = 0;
}
