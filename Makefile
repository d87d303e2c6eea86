# Parta: build, run, test, bench.  The only entry points.
#   make run     install what is missing, build, start everything, Ctrl-C stops
#   make test    the same set-up, then every test
#   make start / make stop   the stack in the background
#   make fuzz    every libFuzzer harness for FUZZ_SECONDS (60) each
#   make test-valgrind   the HTTP tests with every program under memcheck

CC	?= cc
PG_INC	:= $(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
	   -Wmissing-prototypes -Wno-format-nonliteral
CPPFLAGS = -std=c11 -D_GNU_SOURCE -Ilib -I$(PG_INC) \
	   -DPARTA_TEMPLATES_DEFAULT='"$(CURDIR)/html/templates"'
LIBS	 = -lfcgi -lpq -lscrypt

B	 = build
LIB_SRC	 = $(wildcard lib/*.c)
LIB_OBJ	 = $(LIB_SRC:%.c=$(B)/%.o)
PROGS	 = $(patsubst cgi-bin/%.c,$(B)/cgi-bin/%,$(wildcard cgi-bin/*.c))
TOOLS	 = $(B)/bin/parta-admin
UNIT	 = $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(wildcard tests/unit/test_*.c))
HTTPT	 = $(patsubst tests/http/%.c,$(B)/tests/http/%,$(wildcard tests/http/test_*.c))
FAULTT	 = $(patsubst tests/faults/%.c,$(B)/tests/faults/%,$(wildcard tests/faults/*.c))

# libFuzzer harnesses: clang with the address and undefined-behaviour
# sanitizers, over a copy of libparta built the same way.
FUZZ_CC	 = clang
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJ = $(LIB_SRC:%.c=$(B)/fuzz/%.o)
FUZZ	 = $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60

.PHONY: all deps run start stop test unit clean fuzz fuzz-build test-valgrind
all: $(B)/libparta.a $(PROGS) $(TOOLS) $(UNIT) $(HTTPT) $(FAULTT)

deps:
	@scripts/deps.sh

$(B)/%.o: %.c $(wildcard lib/*.h) tests/http/t.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -c $< -o $@

$(B)/libparta.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/cgi-bin/%: $(B)/cgi-bin/%.o $(B)/libparta.a
	$(CC) $(CFLAGS) -o $@ $< $(B)/libparta.a $(LIBS)

$(B)/bin/parta-admin: $(B)/scripts/parta-admin.o $(B)/libparta.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libparta.a $(LIBS)

$(B)/tests/unit/%: $(B)/tests/unit/%.o $(B)/libparta.a
	$(CC) $(CFLAGS) -o $@ $< $(B)/libparta.a $(LIBS) -lcmocka

$(B)/tests/http/%: $(B)/tests/http/%.o $(B)/tests/http/t.o
	$(CC) $(CFLAGS) -o $@ $^ -lcurl -lpthread

$(B)/tests/faults/%.o: CPPFLAGS += -Itests/http
$(B)/tests/faults/%: $(B)/tests/faults/%.o $(B)/tests/http/t.o
	$(CC) $(CFLAGS) -o $@ $^ -lcurl -lpthread

$(B)/fuzz/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	    $(WARN) -c $< -o $@

$(B)/fuzz/libparta.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(B)/fuzz/libparta.a
	$(FUZZ_CC) $(CPPFLAGS) -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer $(WARN) \
	    -o $@ $< $(B)/fuzz/libparta.a $(LIBS)

fuzz-build: $(FUZZ)

# Long runs; findings go to var/fuzz/<name>/crash-* (see tests/fuzz/run.sh).
fuzz: deps fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

run: deps all
	@scripts/stack.sh run

start: deps all
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

test: deps all fuzz-build
	@tests/run.sh

# The HTTP tests against a stack whose programs run under valgrind.
test-valgrind: deps all
	@tests/valgrind.sh

unit: all
	@for t in $(UNIT); do $$t || exit 1; done

clean:
	rm -rf $(B)
