/* Internal interfaces between the event parser, libpfm4 glue and tracefs
 * reader of the pmu module (not for use outside pmu/). */
#ifndef CPERF_PMU_EVINT_H
#define CPERF_PMU_EVINT_H

#include "pmu.h"

/* Encodes a libpfm4 event name ("INST_RETIRED:ANY_P", "pmu::ev:umask") into
 * attr (type, config*, exclude_* from libpfm4's view). Returns 0, -ENOENT
 * when libpfm4 does not know the name, -EINVAL with why filled (libpfm4's
 * message) when it knows the event but rejects the rest, -ENODEV when
 * libpfm4 cannot be initialized. */
int pmu_pfm_encode(const char *name, struct perf_event_attr *attr, char *why, size_t len);

/* The libpfm4 event closest to name's event part ("INST_RETIRD:ANY_P" ->
 * "INST_RETIRED:ANY_P") into out. Returns 0 or -ENOENT (nothing close). */
int pmu_pfm_suggest(const char *name, char *out, size_t len);

/* Lists libpfm4's events of the PMUs present on this host. */
int pmu_pfm_foreach(bool verbose, int (*fn)(const struct pmu_event_info *info, void *arg),
		    void *arg);

/* One tracepoint found by pmu_tp_find. */
struct pmu_tp {
	char *name; /* "sys:event" */
	uint64_t id;
};

/* Tracepoints matching the fnmatch(3) patterns sys_pat:ev_pat, sorted by
 * name. Returns the number found (0 = none), or -errno (tracefs not
 * available). *out released with pmu_tp_free. */
int pmu_tp_find(const char *sys_pat, const char *ev_pat, struct pmu_tp **out);
void pmu_tp_free(struct pmu_tp *tps, int nr);

/* Reads EVENTS/sys/ev/id (EVENTS is tracefs's events/ directory). Returns
 * 0 with *id set (ids are positive), -EINVAL (not a number), -ENAMETOOLONG
 * or -errno of the read (ENOENT, ENOTDIR for a file such as "enable"). */
int pmu_tp_read_id(const char *events, const char *sys, const char *ev, uint64_t *id);

/* Every tracepoint name ("sys:event"), sorted; for did-you-mean hints and
 * listing. Returns the number or -errno; *out released with pmu_tp_free. */
int pmu_tp_all(struct pmu_tp **out);

/* Kernel PMUs in sysfs (CPERF_SYSFS_PMU=DIR overrides
 * /sys/bus/event_source/devices for tests). */
bool pmu_sysfs_exists(const char *pmu);
/* Encodes the PMU-specific terms ("event=0x3c,umask=1", "tsc") of pmu into
 * attr (type from sysfs, config bits from its formats, aliases from its
 * events/ directory). Returns 0, -ENOENT (no such PMU, alias or format)
 * or -EINVAL, with why filled. */
int pmu_sysfs_encode(const char *pmu, const char *terms, size_t n, struct perf_event_attr *attr,
		     char *why, size_t len);
/* Lists every PMU's event aliases as "pmu/alias/" (kind PMU_EV_RAW). */
int pmu_sysfs_foreach(int (*fn)(const struct pmu_event_info *info, void *arg), void *arg);

#endif
