/*
 * pool: a per-request arena.  Everything a request allocates comes from
 * its pool and is released at once when the request ends, so handlers
 * never free and never leak.  Out of memory is fatal: the process exits
 * and multiwatch (or the CGI server) starts a fresh one.
 */
#ifndef PARTA_POOL_H
#define PARTA_POOL_H

#include <stdarg.h>
#include <stddef.h>

struct pool;

struct pool	*pool_new(void);
void		 pool_free(struct pool *);
void		 pool_clear(struct pool *);
void		*pool_alloc(struct pool *, size_t);
void		*pool_zalloc(struct pool *, size_t);
char		*pool_strdup(struct pool *, const char *);
char		*pool_strndup(struct pool *, const char *, size_t);
void		*pool_memdup(struct pool *, const void *, size_t);
char		*pool_printf(struct pool *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
char		*pool_vprintf(struct pool *, const char *, va_list);

/* Fatal allocation helpers for memory that outlives a request. */
void		*xmalloc(size_t);
void		*xrealloc(void *, size_t);
char		*xstrdup(const char *);

#endif
