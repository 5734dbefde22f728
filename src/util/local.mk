noinst_LIBRARIES += libcperfutil.a
libcperfutil_a_CPPFLAGS = $(UTIL_CPPFLAGS)
libcperfutil_a_SOURCES = \
	src/util/util.h \
	src/util/msg.c \
	src/util/parse.c \
	src/util/strbuf.c \
	src/util/misc.c
libcperfutil_a_SOURCES += src/util/arena.h src/util/arena.c
libcperfutil_a_SOURCES += src/util/outfile.h src/util/outfile.c
