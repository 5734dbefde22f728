/* A tiny unit-test helper: CHECK macros that count failures, SKIP with a
 * reason (exit 77), and a summary line "N passed, N failed". */
#ifndef CPERF_UNIT_H
#define CPERF_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_pass, unit_fail;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (cond) {                                                      \
			unit_pass++;                                             \
		} else {                                                         \
			unit_fail++;                                             \
			fprintf(stderr, "%s:%d: FAIL: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                \
	} while (0)

#define CHECK_INT(a, b)                                                          \
	do {                                                                     \
		long long _a = (long long)(a), _b = (long long)(b);              \
		if (_a == _b) {                                                  \
			unit_pass++;                                             \
		} else {                                                         \
			unit_fail++;                                             \
			fprintf(stderr, "%s:%d: FAIL: %s == %s (%lld != %lld)\n", \
				__FILE__, __LINE__, #a, #b, _a, _b);             \
		}                                                                \
	} while (0)

#define CHECK_STR(a, b)                                                          \
	do {                                                                     \
		const char *_a = (a), *_b = (b);                                 \
		if (_a && _b && !strcmp(_a, _b)) {                               \
			unit_pass++;                                             \
		} else {                                                         \
			unit_fail++;                                             \
			fprintf(stderr, "%s:%d: FAIL: %s == %s (\"%s\" != \"%s\")\n", \
				__FILE__, __LINE__, #a, #b, _a ? _a : "(null)",  \
				_b ? _b : "(null)");                             \
		}                                                                \
	} while (0)

/* Skip the whole test program with a reason (automake: exit 77). */
#define SKIP(...)                                                                \
	do {                                                                     \
		printf("SKIP: ");                                                \
		printf(__VA_ARGS__);                                             \
		printf("\n");                                                    \
		exit(77);                                                        \
	} while (0)

static inline int unit_done(void)
{
	printf("%d passed, %d failed\n", unit_pass, unit_fail);
	if (unit_pass == 0 && unit_fail == 0)
		return 99; /* a test that asserted nothing is broken */
	return unit_fail ? 1 : 0;
}
#endif
