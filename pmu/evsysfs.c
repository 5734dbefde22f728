/* Kernel PMUs from sysfs (/sys/bus/event_source/devices/PMU): perf's
 * "pmu/term=value,alias/" events (cpu/event=0x3c,umask=0/, msr/tsc/), with
 * the PMU's type, its format fields (which config bits a term fills) and
 * its event aliases. */
#include "config.h"

#include "evint.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SYSFS_PMUS "/sys/bus/event_source/devices"

static const char *pmus_dir(void)
{
	const char *env = getenv("CPERF_SYSFS_PMU");

	return env && *env ? env : SYSFS_PMUS;
}

/* A PMU or alias name that cannot walk out of its directory. */
static bool safe_name(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/' || !isprint((unsigned char)s[i]))
			return false;
	return true;
}

bool pmu_sysfs_exists(const char *pmu)
{
	char path[4096];
	struct stat st;

	if (!safe_name(pmu, strlen(pmu)))
		return false;
	snprintf(path, sizeof(path), "%s/%s/type", pmus_dir(), pmu);
	return stat(path, &st) == 0;
}

/* Reads PMU/sub/name (one short line) into buf without the newline. */
static int read_attr(const char *pmu, const char *sub, const char *name, size_t nlen, char *buf,
		     size_t len)
{
	char path[4096], *data;
	size_t n;
	int ret;

	if (!safe_name(name, nlen))
		return -ENOENT;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s/%.*s", pmus_dir(), pmu, sub, (int)nlen,
			     name) >= sizeof(path))
		return -ENAMETOOLONG;
	ret = read_file(path, 4096, &data, &n);
	if (ret)
		return ret;
	/* read_file leaves an empty file's buffer unterminated (it has room) */
	data[n] = '\0';
	while (n && isspace((unsigned char)data[n - 1]))
		data[--n] = '\0';
	if (n >= len) {
		free(data);
		return -E2BIG;
	}
	memcpy(buf, data, n + 1);
	free(data);
	return 0;
}

/* Puts value into the bits a format ("config:0-7,21", "config1:0-15")
 * names; 0, -EINVAL (bad format) or -ERANGE (value too wide). */
static int place_bits(const char *fmt, uint64_t value, struct perf_event_attr *attr,
		      unsigned int *width)
{
	const char *colon = strchr(fmt, ':'), *p;
	__u64 *field;
	unsigned int used = 0;

	if (!colon)
		return -EINVAL;
	if (colon - fmt == 6 && !strncmp(fmt, "config", 6))
		field = &attr->config;
	else if (colon - fmt == 7 && !strncmp(fmt, "config1", 7))
		field = &attr->config1;
	else if (colon - fmt == 7 && !strncmp(fmt, "config2", 7))
		field = &attr->config2;
	else
		return -EINVAL; /* config3 and later: not in our headers */
	p = colon + 1;
	while (*p) {
		char *end;
		unsigned long lo, hi;

		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		lo = strtoul(p, &end, 10);
		hi = lo;
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -EINVAL;
			hi = strtoul(end + 1, &end, 10);
		}
		if (hi < lo || hi > 63)
			return -EINVAL;
		for (unsigned long b = lo; b <= hi; b++, used++) {
			if (used < 64 && (value >> used) & 1)
				*field |= 1ULL << b;
			else if (used < 64)
				*field &= ~(1ULL << b);
		}
		if (*end == ',')
			end++;
		else if (*end)
			return -EINVAL;
		p = end;
	}
	*width = used;
	if (used < 64 && value >> used)
		return -ERANGE;
	return 0;
}

/* Applies "a=1,b,c=0x3" to attr; depth guards alias loops. */
static int apply_terms(const char *pmu, const char *s, size_t n, struct perf_event_attr *attr,
		       int depth, char *why, size_t len)
{
	size_t i = 0;

	while (i < n) {
		size_t end = i, eq;
		char fmt[256], val[64], alias[1024];
		uint64_t v = 1;
		unsigned int width = 0;
		int ret;

		while (end < n && s[end] != ',')
			end++;
		for (eq = i; eq < end && s[eq] != '='; eq++)
			;
		if (end == i) {
			snprintf(why, len, "empty term");
			return -EINVAL;
		}
		if (eq < end) {
			if (end - eq - 1 == 0 || end - eq - 1 >= sizeof(val)) {
				snprintf(why, len, "bad value in term '%.*s'",
					 (int)(end - i) > 60 ? 60 : (int)(end - i), s + i);
				return -EINVAL;
			}
			memcpy(val, s + eq + 1, end - eq - 1);
			val[end - eq - 1] = '\0';
			if (val[0] == '-' || parse_u64(val, 0, UINT64_MAX, &v)) {
				char *e;

				errno = 0;
				v = strtoull(val, &e, 0);
				if (val[0] == '-' || *e || errno) {
					snprintf(why, len, "bad value in term '%.*s'",
						 (int)(end - i) > 60 ? 60 : (int)(end - i), s + i);
					return -EINVAL;
				}
			}
		}
		ret = read_attr(pmu, "format", s + i, eq - i, fmt, sizeof(fmt));
		if (ret == 0) {
			ret = place_bits(fmt, v, attr, &width);
			if (ret == -ERANGE) {
				snprintf(why, len, "value of '%.*s' does not fit in its %u bits",
					 (int)(eq - i) > 60 ? 60 : (int)(eq - i), s + i, width);
				return -EINVAL;
			}
			if (ret) {
				snprintf(why, len, "cannot read the format of '%.*s'",
					 (int)(eq - i) > 60 ? 60 : (int)(eq - i), s + i);
				return -EINVAL;
			}
		} else if (eq == end && depth == 0 &&
			   read_attr(pmu, "events", s + i, end - i, alias, sizeof(alias)) == 0) {
			if (!alias[0]) {
				snprintf(why, len, "event '%.*s' of PMU '%s' is empty in sysfs",
					 (int)(end - i) > 60 ? 60 : (int)(end - i), s + i, pmu);
				return -EINVAL;
			}
			ret = apply_terms(pmu, alias, strlen(alias), attr, depth + 1, why, len);
			if (ret)
				return ret;
		} else {
			snprintf(why, len, "PMU '%s' has no %s '%.*s'", pmu,
				 eq == end ? "event or format term" : "format term",
				 (int)(eq - i) > 60 ? 60 : (int)(eq - i), s + i);
			return -ENOENT;
		}
		i = end + 1;
	}
	return 0;
}

int pmu_sysfs_encode(const char *pmu, const char *terms, size_t n, struct perf_event_attr *attr,
		     char *why, size_t len)
{
	char type[32];
	uint64_t t;
	int ret;

	why[0] = '\0';
	memset(attr, 0, sizeof(*attr));
	ret = read_attr(pmu, ".", "type", 4, type, sizeof(type));
	if (ret || parse_u64(type, 0, UINT32_MAX, &t)) {
		snprintf(why, len, "cannot read the type of PMU '%s'", pmu);
		return -ENOENT;
	}
	attr->type = (uint32_t)t;
	attr->size = sizeof(*attr);
	return apply_terms(pmu, terms, n, attr, 0, why, len);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dir (no dot files, no ".scale"/".unit" companions). */
static int dir_names(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t nr = 0, cap = 0;

	*out = NULL;
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strchr(de->d_name, '.'))
			continue;
		if (grow_array(&v, &cap, nr + 1, sizeof(*v)) || !(v[nr] = strdup(de->d_name))) {
			closedir(d);
			while (nr)
				free(v[--nr]);
			free(v);
			return -ENOMEM;
		}
		nr++;
	}
	closedir(d);
	if (nr > 1)
		qsort(v, nr, sizeof(*v), name_cmp);
	*out = v;
	return (int)nr;
}

static void names_free(char **v, int nr)
{
	for (int i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}

int pmu_sysfs_foreach(int (*fn)(const struct pmu_event_info *info, void *arg), void *arg)
{
	char **pmus, path[4096];
	int npmu, ret = 0;

	npmu = dir_names(pmus_dir(), &pmus);
	if (npmu < 0)
		return npmu == -ENOENT ? 0 : npmu;
	for (int p = 0; p < npmu && !ret; p++) {
		char **evs;
		int nev;

		snprintf(path, sizeof(path), "%s/%s/events", pmus_dir(), pmus[p]);
		nev = dir_names(path, &evs);
		for (int e = 0; e < nev && !ret; e++) {
			struct pmu_event_info info;
			char name[600], terms[1024], why[8];

			snprintf(name, sizeof(name), "%s/%s/", pmus[p], evs[e]);
			memset(&info, 0, sizeof(info));
			info.name = name;
			info.kind = PMU_EV_RAW;
			info.pmu = pmus[p];
			if (read_attr(pmus[p], "events", evs[e], strlen(evs[e]), terms,
				      sizeof(terms)) == 0)
				info.desc = terms;
			if (pmu_sysfs_encode(pmus[p], evs[e], strlen(evs[e]), &info.attr, why,
					     sizeof(why)))
				memset(&info.attr, 0, sizeof(info.attr));
			ret = fn(&info, arg);
		}
		if (nev > 0)
			names_free(evs, nev);
	}
	names_free(pmus, npmu);
	return ret;
}
