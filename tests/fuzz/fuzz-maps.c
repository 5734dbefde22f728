/* Fuzz target for /proc/PID/maps parsing: cperf reads maps only from the
 * live /proc (src/synth.c, synth_process), so this target includes synth.c
 * and drives its line parser (parse_map_line, whose signature it relies
 * on) on maps text, checking what each accepted line gives. */
#include "synth.c"

#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *line, *next;

	if (size > (1u << 20))
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (line = text; line; line = next) {
		struct map_line m;
		size_t len;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		chomp(line);
		len = strlen(line);
		if (!parse_map_line(line, &m))
			continue;
		/* a mapping of at least a byte, four permission letters, the
		 * path a C string inside the line with no leading blank */
		if (m.end <= m.start || strlen(m.perms) != 4 || !m.path)
			abort();
		if (m.path < line || m.path > line + len || m.path[0] == ' ')
			abort();
		if (strlen(m.path) != (size_t)(line + len - m.path))
			abort();
	}
	free(text);
	return 0;
}
