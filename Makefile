# Parta: build, run, test, bench.  The only entry points.
#   make run     install what running needs, build, start everything, Ctrl-C stops
#   make test    the same set-up and the test tools, then every test
#   make start / make stop   the stack in the background
#   make install PREFIX=/usr/local DESTDIR=   a real server (docs/deploy.md)
#   make fuzz    every libFuzzer harness (FUZZ_ONLY="html valid": those)
#                for FUZZ_SECONDS (60) each, or FUZZ_RUNS executions if
#                sooner (the soak: README, Tests)
#   make test-valgrind   the HTTP tests with every program under memcheck
#   make bench [QUICK=1] [ROUNDS=N]   benchmarks into bench/results.md (bench/run.sh)
#   make bench-compare BEFORE=REV   this checkout against REV in one run
#   make instructions   each page's SQL in instructions, with and without
#                the policies (bench/instructions.sh; make bench runs it too)

CC	?= cc
PG_INC	:= $(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	   -Wmissing-prototypes -Wno-format-nonliteral \
	   -Wno-missing-field-initializers
CPPFLAGS = -std=c11 -D_GNU_SOURCE -Ilib -I$(PG_INC)
# Debian's hardening set, always on (dpkg-buildflags with hardening=+all):
# stack protector, fortified libc calls, position-independent executables,
# full RELRO.  tests/deploy/test_hardening.sh reads the built programs.
HARDEN_CFLAGS  = -fstack-protector-strong -fstack-clash-protection -fPIE \
		 -D_FORTIFY_SOURCE=2
HARDEN_LDFLAGS = -pie -Wl,-z,relro,-z,now
LINK	 = $(CC) $(CFLAGS) $(HARDEN_LDFLAGS) $(LDFLAGS)
LIBS	 = -lfcgi -lpq -lscrypt

# Where things go on `make install`.
PREFIX	?= /usr/local
SYSCONFDIR ?= /etc
BINDIR	 = $(PREFIX)/sbin
LIBDIR	 = $(PREFIX)/lib/parta
SHAREDIR = $(PREFIX)/share/parta
DOCDIR	 = $(PREFIX)/share/doc/parta
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system

# Paths compiled into the programs and parta-admin, used when the
# configuration does not say otherwise: the checkout for the local stack;
# `make install` builds again in build/install with the installed paths.
TEMPLATES_DIR	?= $(CURDIR)/html/templates
MIGRATE_SCRIPT	?= $(CURDIR)/scripts/migrate.sh
CONFIG_FILE	?=
OWNER_CONFIG_FILE ?=
PATH_DEFS = -DPARTA_TEMPLATES_DEFAULT='"$(TEMPLATES_DIR)"' \
	    -DPARTA_MIGRATE_DEFAULT='"$(MIGRATE_SCRIPT)"' \
	    $(if $(CONFIG_FILE),-DPARTA_CONFIG_DEFAULT='"$(CONFIG_FILE)"') \
	    $(if $(OWNER_CONFIG_FILE),-DPARTA_OWNER_CONFIG_DEFAULT='"$(OWNER_CONFIG_FILE)"')

B	 = build
LIB_SRC	 = $(wildcard lib/*.c)
LIB_OBJ	 = $(LIB_SRC:%.c=$(B)/%.o)
# A program is cgi-bin/NAME.c, or a folder cgi-bin/NAME/ whose main.c
# holds its routes table (its other .c files and its own headers beside
# it; their objects in $(B)/obj/cgi-bin/NAME/).  Either way one
# $(B)/cgi-bin/NAME; scripts/programs.sh lists the same names.
PROG_DIRS = $(patsubst cgi-bin/%/main.c,%,$(wildcard cgi-bin/*/main.c))
PROGS	 = $(patsubst cgi-bin/%.c,$(B)/cgi-bin/%,$(wildcard cgi-bin/*.c)) \
	   $(PROG_DIRS:%=$(B)/cgi-bin/%)
TOOLS	 = $(B)/bin/parta-admin
UNIT	 = $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/test_*.c))
HTTPT	 = $(patsubst tests/http/%.c,$(B)/tests/http/%,$(wildcard tests/http/test_*.c))
FAULTT	 = $(patsubst tests/faults/%.c,$(B)/tests/faults/%,$(wildcard tests/faults/*.c))
# Programs with a mistake put in on purpose (tests/security/NAME.sed over
# a copy of cgi-bin/PROGRAM.c): what the database must still refuse.
SECT	 = $(patsubst tests/security/%.sed,$(B)/tests/security/%,$(wildcard tests/security/*.sed))

# libFuzzer harnesses: clang with the address and undefined-behaviour
# sanitizers, over a copy of libparta built the same way.
FUZZ_CC	 = clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJ = $(LIB_SRC:%.c=$(B)/fuzz/%.o)
FUZZ	 = $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_RUNS ?=

# Objects are intermediate files of the pattern rules: keep them, so that
# a second make rebuilds only what changed.
.SECONDARY:

.PHONY: all deps deps-test deps-bench run start stop test unit clean programs install \
	install-files uninstall FORCE fuzz fuzz-build test-valgrind bench \
	bench-compare instructions
all: $(B)/libparta.a $(PROGS) $(TOOLS) $(UNIT) $(HTTPT) $(FAULTT) $(SECT)
programs: $(B)/libparta.a $(PROGS) $(TOOLS)

# What building and running need; the test tools on top for the tests.
deps:
	@scripts/deps.sh run
deps-test:
	@scripts/deps.sh test
deps-bench:
	@scripts/deps.sh bench

$(B)/%.o: %.c $(wildcard lib/*.h) tests/http/t.h tests/http/fixture.h \
	    tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(HARDEN_CFLAGS) $(WARN) -c $< -o $@

# The files that use the compiled-in paths are rebuilt when they change.
$(B)/paths: FORCE
	@mkdir -p $(B)
	@echo "$(TEMPLATES_DIR) $(MIGRATE_SCRIPT) $(CONFIG_FILE)" | \
	    cmp -s - $@ || \
	    echo "$(TEMPLATES_DIR) $(MIGRATE_SCRIPT) $(CONFIG_FILE)" >$@
$(B)/lib/config.o $(B)/scripts/parta-admin.o $(B)/tests/unit/test_config.o: $(B)/paths
$(B)/lib/config.o $(B)/scripts/parta-admin.o $(B)/tests/unit/test_config.o: CPPFLAGS += $(PATH_DEFS)

$(B)/libparta.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/cgi-bin/%: $(B)/cgi-bin/%.o $(B)/libparta.a
	$(LINK) -o $@ $< $(B)/libparta.a $(LIBS)

# A program that is a folder: every .c file in it, each object rebuilt
# when the folder's headers change.
define PROG_DIR
$(B)/cgi-bin/$(1): $(patsubst %.c,$(B)/obj/%.o,$(wildcard cgi-bin/$(1)/*.c)) \
    $(B)/libparta.a
	@mkdir -p $$(dir $$@)
	$$(LINK) -o $$@ $$(filter %.o,$$^) $(B)/libparta.a $$(LIBS)
$(B)/obj/cgi-bin/$(1)/%.o: cgi-bin/$(1)/%.c $(wildcard cgi-bin/$(1)/*.h) \
    $(wildcard lib/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CPPFLAGS) $$(CFLAGS) $$(HARDEN_CFLAGS) $$(WARN) -c $$< -o $$@
endef
$(foreach p,$(PROG_DIRS),$(eval $(call PROG_DIR,$(p))))

# Libraries only some programs need.
$(B)/cgi-bin/invite $(B)/cgi-bin/chat $(B)/tests/unit/test_qr: LIBS += -lqrencode
# The calendar feed is written by libical (cgi-bin/events.c).
$(B)/cgi-bin/events: LIBS += -lical
# Files (lib/file): libmagic tells the type by content; libvips
# re-encodes images and makes previews, in a child confined by
# libseccomp (lib/file_image.c).  Every program that calls lib/file
# links these.
VIPS_CFLAGS := $(shell pkg-config --cflags vips 2>/dev/null)
VIPS_LIBS := $(shell pkg-config --libs vips 2>/dev/null || echo -lvips)
FILE_LIBS = -lmagic $(VIPS_LIBS) -lseccomp
$(B)/lib/file_image.o $(B)/fuzz/lib/file_image.o \
    $(B)/tests/unit/test_file.o $(B)/tests/unit/test_file_convert.o: \
    CPPFLAGS += $(VIPS_CFLAGS)
$(B)/cgi-bin/files $(B)/cgi-bin/chat $(B)/cgi-bin/materials \
    $(B)/bin/parta-admin $(B)/tests/unit/test_file \
    $(B)/tests/unit/test_file_convert: LIBS += $(FILE_LIBS)
# Articles are rendered by cmark (cgi-bin/materials.c), never by hand.
$(B)/cgi-bin/materials: LIBS += -lcmark
# Video links and hosts on internationalized names (lib/embed): libidn2.
$(B)/cgi-bin/materials $(B)/tests/unit/test_embed: LIBS += -lidn2

# tests/security/PROGRAM-what.sed patches a copy of cgi-bin/PROGRAM.c;
# a patch that changes nothing fails the build.
$(B)/tests/security/%.c: tests/security/%.sed FORCE
	@mkdir -p $(dir $@)
	@src=cgi-bin/$$(echo $* | cut -d- -f1).c; \
	    sed -f $< $$src >$@.tmp && ! cmp -s $$src $@.tmp || \
	    { echo "$<: changes nothing in $$src" >&2; rm -f $@.tmp; exit 1; }
	@cmp -s $@.tmp $@ || mv $@.tmp $@; rm -f $@.tmp
$(B)/tests/security/%.o: $(B)/tests/security/%.c $(wildcard lib/*.h)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(HARDEN_CFLAGS) $(WARN) -c $< -o $@
$(B)/tests/security/%: $(B)/tests/security/%.o $(B)/libparta.a
	$(LINK) -o $@ $< $(B)/libparta.a $(LIBS) -lqrencode

$(B)/bin/parta-admin: $(B)/scripts/parta-admin.o $(B)/libparta.a
	@mkdir -p $(dir $@)
	$(LINK) -o $@ $< $(B)/libparta.a $(LIBS)

# The unit tests: their shared fixtures (unit.c) and libparta.
$(B)/tests/unit/%: $(B)/tests/unit/%.o $(B)/tests/unit/unit.o $(B)/libparta.a
	$(LINK) -o $@ $< $(B)/tests/unit/unit.o $(B)/libparta.a $(LIBS) \
	    -lcmocka

# The HTTP and fault tests: the harness (t.c) and the fixtures (fixture.c).
TESTLIB	 = $(B)/tests/http/t.o $(B)/tests/http/fixture.o
$(B)/tests/http/%: $(B)/tests/http/%.o $(TESTLIB)
	$(LINK) -o $@ $^ -lcurl -lpq -lpthread

$(B)/tests/faults/%.o: CPPFLAGS += -Itests/http
$(B)/tests/faults/%: $(B)/tests/faults/%.o $(TESTLIB)
	$(LINK) -o $@ $^ -lcurl -lpq -lpthread

$(B)/fuzz/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	    $(WARN) -c $< -o $@

$(B)/fuzz/libparta.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(B)/fuzz/libparta.a
	$(FUZZ_CC) $(CPPFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer $(WARN) \
	    -o $@ $< $(B)/fuzz/libparta.a $(LIBS)

fuzz-build: $(FUZZ)

# Long runs; findings go to var/fuzz/<name>/crash-* (see tests/fuzz/run.sh).
fuzz: deps-test fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_RUNS)

run: deps programs
	@scripts/stack.sh run

start: deps programs
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

test: deps-test all fuzz-build
	@tests/run.sh

# The HTTP tests against a stack whose programs run under valgrind.
test-valgrind: deps-test all
	@tests/valgrind.sh

unit: all
	@for t in $(UNIT); do $$t || exit 1; done

# Its own stack (var/bench, port PARTA_BENCH_PORT or PARTA_PORT + 2); three
# rounds (ROUNDS), about 15 minutes on 2 cores; QUICK=1 one round of short
# runs, about 5 (bench/out/results.md only).
bench: deps-bench programs $(B)/bench/scrypt
	@QUICK=$(QUICK) ROUNDS=$(ROUNDS) bench/run.sh

# This checkout against revision BEFORE, taking turns in one run
# (var/bench-compare/compare.md); ROUNDS=3 by default.
bench-compare: deps-bench programs $(B)/bench/scrypt
	@BEFORE=$(BEFORE) QUICK=$(QUICK) ROUNDS=$(ROUNDS) bench/compare.sh

# Each page's SQL counted in instructions, which the host's load cannot
# move (var/instructions/instructions.md; bench-compare does both sides).
instructions: deps-bench programs $(B)/bench/scrypt
	@bench/instructions.sh

$(B)/bench/scrypt: $(B)/bench/scrypt.o $(B)/libparta.a
	$(LINK) -o $@ $< $(B)/libparta.a $(LIBS)

# Programs, templates, static files, migrations, parta-admin, systemd
# units and the nginx server block; /etc/parta/parta.conf and owner.conf
# only when there is none.  Builds as the invoking user, so `make && sudo make install`.
install:
	@$(MAKE) --no-print-directory B=$(B)/install \
	    TEMPLATES_DIR=$(SHAREDIR)/templates \
	    MIGRATE_SCRIPT=$(SHAREDIR)/scripts/migrate.sh \
	    CONFIG_FILE=$(SYSCONFDIR)/parta/parta.conf \
	    OWNER_CONFIG_FILE=$(SYSCONFDIR)/parta/owner.conf \
	    programs install-files

# (Called by install, with the build/install paths.)
install-files:
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/cgi-bin \
	    $(DESTDIR)$(SHAREDIR)/templates $(DESTDIR)$(SHAREDIR)/html/static \
	    $(DESTDIR)$(SHAREDIR)/sql $(DESTDIR)$(SHAREDIR)/scripts \
	    $(DESTDIR)$(SHAREDIR)/nginx $(DESTDIR)$(DOCDIR) \
	    $(DESTDIR)$(SYSTEMDDIR)/parta@session.service.d \
	    $(DESTDIR)$(SYSCONFDIR)/parta
	install -m 0755 $(PROGS) $(DESTDIR)$(LIBDIR)/cgi-bin/
	install -m 0755 $(TOOLS) $(DESTDIR)$(BINDIR)/
	install -m 0644 html/templates/*.html $(DESTDIR)$(SHAREDIR)/templates/
	install -m 0644 html/index.html html/404.html html/50x.html html/favicon.ico \
	    $(DESTDIR)$(SHAREDIR)/html/
	install -m 0644 html/static/* $(DESTDIR)$(SHAREDIR)/html/static/
	install -m 0644 sql/*.sql $(DESTDIR)$(SHAREDIR)/sql/
	install -m 0755 scripts/migrate.sh $(DESTDIR)$(SHAREDIR)/scripts/
	sed -e 's|/usr/local/share/parta|$(SHAREDIR)|g' nginx/parta.conf \
	    >$(DESTDIR)$(SHAREDIR)/nginx/parta.conf
	install -m 0644 docs/deploy.md $(DESTDIR)$(DOCDIR)/
	sed -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/parta@.service.in \
	    >$(DESTDIR)$(SYSTEMDDIR)/parta@.service
	install -m 0644 systemd/parta@.socket $(DESTDIR)$(SYSTEMDDIR)/
	sed -f systemd/parta-upload.sed -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g' \
	    systemd/parta@.service.in \
	    >$(DESTDIR)$(SYSTEMDDIR)/parta-upload@.service
	install -m 0644 systemd/parta-upload@.socket $(DESTDIR)$(SYSTEMDDIR)/
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	    -e 's|@DOCDIR@|$(DOCDIR)|g' systemd/parta-cleanup.service.in \
	    >$(DESTDIR)$(SYSTEMDDIR)/parta-cleanup.service
	install -m 0644 systemd/parta-cleanup.timer $(DESTDIR)$(SYSTEMDDIR)/
	install -m 0644 systemd/parta@session.service.d/workers.conf \
	    $(DESTDIR)$(SYSTEMDDIR)/parta@session.service.d/
	install -m 0644 systemd/parta.conf \
	    $(DESTDIR)$(SHAREDIR)/parta.conf.example
	@f=$(DESTDIR)$(SYSCONFDIR)/parta/parta.conf; [ -e $$f ] || { \
	    echo "install -m 0640 systemd/parta.conf $$f"; \
	    install -m 0640 systemd/parta.conf $$f; \
	    if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ] && \
		getent group parta >/dev/null; then \
		chgrp parta $$f; fi; }
	install -m 0644 systemd/owner.conf \
	    $(DESTDIR)$(SHAREDIR)/owner.conf.example
	@f=$(DESTDIR)$(SYSCONFDIR)/parta/owner.conf; [ -e $$f ] || { \
	    echo "install -m 0600 systemd/owner.conf $$f"; \
	    install -m 0600 systemd/owner.conf $$f; }

uninstall:
	rm -rf $(DESTDIR)$(LIBDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)
	rm -rf $(DESTDIR)$(SYSTEMDDIR)/parta@session.service.d
	rm -f $(DESTDIR)$(BINDIR)/parta-admin \
	    $(DESTDIR)$(SYSTEMDDIR)/parta@.service \
	    $(DESTDIR)$(SYSTEMDDIR)/parta@.socket \
	    $(DESTDIR)$(SYSTEMDDIR)/parta-upload@.service \
	    $(DESTDIR)$(SYSTEMDDIR)/parta-upload@.socket \
	    $(DESTDIR)$(SYSTEMDDIR)/parta-cleanup.service \
	    $(DESTDIR)$(SYSTEMDDIR)/parta-cleanup.timer

clean:
	rm -rf $(B)
