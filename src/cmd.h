/* The subcommands and the helpers they share for --help and usage errors. */
#ifndef CPERF_CMD_H
#define CPERF_CMD_H

/* Exit codes (DESIGN §4). Commands that run a workload return its status. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_list(int argc, char **argv);

/* Shows the man page cperf-NAME(1) (the installed one, else the one in the
 * source tree), or prints usage to stdout when no man page can be shown.
 * NAME NULL means cperf(1). Returns EXIT_OK. */
int cmd_help(const char *name, const char *usage);

/* For getopt_long with opterr = 0: prints a one-line error about the option
 * that getopt rejected and a hint, returns EXIT_USAGE. */
int cmd_bad_option(const char *name, char **argv, int optind_now, int optopt_now);

/* Prints a one-line usage error for command name and the hint to its
 * --help, returns EXIT_USAGE. */
int cmd_usage_error(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif
