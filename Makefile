# Parta: build, run, test, bench.  The only entry points.
#   make run     install what is missing, build, start everything, Ctrl-C stops
#   make test    the same set-up, then every test
#   make start / make stop   the stack in the background

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

.PHONY: all deps run start stop test unit clean
all: $(B)/libparta.a $(PROGS) $(TOOLS) $(UNIT) $(HTTPT)

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

# Programs that need one more library.
$(B)/cgi-bin/chat: LIBS += -lqrencode

$(B)/bin/parta-admin: $(B)/scripts/parta-admin.o $(B)/libparta.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(B)/libparta.a $(LIBS)

$(B)/tests/unit/%: $(B)/tests/unit/%.o $(B)/libparta.a
	$(CC) $(CFLAGS) -o $@ $< $(B)/libparta.a $(LIBS) -lcmocka

$(B)/tests/http/%: $(B)/tests/http/%.o $(B)/tests/http/t.o
	$(CC) $(CFLAGS) -o $@ $^ -lcurl -lpthread

run: deps all
	@scripts/stack.sh run

start: deps all
	@scripts/stack.sh start

stop:
	@scripts/stack.sh stop

test: deps all
	@tests/run.sh

unit: all
	@for t in $(UNIT); do $$t || exit 1; done

clean:
	rm -rf $(B)
