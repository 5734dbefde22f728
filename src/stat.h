/* cperf stat's output: derived metrics, -r statistics, and the table, CSV
 * and JSON layouts (shared by cmd-stat.c and its unit test). */
#ifndef CPERF_STAT_H
#define CPERF_STAT_H

#include <linux/perf_event.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum stat_fmt { STAT_FMT_TABLE, STAT_FMT_CSV, STAT_FMT_JSON };

enum stat_state {
	STAT_OK,
	STAT_NOT_SUPPORTED, /* the machine cannot count the event */
	STAT_NOT_COUNTED,   /* opened but never ran (time running 0) */
};

/* One event's figure in one aggregation unit (all, one CPU, one thread). */
struct stat_val {
	const char *name;                   /* display name */
	const struct perf_event_attr *attr; /* for metrics; may be NULL */
	enum stat_state state;
	double value;    /* scaled count (the mean with -r) */
	double variance; /* relative stddev of the mean, % (with -r) */
	uint64_t run;    /* ns running, summed over the counters */
	double pcnt;     /* % of the enabled time the event ran */
};

enum stat_metric_kind {
	STAT_METRIC_NONE,
	STAT_METRIC_FLOAT, /* 0.505 CPUs utilized, 1.2 GHz, 12.345 K/sec */
	STAT_METRIC_RATIO, /* 1.23 insn per cycle */
	STAT_METRIC_PCT,   /* 4.07% of all branches */
};

struct stat_metric {
	enum stat_metric_kind kind;
	double value;
	const char *unit;
};

/* The derived metric of vals[i] given the other events of its unit and the
 * wall time they were counted over (for CPUs utilized). */
void stat_metric(const struct stat_val *vals, size_t nr, size_t i, double wall_ns,
		 struct stat_metric *m);

/* True for task-clock and cpu-clock, shown in msec. */
bool stat_is_clock(const struct perf_event_attr *attr);

/* -r statistics (Welford): mean and the relative stddev of the mean. */
struct stat_stats {
	size_t n;
	double mean, m2;
};
void stat_stats_add(struct stat_stats *s, double v);
double stat_stats_stddev_mean(const struct stat_stats *s);
/* 100 * stddev of the mean / mean; 0 when the mean is 0 or n < 2. */
double stat_stats_rel(const struct stat_stats *s);

/* v with `decimals` decimals into buf; with group, the integer part gets a
 * ',' every three digits (1,234,567.89). */
void stat_fmt_num(char *buf, size_t len, double v, int decimals, bool group);

struct stat_printer {
	FILE *f;
	enum stat_fmt fmt;
	const char *sep;  /* CSV field separator */
	bool big_num;     /* table: thousands separators */
	bool interval;    /* rows start with a timestamp */
	bool variance;    /* rows carry the -r variance */
	const char *prefix_kind; /* "cpu" or "thread" for JSON; NULL */
};

/* One row: vals[i] of a unit of nr events. ts is the interval timestamp
 * (seconds, used when p->interval); prefix labels the unit ("CPU0",
 * "comm-123") or is NULL. */
void stat_print_row(const struct stat_printer *p, double ts, const char *prefix,
		    const struct stat_val *vals, size_t nr, size_t i, double wall_ns);

/* " Performance counter stats for WHAT (N runs):" (table only). */
void stat_print_header(const struct stat_printer *p, const char *what, int runs);
/* The interval column header (table only). */
void stat_print_interval_header(const struct stat_printer *p, bool per_cpu, bool per_thread);
/* Elapsed (mean and stddev with -r), user and sys time (table only; user
 * and sys when have_rusage). */
void stat_print_footer(const struct stat_printer *p, const struct stat_stats *elapsed_s,
		       int runs, bool have_rusage, double user_s, double sys_s);
#endif
