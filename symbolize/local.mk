# symbolize: ELF/DWARF/kallsyms.
noinst_LIBRARIES += libsymbolize.a
libsymbolize_a_CPPFLAGS = $(SYM_CPPFLAGS)
libsymbolize_a_SOURCES = \
	symbolize/symbolize.h \
	symbolize/demangle.c \
	symbolize/stub.c
