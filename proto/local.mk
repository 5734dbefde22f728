# proto: profile.proto, the protobuf-c code generated from it, the pprof writer.
# The generated code lives in the build directory (VPATH builds, distcheck).
noinst_LIBRARIES += libpprof.a
libpprof_a_CPPFLAGS = $(PROTO_CPPFLAGS)
libpprof_a_SOURCES = \
	proto/pprof.h \
	proto/pprof-int.h \
	proto/builder.c \
	proto/write.c \
	proto/gzip.c
nodist_libpprof_a_SOURCES = proto/profile.pb-c.c proto/profile.pb-c.h
EXTRA_DIST += proto/profile.proto
BUILT_SOURCES += proto/profile.pb-c.c proto/profile.pb-c.h
CLEANFILES += proto/profile.pb-c.c proto/profile.pb-c.h

# One rule makes both files; the header depends on the source so that a
# parallel make runs protoc-c once.
proto/profile.pb-c.c: $(srcdir)/proto/profile.proto
	$(AM_V_GEN)$(MKDIR_P) $(builddir)/proto && \
	$(PROTOC_C) -I$(srcdir)/proto --c_out=$(builddir)/proto $(srcdir)/proto/profile.proto
proto/profile.pb-c.h: proto/profile.pb-c.c
	@test -f $@ || { rm -f proto/profile.pb-c.c; $(MAKE) $(AM_MAKEFLAGS) proto/profile.pb-c.c; }
