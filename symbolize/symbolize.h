/* symbolize: addresses to functions, source lines and inline chains through
 * libdwfl; kernel symbols from kallsyms. Knows nothing of perf records. */
#ifndef CPERF_SYMBOLIZE_H
#define CPERF_SYMBOLIZE_H

#include <stddef.h>

/* Demangles a C++/Rust symbol. Returns a heap string (free()) or NULL when
 * name is not mangled. */
char *sym_demangle(const char *name);
#endif
