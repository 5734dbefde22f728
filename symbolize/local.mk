# symbolize: ELF/DWARF/kallsyms.
noinst_LIBRARIES += libsymbolize.a
libsymbolize_a_CPPFLAGS = $(SYM_CPPFLAGS)
libsymbolize_a_SOURCES = \
	symbolize/symbolize.h \
	symbolize/internal.h \
	symbolize/demangle.c \
	symbolize/ctx.c \
	symbolize/space.c \
	symbolize/elf.c \
	symbolize/lookup.c \
	symbolize/kallsyms.c \
	symbolize/perfmap.c \
	symbolize/unwind.c
