/* Synthesized COMM and MMAP2 records, from /proc, for processes that were
 * running before the recording started, and the kernel's MMAP record, so
 * that their samples symbolize (as perf record synthesizes them). */
#ifndef CPERF_SYNTH_H
#define CPERF_SYNTH_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct synth_bid;

struct synth {
	uint64_t sample_type;  /* of the tracking event: shapes the trailer */
	bool sample_id_all;
	uint64_t id;           /* the tracking event's id, for the trailer */
	bool build_ids;        /* read build-ids of mapped files (cached) */
	bool data_maps;        /* also file-backed non-exec maps (mmap_data) */
	/* receives each record; a non-zero return stops and is returned */
	int (*emit)(void *arg, const struct perf_event_header *rec);
	void *arg;
	struct synth_bid *bids; /* path -> build-id cache */
	size_t nr_bids, cap_bids;
	char *buf;              /* record under construction */
	uint64_t records;       /* records emitted */
};

/* Release: synth_fini. */
void synth_init(struct synth *s, const struct perf_event_attr *attr, uint64_t id,
		int (*emit)(void *arg, const struct perf_event_header *rec), void *arg);
void synth_fini(struct synth *s);

/* COMM for every thread of pid (its name: /proc/PID/task/TID/comm) and an
 * MMAP2 for each executable mapping. Returns 0, -ESRCH when the process is
 * gone, an emit error, or -errno. */
int synth_process(struct synth *s, pid_t pid);
/* synth_process for every process in /proc (vanished ones skipped). */
int synth_all_processes(struct synth *s);
/* The kernel's MMAP ("[kernel.kallsyms]_text" at _text, as perf writes it).
 * 0, -ENOENT when kallsyms hides addresses, or -errno. */
int synth_kernel(struct synth *s);
/* The running kernel's build-id from /sys/kernel/notes. 0 or -errno. */
int synth_kernel_build_id(uint8_t *out, size_t cap, size_t *len);
#endif
