/* libpfm4 glue: PMU-specific event names to perf_event_attr, and the list of
 * the PMU events libpfm4 knows for this host. */
#include "config.h"

/* <linux/perf_event.h> (through pmu.h) before libpfm4's older copy. */
#include "evint.h"
#include "util.h"

#include <errno.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* pfm_initialize() is idempotent in libpfm4, but its answer is kept so
 * that a failure is reported the same way every time. 1 = not tried. */
static int pfm_state = 1;

static int pfm_init(void)
{
	if (pfm_state == 1)
		pfm_state = pfm_initialize() == PFM_SUCCESS ? 0 : -ENODEV;
	return pfm_state;
}

int pmu_pfm_encode(const char *name, struct perf_event_attr *attr, char *why, size_t len)
{
	pfm_perf_encode_arg_t arg;
	struct perf_event_attr a;
	char *fstr = NULL;
	int ret;

	if (len)
		why[0] = '\0';
	/* libpfm4 names are identifiers joined by ':' ("::", "=" for values) */
	if (!*name || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				   "0123456789_:.=-") != strlen(name))
		return -ENOENT;
	ret = pfm_init();
	if (ret)
		return ret;
	memset(&arg, 0, sizeof(arg));
	memset(&a, 0, sizeof(a));
	/* libpfm4 checks both sizes against the ABI it knows: set them first */
	a.size = sizeof(a);
	arg.attr = &a;
	arg.size = sizeof(arg);
	arg.fstr = &fstr;
	ret = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &arg);
	free(fstr);
	switch (ret) {
	case PFM_SUCCESS:
		break;
	case PFM_ERR_NOTFOUND:
	case PFM_ERR_NOTSUPP:
	case PFM_ERR_NOINIT:
		return -ENOENT;
	case PFM_ERR_NOMEM:
		return -ENOMEM;
	default:
		snprintf(why, len, "%s", pfm_strerror(ret));
		return -EINVAL;
	}
	/* keep only what identifies the event; sampling is the caller's */
	memset(attr, 0, sizeof(*attr));
	attr->type = a.type;
	attr->size = sizeof(*attr);
	attr->config = a.config;
	attr->config1 = a.config1;
	attr->config2 = a.config2;
	attr->exclude_user = a.exclude_user;
	attr->exclude_kernel = a.exclude_kernel;
	attr->exclude_hv = a.exclude_hv;
	attr->exclude_guest = a.exclude_guest;
	attr->exclude_host = a.exclude_host;
	attr->precise_ip = a.precise_ip;
	return 0;
}

/* Encodes pmu::event[:umask] for probing; leaves attr zero when it cannot. */
static void encode_for_list(const char *full, struct perf_event_attr *attr)
{
	char why[8];

	if (pmu_pfm_encode(full, attr, why, sizeof(why)))
		memset(attr, 0, sizeof(*attr));
}

/* libpfm4's info structs carry their size, set before the call, so that
 * an older or newer library knows which fields we have. */
static bool pmu_present(pfm_pmu_t pmu, pfm_pmu_info_t *pinfo)
{
	memset(pinfo, 0, sizeof(*pinfo));
	pinfo->size = sizeof(*pinfo);
	return pfm_get_pmu_info(pmu, pinfo) == PFM_SUCCESS && pinfo->is_present;
}

static bool event_info(int idx, pfm_event_info_t *einfo)
{
	memset(einfo, 0, sizeof(*einfo));
	einfo->size = sizeof(*einfo);
	return pfm_get_event_info(idx, PFM_OS_PERF_EVENT_EXT, einfo) == PFM_SUCCESS;
}

int pmu_pfm_foreach(bool verbose, int (*fn)(const struct pmu_event_info *info, void *arg),
		    void *arg)
{
	pfm_pmu_t pmu;
	int ret;

	ret = pfm_init();
	if (ret)
		return ret;
	for (pmu = PFM_PMU_NONE; pmu < PFM_PMU_MAX; pmu++) {
		pfm_pmu_info_t pinfo;

		if (!pmu_present(pmu, &pinfo))
			continue;
		/* perf_raw:: has one pseudo event, r (same as rNNNN) */
		if (!strcmp(pinfo.name, "perf_raw"))
			continue;
		for (int idx = pinfo.first_event; idx != -1; idx = pfm_get_event_next(idx)) {
			pfm_event_info_t einfo;
			struct pmu_event_info info;
			char full[512];

			if (!event_info(idx, &einfo))
				continue;
			snprintf(full, sizeof(full), "%s::%s", pinfo.name, einfo.name);
			memset(&info, 0, sizeof(info));
			info.name = full;
			info.desc = einfo.desc;
			info.kind = PMU_EV_PFM;
			info.pmu = pinfo.name;
			encode_for_list(full, &info.attr);
			ret = fn(&info, arg);
			if (ret)
				return ret;
			if (!verbose)
				continue;
			for (int a = 0; a < einfo.nattrs; a++) {
				pfm_event_attr_info_t ainfo;
				char uname[640];

				memset(&ainfo, 0, sizeof(ainfo));
				ainfo.size = sizeof(ainfo);
				if (pfm_get_event_attr_info(idx, a, PFM_OS_PERF_EVENT_EXT,
							    &ainfo) != PFM_SUCCESS ||
				    ainfo.type != PFM_ATTR_UMASK)
					continue;
				snprintf(uname, sizeof(uname), "%s:%s", full, ainfo.name);
				memset(&info, 0, sizeof(info));
				info.name = uname;
				info.desc = ainfo.desc;
				info.kind = PMU_EV_PFM;
				info.pmu = pinfo.name;
				info.is_umask = true;
				encode_for_list(uname, &info.attr);
				ret = fn(&info, arg);
				if (ret)
					return ret;
			}
		}
	}
	return 0;
}

int pmu_pfm_suggest(const char *name, char *out, size_t len)
{
	const char *colon = NULL, *best = NULL, *word;
	char ev[256], **cands = NULL, *pmu_prefix = NULL;
	size_t n = 0, cap = 0, el;
	int ret = -ENOENT;

	if (pfm_init())
		return -ENOENT;
	/* the event part: "[pmu::]EVENT" before the first single ':' */
	for (const char *c = name; *c; c++) {
		if (c[0] == ':' && c[1] == ':') {
			c++;
			continue;
		}
		if (*c == ':') {
			colon = c;
			break;
		}
	}
	el = colon ? (size_t)(colon - name) : strlen(name);
	if (el == 0 || el >= sizeof(ev))
		return -ENOENT;
	memcpy(ev, name, el);
	ev[el] = '\0';
	word = strstr(ev, "::") ? strstr(ev, "::") + 2 : ev;
	if (strstr(ev, "::"))
		pmu_prefix = strndup(ev, (size_t)(word - ev));
	for (pfm_pmu_t pmu = PFM_PMU_NONE; pmu < PFM_PMU_MAX; pmu++) {
		pfm_pmu_info_t pinfo;

		if (!pmu_present(pmu, &pinfo))
			continue;
		if (pmu_prefix && strncasecmp(pmu_prefix, pinfo.name, strlen(pinfo.name)))
			continue;
		for (int idx = pinfo.first_event; idx != -1; idx = pfm_get_event_next(idx)) {
			pfm_event_info_t einfo;

			if (!event_info(idx, &einfo))
				continue;
			if (grow_array(&cands, &cap, n + 1, sizeof(*cands)))
				goto out;
			cands[n++] = (char *)einfo.name;
		}
	}
	best = suggest_word(word, (const char *const *)cands, n);
	if (best && strcasecmp(best, word)) {
		snprintf(out, len, "%.*s%s%s", (int)(word - ev), ev, best, colon ? colon : "");
		ret = 0;
	}
out:
	free(cands);
	free(pmu_prefix);
	return ret;
}
