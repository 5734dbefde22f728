/* Decoding raw perf records (from a ring or a data file) into plain structs.
 * Every length is checked against the record's header; pointers in the
 * decoded structs point into the record and live as long as it does. */
#ifndef CPERF_PMU_RECORD_H
#define CPERF_PMU_RECORD_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* perf's user-space record types found in perf.data files (not in the
 * kernel header). */
enum {
	PMU_RECORD_HEADER_ATTR = 64,
	PMU_RECORD_HEADER_EVENT_TYPE = 65,
	PMU_RECORD_HEADER_TRACING_DATA = 66,
	PMU_RECORD_HEADER_BUILD_ID = 67,
	PMU_RECORD_FINISHED_ROUND = 68,
	PMU_RECORD_ID_INDEX = 69,
	PMU_RECORD_AUXTRACE_INFO = 70,
	PMU_RECORD_AUXTRACE = 71,
	PMU_RECORD_AUXTRACE_ERROR = 72,
	PMU_RECORD_THREAD_MAP = 73,
	PMU_RECORD_CPU_MAP = 74,
	PMU_RECORD_STAT_CONFIG = 75,
	PMU_RECORD_STAT = 76,
	PMU_RECORD_STAT_ROUND = 77,
	PMU_RECORD_EVENT_UPDATE = 78,
	PMU_RECORD_TIME_CONV = 79,
	PMU_RECORD_HEADER_FEATURE = 80,
	PMU_RECORD_COMPRESSED = 81,
	PMU_RECORD_FINISHED_INIT = 82,
};

/* What the decoder needs from the attr that produced a record. */
struct pmu_sample_layout {
	uint64_t sample_type;
	uint64_t read_format;
	uint64_t sample_regs_user;   /* bit mask: number of u64 regs = popcount */
	uint64_t sample_regs_intr;
	bool sample_id_all;
	uint64_t branch_sample_type; /* PERF_SAMPLE_BRANCH_HW_INDEX adds a u64 */
};
void pmu_sample_layout_from_attr(struct pmu_sample_layout *l, const struct perf_event_attr *attr);

/* A decoded PERF_RECORD_SAMPLE (fields absent from sample_type are 0/NULL). */
struct pmu_sample {
	uint64_t id;          /* PERF_SAMPLE_IDENTIFIER or PERF_SAMPLE_ID */
	uint64_t ip;
	uint32_t pid, tid;
	uint64_t time;
	uint64_t addr;
	uint64_t stream_id;
	uint32_t cpu;
	uint64_t period;
	uint64_t nr_callchain;
	const uint64_t *callchain; /* includes PERF_CONTEXT_* markers */
	uint32_t raw_size;
	const void *raw;
	uint64_t user_abi;         /* PERF_SAMPLE_REGS_USER abi; 0 = none */
	uint32_t nr_user_regs;
	const uint64_t *user_regs;
	uint64_t user_stack_size;  /* bytes in user_stack (the requested size) */
	const uint8_t *user_stack;
	uint64_t user_stack_dyn_size; /* bytes actually valid */
	bool misc_user, misc_kernel;  /* from header.misc cpumode */
};

/* The sample_id trailer of non-sample records (with sample_id_all). */
struct pmu_sample_id {
	uint32_t pid, tid;
	uint64_t time;
	uint64_t id;
	uint64_t stream_id;
	uint32_t cpu;
	bool valid; /* false when the record carries no trailer */
};

struct pmu_mmap {       /* PERF_RECORD_MMAP and PERF_RECORD_MMAP2 */
	uint32_t pid, tid;
	uint64_t start, len, pgoff;
	uint32_t prot, flags; /* MMAP2 only */
	bool has_build_id;    /* MMAP2 with PERF_RECORD_MISC_MMAP_BUILD_ID */
	uint8_t build_id_size;
	uint8_t build_id[20];
	const char *filename; /* NUL-terminated within the record */
	bool executable;      /* !(misc & PERF_RECORD_MISC_MMAP_DATA) */
	bool kernel;          /* cpumode kernel */
};

struct pmu_comm {       /* PERF_RECORD_COMM */
	uint32_t pid, tid;
	const char *comm;
	bool exec;            /* PERF_RECORD_MISC_COMM_EXEC */
};

struct pmu_task {       /* PERF_RECORD_FORK / PERF_RECORD_EXIT */
	uint32_t pid, ppid, tid, ptid;
	uint64_t time;
	bool exit;
};

struct pmu_lost {       /* PERF_RECORD_LOST and PERF_RECORD_LOST_SAMPLES */
	uint64_t id, lost;
};

struct pmu_throttle {   /* PERF_RECORD_THROTTLE / UNTHROTTLE */
	uint64_t time, id, stream_id;
	bool unthrottle;
};

/* Each returns 0, or -EINVAL when the record is malformed or too short. */
int pmu_sample_parse(const struct perf_event_header *hdr,
		     const struct pmu_sample_layout *l, struct pmu_sample *s);
int pmu_sample_id_parse(const struct perf_event_header *hdr,
			const struct pmu_sample_layout *l, struct pmu_sample_id *sid);
int pmu_mmap_parse(const struct perf_event_header *hdr, struct pmu_mmap *m);
int pmu_comm_parse(const struct perf_event_header *hdr, struct pmu_comm *c);
int pmu_task_parse(const struct perf_event_header *hdr, struct pmu_task *t);
int pmu_lost_parse(const struct perf_event_header *hdr, struct pmu_lost *l);
int pmu_throttle_parse(const struct perf_event_header *hdr, struct pmu_throttle *t);

/* The event id of any record: from PERF_SAMPLE_IDENTIFIER (fixed position:
 * first u64 of a sample, last u64 of a trailer) or PERF_SAMPLE_ID. Returns 0,
 * -ENOENT when the layout carries no id, -EINVAL when too short. */
int pmu_record_id(const struct perf_event_header *hdr,
		  const struct pmu_sample_layout *l, uint64_t *id);

/* A short name for a record type ("SAMPLE", "MMAP2", ...), "UNKNOWN" else. */
const char *pmu_record_name(uint32_t type);
#endif
