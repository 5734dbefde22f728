/* Internals of the profile model shared by profile.c and profile-load.c. */
#ifndef CPERF_PROFILE_PRIV_H
#define CPERF_PROFILE_PRIV_H

#include "arena.h"
#include "profile.h"

struct profile_priv {
	struct arena arena;      /* strings, lines, values, stacks */
	const char **strs;       /* intern table (open addressing) */
	size_t strs_cap, nr_strs;
	size_t events_cap, mappings_cap, locations_cap, samples_cap;
};
#endif
