/* The views of `cperf report` and what they share: a profile's samples
 * expanded into function frames (inline frames included), filtered by
 * --focus/--ignore, weighted by one event's value. */
#ifndef CPERF_REPORT_VIEW_H
#define CPERF_REPORT_VIEW_H

#include "profile.h"

#include <regex.h>
#include <stdio.h>

/* A displayed frame: one line of a location's inline chain. */
struct rv_frame {
	uint32_t fn;                     /* index in rview.fns */
	uint32_t loc;                    /* location index */
	const struct profile_line *line;
	bool inlined;                    /* not the physical function of its location */
};

struct rv_fn {
	const char *name;
	const char *file;     /* a source file of the function ("" when unknown) */
	const char *dso;      /* the object it lives in ("[unknown]" when none) */
	bool kernel;
	uint64_t flat, cum;   /* filled by rview_new */
	size_t stamp;         /* scratch: last stack counted */
};

struct rv_stack {
	const struct profile_sample *s;
	uint32_t nr;
	const struct rv_frame *f; /* leaf first */
	uint64_t w;               /* weight in the view's unit */
	uint64_t count;           /* samples */
	bool kept;                /* passed --focus/--ignore */
};

struct rview {
	const struct profile *p;
	size_t event;
	bool use_period;      /* weights are periods (else sample counts) */
	enum profile_unit unit;
	uint64_t total;       /* weight of every sample, before focus/ignore */
	uint64_t total_count;
	uint64_t kept;        /* weight after focus/ignore */
	struct rv_stack *stacks;
	size_t nr_stacks;
	struct rv_fn *fns;
	size_t nr_fns;
	struct rv_frame *frames;
	void *priv;
};

/* Expands p's samples for event (index in p->events); focus/ignore may be
 * NULL. Returns NULL with errno (ENOMEM). Release: rview_free. */
struct rview *rview_new(const struct profile *p, size_t event, const regex_t *focus,
			const regex_t *ignore);
void rview_free(struct rview *v);

/* A value in the view's unit, pprof style: "1.50s", "250ms", "1234". */
void rview_format(const struct rview *v, uint64_t w, char *buf, size_t len);
/* w as a percentage of the total. */
double rview_pct(const struct rview *v, uint64_t w);

/* -g/--call-graph: the order of the call-graph lines under table entries. */
enum report_cg {
	REPORT_CG_NONE,
	REPORT_CG_DEFAULT, /* caller with Children, callee without */
	REPORT_CG_CALLER,  /* from the entry down to what it calls */
	REPORT_CG_CALLEE,  /* from the entry up through its callers */
};

/* Options of the text views. */
struct report_opts {
	int top_n;            /* --top N (0: all) */
	bool cum;             /* sort by cum */
	bool children;        /* the table's Children column */
	double percent_limit; /* hide entries below this share (percent) */
	bool percent_limit_set;
	const char *sort;     /* --sort keys, "comm,dso,sym" by default */
	const regex_t *list;  /* --list */
	const char *list_src; /* the --list regex as given */
	const char *source_path; /* --source-path: ':'-separated directories */
	enum report_cg call_graph; /* table: call-graph lines under each entry */
	double call_graph_limit;   /* branches below this share (percent) left out */
};

/* One occurrence of a table entry in a stack: v->stacks[stack].f[frame]. */
struct rv_hit {
	uint32_t stack, frame;
};

/* Writes perf's call-graph lines (graph mode, percentages of v->total) for
 * a table entry from its occurrences, grouped by stack; callee picks the
 * order (see enum report_cg). Nodes below limit percent are left out;
 * nothing is written when every node is. 0 or -ENOMEM. */
int report_callgraph(const struct rview *v, const struct rv_hit *hits, size_t nr, bool callee,
		     double limit, FILE *out);

int report_top(const struct rview *v, const struct report_opts *o, FILE *out);
int report_tree(const struct rview *v, const struct report_opts *o, FILE *out);
int report_list(const struct rview *v, const struct report_opts *o, FILE *out);
/* Returns -EINVAL for an unknown sort key (named in err). */
int report_table(const struct rview *v, const struct report_opts *o, FILE *out, char *err,
		 size_t errlen);
/* Validates a --sort list; 0 or -EINVAL with the bad key in err. */
int report_sort_check(const char *keys, char *err, size_t errlen);
int report_folded(const struct rview *v, FILE *out);
/* Writes a self-contained SVG flame graph; title may be NULL. */
int report_flamegraph(const struct rview *v, FILE *out, const char *title);
#endif
