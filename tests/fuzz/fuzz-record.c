/* Fuzz target for the record decoders of pmu/record.h: the first 48 bytes
 * give the sample layout (sample_type, read_format, sample_regs_user,
 * sample_regs_intr, branch_sample_type, flags: bit 0 sample_id_all), the
 * rest is raw records back to back, each decoded by every decoder. */
#include "config.h"

#include "decode.h"
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pmu_sample_layout l;
	size_t off = 48;

	if (size < off + sizeof(struct perf_event_header))
		return 0;
	memset(&l, 0, sizeof(l));
	l.sample_type = get64(data);
	l.read_format = get64(data + 8);
	l.sample_regs_user = get64(data + 16);
	l.sample_regs_intr = get64(data + 24);
	l.branch_sample_type = get64(data + 32);
	l.sample_id_all = data[40] & 1;
	for (int n = 0; n < 64 && size - off >= sizeof(struct perf_event_header); n++) {
		struct perf_event_header h;
		size_t len;
		uint8_t *rec;

		memcpy(&h, data + off, sizeof(h));
		if (h.size < sizeof(h))
			break;
		/* a record the input cuts short keeps what there is: its header
		 * then claims exactly the bytes that exist, as a ring would */
		len = h.size <= size - off ? h.size : size - off;
		rec = malloc(len); /* exact size: ASan sees any overread */
		if (!rec)
			break;
		memcpy(rec, data + off, len);
		h.size = (uint16_t)len;
		memcpy(rec, &h, sizeof(h));
		fuzz_decode_record((const struct perf_event_header *)rec, &l);
		free(rec);
		off += len;
	}
	return 0;
}
