# achim — one non-recursive GNU Makefile.
#
#   make                 ./achim and build/libachim.a
#   make test            unit + end-to-end tests (normal build)
#   make asan            the same suite under AddressSanitizer + UBSan
#   make test-all        both, with one closing "N passed, N failed" line
#   make install PREFIX=/usr/local
#   make bench | conformance | fuzz | check-deps | format
#
# Honours CC CFLAGS CPPFLAGS LDFLAGS PREFIX DESTDIR; DEVELOPER=1 adds -Werror.

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
O       ?= build

PKGS := libcurl libxml-2.0 sqlite3 libmicrohttpd libcjson libutf8proc libcmark-gfm
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lcmark-gfm-extensions -lstemmer -lm -lpthread

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ifeq ($(DEVELOPER),1)
WARN += -Werror
endif
ACHIM_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 $(WARN) -Iinclude -Isrc \
                $(PKG_CFLAGS) -DACHIM_DATADIR='"$(PREFIX)/share/achim"' -MMD -MP
ALL_CFLAGS := $(ACHIM_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS := $(LDFLAGS) $(EXTRA_LDFLAGS)

# Library modules, lowest first; a module may use only those after it in its DEPS.
MODULES := base model feed fetch deliver store text corpus report app
DEPS_base   := base
DEPS_model  := model base
DEPS_feed   := feed model base
DEPS_fetch  := fetch base
DEPS_deliver := deliver base
DEPS_store  := store model base
DEPS_text   := text base
DEPS_corpus := corpus text model base
DEPS_report := report model base
DEPS_app    := app report corpus text store deliver fetch feed model base
DEPS_web    := web app report corpus text store deliver fetch feed model base
DEPS_cli    := cli web app report corpus text store deliver fetch feed model base

src_of = $(wildcard src/$(1)/*.c)
obj_of = $(patsubst src/%.c,$(O)/%.o,$(call src_of,$(1)))

LIB_OBJS := $(foreach m,$(MODULES),$(call obj_of,$(m)))
LIB      := $(O)/libachim.a
CLI_OBJS := $(call obj_of,cli) $(call obj_of,web)
BIN      := $(if $(filter build,$(O)),achim,$(O)/achim)

UNIT_SRCS := $(wildcard tests/unit/*/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRCS))
HELPER_SRCS := $(wildcard tests/helper/*.c)
HELPER_BINS := $(patsubst tests/helper/%.c,$(O)/tests/helper/%,$(HELPER_SRCS))
BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(O)/bench/%,$(BENCH_SRCS))

.PHONY: all test check asan test-all install uninstall clean bench conformance fuzz eval-summaries eval \
        check-deps format tidy unit-bins
all: $(BIN) $(LIB)

$(O)/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# chardet.c decodes its single-byte candidates through tables generated
# here from iconv, and rules out multibyte ones on impossible byte pairs, so
# a process does not load a gconv module per candidate code page.
SBCS_CODEPAGES := CP1252 CP1250 ISO-8859-2 CP1254 CP1251 KOI8-R ISO-8859-5 IBM866 MACCYRILLIC \
                  ISO-8859-7 CP1253 ISO-8859-8 TIS-620
MBCS_CODEPAGES := GB2312 GB18030 BIG5 CP950 EUC-JP SHIFT_JIS CP932 EUC-KR CP949
$(O)/gen/gen-sbcs-tables: scripts/gen-sbcs-tables.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O1 -o $@ $<
$(O)/gen/sbcs_tables.h: $(O)/gen/gen-sbcs-tables Makefile
	$< $(SBCS_CODEPAGES) -- $(MBCS_CODEPAGES) >$@.tmp && mv $@.tmp $@
$(O)/feed/chardet.o: $(O)/gen/sbcs_tables.h
$(O)/feed/chardet.o: ALL_CFLAGS += -I$(O)/gen

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

# Unit tests link only the objects of their module's dependencies, so a
# module can be built and tested while another is still being written.
define unit_rule
$(O)/tests/$(1)/%: tests/unit/$(1)/%.c $(foreach d,$(DEPS_$(1)),$(call obj_of,$(d)))
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_CFLAGS) -o $$@ $$< $(foreach d,$(DEPS_$(1)),$(call obj_of,$(d))) $$(ALL_LDFLAGS) $$(PKG_LIBS)
endef
$(foreach m,$(MODULES) web cli,$(eval $(call unit_rule,$(m))))

$(O)/tests/helper/%: tests/helper/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(O)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

unit-bins: $(UNIT_BINS) $(HELPER_BINS)

# Benchmarks print ratios against baselines measured in the same run.
bench: all $(BENCH_BINS)
	@sh bench/run.sh

# ROUGE of the summariser against ots and lead on ../shared's BBC half.
# Clustering and gate scores on ../shared (skipped when absent).
eval: all
	@sh scripts/eval-analysis.sh

eval-summaries: all
	@sh scripts/eval-summaries.sh

# feedparser's conformance suite from ../shared (skipped when absent).
conformance: all
	@sh scripts/conformance.sh

# libFuzzer on the feed parser: builds with clang into build/fuzz and runs
# for FUZZ_TIME seconds, seeded from the fixtures and (when present) the
# conformance suite. Findings land in build/fuzz/findings.
FUZZ_TIME ?= 60
FUZZ_CC ?= clang
FUZZ_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
fuzz:
	$(MAKE) O=build/fuzz CC=$(FUZZ_CC) CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" \
	    EXTRA_LDFLAGS="-fsanitize=address,undefined" build/fuzz/libachim.a
	$(FUZZ_CC) $(ACHIM_CFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -o build/fuzz/fuzz_feed \
	    tests/fuzz/fuzz_feed.c build/fuzz/libachim.a $(PKG_LIBS)
	@sh tests/fuzz/run.sh build/fuzz/fuzz_feed $(FUZZ_TIME)

test: all unit-bins
	@sh tests/run.sh $(O)
check: test

ASAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
asan:
	$(MAKE) O=build/asan CFLAGS="$(ASAN_FLAGS)" EXTRA_LDFLAGS="-fsanitize=address,undefined" all unit-bins
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 sh tests/run.sh build/asan

# What CI and the README run: both builds, one closing count.
test-all: all unit-bins
	$(MAKE) O=build/asan CFLAGS="$(ASAN_FLAGS)" EXTRA_LDFLAGS="-fsanitize=address,undefined" all unit-bins
	@ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 sh tests/run.sh build build/asan

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(PREFIX)/share/achim $(DESTDIR)$(PREFIX)/share/achim/sample-feeds
	install -m 755 achim $(DESTDIR)$(PREFIX)/bin/achim
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/libachim.a
	install -m 644 include/achim.h $(DESTDIR)$(PREFIX)/include/achim.h
	install -m 644 data/* $(DESTDIR)$(PREFIX)/share/achim/
	install -m 644 examples/sample-feeds/* $(DESTDIR)$(PREFIX)/share/achim/sample-feeds/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/achim $(DESTDIR)$(PREFIX)/lib/libachim.a \
	    $(DESTDIR)$(PREFIX)/include/achim.h
	rm -rf $(DESTDIR)$(PREFIX)/share/achim

check-deps:
	@sh scripts/check-deps.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build achim

-include $(shell find $(O) -name '*.d' 2>/dev/null)
