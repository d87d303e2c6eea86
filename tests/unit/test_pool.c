/*
 * Unit tests for lib/pool.c (the per-request arena) and lib/buf.c (the
 * growable, always NUL-terminated buffer).  Every allocation is filled
 * and checked afterwards, so overlapping or too small blocks show up as
 * failures here and as errors under valgrind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pool.h"

#define ALIGN	(_Alignof(max_align_t))

struct chunk {
	unsigned char	*p;
	size_t		 n;
};

static int
setup(void **state)
{
	*state = pool_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	pool_free(*state);
	return 0;
}

/* Allocate each size, fill each block with its own byte, then check
 * that no block was overwritten by a later one. */
static void
fill_and_check(struct pool *p, const size_t *sizes, size_t n)
{
	struct chunk	*c;
	size_t		 i, j;

	c = calloc(n, sizeof(*c));
	assert_non_null(c);
	for (i = 0; i < n; i++) {
		c[i].n = sizes[i];
		c[i].p = pool_alloc(p, sizes[i]);
		assert_non_null(c[i].p);
		assert_int_equal((uintptr_t)c[i].p % ALIGN, 0);
		memset(c[i].p, (int)(i % 251) + 1, sizes[i]);
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < c[i].n; j++)
			if (c[i].p[j] != (unsigned char)(i % 251 + 1))
				fail_msg("block %zu (size %zu) clobbered "
				    "at %zu", i, c[i].n, j);
	free(c);
}

static void
test_pool_alloc_align(void **state)
{
	static const size_t	 sizes[] = { 1, 2, 3, 7, 8, 9, 15, 16, 17,
	    31, 33, 63, 100, 1000, 1, 1, 1, 5, 4095, 4096, 11, 13 };

	fill_and_check(*state, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

/* Small allocations that overflow many 16 KiB blocks. */
static void
test_pool_many_small(void **state)
{
	size_t	 sizes[3000], i;

	for (i = 0; i < 3000; i++)
		sizes[i] = 1 + i % 97;
	fill_and_check(*state, sizes, 3000);
}

/* Large requests (more than a quarter of a block) get their own block;
 * small ones before and after them must stay intact and aligned. */
static void
test_pool_large(void **state)
{
	static const size_t	 sizes[] = { 10, 4097, 20, 16 * 1024,
	    16 * 1024 + 1, 30, 1 << 20, 40, 3 * 1024 * 1024, 50, 8000, 60 };

	fill_and_check(*state, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

/* A first allocation that is large, then small ones. */
static void
test_pool_large_first(void **state)
{
	static const size_t	 sizes[] = { 100000, 1, 2, 3, 100000, 4 };

	fill_and_check(*state, sizes, sizeof(sizes) / sizeof(sizes[0]));
}

static void
test_pool_zero_size(void **state)
{
	struct pool	*p = *state;
	void		*a, *b;

	a = pool_alloc(p, 0);
	b = pool_alloc(p, 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal((uintptr_t)a % ALIGN, 0);
	assert_int_equal((uintptr_t)b % ALIGN, 0);
}

static void
test_pool_zalloc(void **state)
{
	struct pool	*p = *state;
	unsigned char	*a, zero[5000];
	size_t		 i;

	/* Dirty the first block, clear, and take the same memory again. */
	for (i = 0; i < 3; i++)
		memset(pool_alloc(p, 5000), 0xa5, 5000);
	pool_clear(p);
	memset(zero, 0, sizeof(zero));
	for (i = 0; i < 3; i++) {
		a = pool_zalloc(p, 5000);
		assert_non_null(a);
		assert_memory_equal(a, zero, 5000);
	}
	a = pool_zalloc(p, 0);
	assert_non_null(a);
}

static void
test_pool_clear(void **state)
{
	struct pool	*p = *state;
	char		*first, *again, *s;
	int		 i;

	first = pool_alloc(p, 10);
	for (i = 0; i < 100; i++)
		memset(pool_alloc(p, 1000), 'x', 1000);
	memset(pool_alloc(p, 1 << 20), 'y', 1 << 20);
	pool_clear(p);
	/* The first standard block is kept and used from its start. */
	again = pool_alloc(p, 10);
	assert_ptr_equal(again, first);
	s = pool_strdup(p, "after clear");
	assert_string_equal(s, "after clear");
	pool_clear(p);
	pool_clear(p);
	s = pool_printf(p, "%d", 42);
	assert_string_equal(s, "42");
}

/* A pool whose only block is a large one is emptied completely. */
static void
test_pool_clear_large_only(void **state)
{
	struct pool	*p = *state;
	char		*big;

	big = pool_alloc(p, 100000);
	memset(big, 'z', 100000);
	pool_clear(p);
	big = pool_alloc(p, 100000);
	memset(big, 'w', 100000);
	assert_int_equal(big[99999], 'w');
	pool_clear(p);
	assert_string_equal(pool_strdup(p, "ok"), "ok");
}

static void
test_pool_strings(void **state)
{
	struct pool	*p = *state;
	const char	 src[] = "hello, world";
	const char	 bin[] = { 'a', '\0', 'b', '\0', 'c' };
	char		*s;
	void		*m;

	s = pool_strdup(p, src);
	assert_ptr_not_equal(s, src);
	assert_string_equal(s, "hello, world");
	s = pool_strdup(p, "");
	assert_string_equal(s, "");
	s = pool_strndup(p, src, 5);
	assert_string_equal(s, "hello");
	s = pool_strndup(p, src, 0);
	assert_string_equal(s, "");
	/* strndup copies exactly n bytes, NULs included, and terminates. */
	s = pool_strndup(p, bin, sizeof(bin));
	assert_memory_equal(s, bin, sizeof(bin));
	assert_int_equal(s[sizeof(bin)], '\0');
	m = pool_memdup(p, bin, sizeof(bin));
	assert_ptr_not_equal(m, bin);
	assert_memory_equal(m, bin, sizeof(bin));
}

static void
test_pool_printf(void **state)
{
	struct pool	*p = *state;
	char		*s, *big;
	size_t		 i;

	s = pool_printf(p, "%s-%d-%05.1f-%x-%c-%%", "ab", -12, 3.14159, 255,
	    'z');
	assert_string_equal(s, "ab--12-003.1-ff-z-%");
	s = pool_printf(p, "%s", "");
	assert_string_equal(s, "");
	s = pool_printf(p, "%lld/%zu", -9223372036854775807LL - 1,
	    (size_t)18);
	assert_string_equal(s, "-9223372036854775808/18");
	/* Longer than a block. */
	big = pool_printf(p, "<%*s>", 40000, "end");
	assert_int_equal(strlen(big), 40002);
	assert_int_equal(big[0], '<');
	for (i = 1; i < 39998; i++)
		if (big[i] != ' ')
			fail_msg("byte %zu is %d", i, big[i]);
	assert_string_equal(big + 39998, "end>");
	/* The pool still works after it. */
	s = pool_printf(p, "%s%s", "x", "y");
	assert_string_equal(s, "xy");
}

static char *
vprintf_helper(struct pool *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static char *
vprintf_helper(struct pool *p, const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = pool_vprintf(p, fmt, ap);
	va_end(ap);
	return s;
}

static void
test_pool_vprintf(void **state)
{
	assert_string_equal(vprintf_helper(*state, "%s=%d", "n", 7), "n=7");
}

static void
test_pool_free_null(void **state)
{
	(void)state;
	pool_free(NULL);
}

static void
test_xalloc(void **state)
{
	char	*s, *r;

	(void)state;
	s = xstrdup("copy me");
	assert_string_equal(s, "copy me");
	r = xrealloc(s, 100);
	assert_string_equal(r, "copy me");
	memset(r + 8, 'q', 92);
	free(r);
	s = xmalloc(0);
	assert_non_null(s);
	free(s);
}

/* buf */

static void
test_buf_init(void **state)
{
	struct buf	 b;

	(void)state;
	memset(&b, 0x55, sizeof(b));
	buf_init(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* Reset and free of an empty buffer are harmless. */
	buf_reset(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	buf_free(&b);
	assert_null(b.data);
}

static void
test_buf_add(void **state)
{
	struct buf	 b;

	(void)state;
	buf_init(&b);
	buf_add(&b, "", 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	buf_puts(&b, "abc");
	buf_putc(&b, 'd');
	buf_add(&b, "efgh", 2);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.data, "abcdef");
	assert_true(b.cap > b.len);
	/* Binary data keeps its NULs; len counts them; still terminated. */
	buf_add(&b, "\0x\0", 3);
	assert_int_equal(b.len, 9);
	assert_memory_equal(b.data, "abcdef\0x\0", 10);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
}

static void
test_buf_growth(void **state)
{
	struct buf	 b;
	char		*big;
	size_t		 i, prevcap = 0;
	int		 grew = 0;

	(void)state;
	buf_init(&b);
	for (i = 0; i < 100000; i++) {
		buf_putc(&b, (char)('a' + i % 26));
		assert_int_equal(b.len, i + 1);
		assert_true(b.cap >= b.len + 1);
		assert_int_equal(b.data[b.len], '\0');
		if (b.cap != prevcap) {
			grew++;
			prevcap = b.cap;
		}
	}
	/* Doubling: a few reallocations, not one per byte. */
	assert_in_range(grew, 2, 20);
	for (i = 0; i < 100000; i++)
		if (b.data[i] != (char)('a' + i % 26))
			fail_msg("byte %zu is %d", i, b.data[i]);
	/* One add much larger than the capacity. */
	buf_reset(&b);
	big = malloc(3000000);
	assert_non_null(big);
	memset(big, 'Q', 3000000);
	buf_add(&b, big, 3000000);
	assert_int_equal(b.len, 3000000);
	assert_memory_equal(b.data, big, 3000000);
	assert_int_equal(b.data[3000000], '\0');
	free(big);
	buf_free(&b);
}

static void
test_buf_reset(void **state)
{
	struct buf	 b;
	size_t		 cap;

	(void)state;
	buf_init(&b);
	buf_puts(&b, "something");
	cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(b.cap, cap);
	buf_puts(&b, "new");
	assert_string_equal(b.data, "new");
	buf_free(&b);
}

static void
test_buf_printf(void **state)
{
	struct buf	 b;
	size_t		 i;

	(void)state;
	buf_init(&b);
	buf_printf(&b, "%s", "");
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	buf_printf(&b, "Status: %d %s\r\n", 303, "See Other");
	buf_printf(&b, "%zu|%c|%05.2f", (size_t)7, 'x', 2.5);
	assert_string_equal(b.data, "Status: 303 See Other\r\n7|x|02.50");
	assert_int_equal(b.len, strlen(b.data));
	/* An append that crosses the first capacity several times. */
	buf_reset(&b);
	buf_puts(&b, "[");
	buf_printf(&b, "%*s", 5000, "");
	buf_printf(&b, "%s]", "tail");
	assert_int_equal(b.len, 5006);
	assert_int_equal(strlen(b.data), 5006);
	assert_int_equal(b.data[0], '[');
	for (i = 1; i <= 5000; i++)
		if (b.data[i] != ' ')
			fail_msg("byte %zu is %d", i, b.data[i]);
	assert_string_equal(b.data + 5001, "tail]");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pool_alloc_align, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_many_small, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_large, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_large_first, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_zero_size, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_zalloc, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_clear, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_clear_large_only,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool_strings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_printf, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_pool_vprintf, setup,
		    teardown),
		cmocka_unit_test(test_pool_free_null),
		cmocka_unit_test(test_xalloc),
		cmocka_unit_test(test_buf_init),
		cmocka_unit_test(test_buf_add),
		cmocka_unit_test(test_buf_growth),
		cmocka_unit_test(test_buf_reset),
		cmocka_unit_test(test_buf_printf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
