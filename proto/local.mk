# proto: profile.proto, the protobuf-c code generated from it, the pprof writer.
noinst_LIBRARIES += libpprof.a
libpprof_a_CPPFLAGS = $(PROTO_CPPFLAGS)
libpprof_a_SOURCES = \
	proto/pprof.h \
	proto/gzip.c
