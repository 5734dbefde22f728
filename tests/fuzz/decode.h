/* The record-decoding check shared by the fuzz targets (see decode.c). */
#ifndef CPERF_FUZZ_DECODE_H
#define CPERF_FUZZ_DECODE_H

#include "record.h"

/* Decodes hdr (hdr->size bytes, 8-byte aligned) with every decoder that
 * applies; aborts when a decoder hands out memory outside the record.
 * Returns a checksum of what was read (keeps the reads alive). */
uint64_t fuzz_decode_record(const struct perf_event_header *hdr, const struct pmu_sample_layout *l);
#endif
