#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"

/*
 * Blocks are chained; small allocations are carved from the current
 * block, large ones get a block of their own.  Alignment is that of
 * max_align_t so any type may live in the pool.
 */
#define POOL_BLOCK	(16 * 1024)
#define POOL_ALIGN	(_Alignof(max_align_t))

struct pool_block {
	struct pool_block	*next;
	size_t			 size;
	size_t			 used;
	_Alignas(max_align_t) unsigned char data[];
};

struct pool {
	struct pool_block	*head;
};

static void
pool_oom(void)
{
	fputs("parta: out of memory\n", stderr);
	exit(1);
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		pool_oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n == 0 ? 1 : n)) == NULL)
		pool_oom();
	return p;
}

char *
xstrdup(const char *s)
{
	size_t	 n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

struct pool *
pool_new(void)
{
	struct pool	*p;

	p = xmalloc(sizeof(*p));
	p->head = NULL;
	return p;
}

void
pool_clear(struct pool *p)
{
	struct pool_block	*b, *next;

	/* Keep the first standard block: most requests fit in it. */
	for (b = p->head; b != NULL; b = next) {
		next = b->next;
		if (next == NULL && b->size == POOL_BLOCK) {
			b->used = 0;
			p->head = b;
			return;
		}
		free(b);
	}
	p->head = NULL;
}

void
pool_free(struct pool *p)
{
	struct pool_block	*b, *next;

	if (p == NULL)
		return;
	for (b = p->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(p);
}

void *
pool_alloc(struct pool *p, size_t n)
{
	struct pool_block	*b;
	size_t			 size;

	n = (n + POOL_ALIGN - 1) & ~(POOL_ALIGN - 1);
	if (n == 0)
		n = POOL_ALIGN;
	b = p->head;
	if (b != NULL && b->size - b->used >= n) {
		b->used += n;
		return b->data + b->used - n;
	}
	size = n > POOL_BLOCK / 4 ? n : POOL_BLOCK;
	if (size > (size_t)-1 - sizeof(*b))
		pool_oom();
	b = xmalloc(sizeof(*b) + size);
	b->size = size;
	b->used = n;
	if (size == n && p->head != NULL) {
		/* A dedicated block goes behind the current one. */
		b->next = p->head->next;
		p->head->next = b;
	} else {
		b->next = p->head;
		p->head = b;
	}
	return b->data;
}

void *
pool_zalloc(struct pool *p, size_t n)
{
	return memset(pool_alloc(p, n), 0, n);
}

void *
pool_memdup(struct pool *p, const void *s, size_t n)
{
	return memcpy(pool_alloc(p, n), s, n);
}

char *
pool_strndup(struct pool *p, const char *s, size_t n)
{
	char	*d;

	d = pool_alloc(p, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
pool_strdup(struct pool *p, const char *s)
{
	return pool_strndup(p, s, strlen(s));
}

char *
pool_vprintf(struct pool *p, const char *fmt, va_list ap)
{
	va_list	 aq;
	char	*d;
	int	 n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		pool_oom();
	d = pool_alloc(p, (size_t)n + 1);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	return d;
}

char *
pool_printf(struct pool *p, const char *fmt, ...)
{
	va_list	 ap;
	char	*d;

	va_start(ap, fmt);
	d = pool_vprintf(p, fmt, ap);
	va_end(ap);
	return d;
}
