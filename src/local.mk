# The cperf binary. Each command area appends its sources in its own fragment.
bin_PROGRAMS += cperf
cperf_CPPFLAGS = $(SRC_CPPFLAGS)
cperf_SOURCES = \
	src/cmd.h \
	src/main.c \
	src/help.c
cperf_LDADD = $(LIBPROTO) $(LIBSYM) $(LIBPMU) $(LIBUTIL) \
	$(PFM_LIBS) $(DW_LIBS) $(ELF_LIBS) $(PROTOBUF_C_LIBS) $(ZLIB_LIBS) $(DEMANGLE_LIBS)

include src/list.mk
include src/stat.mk
include src/record.mk
include src/datafile.mk
include src/report.mk
include src/convert.mk
