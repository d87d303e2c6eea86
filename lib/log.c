#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

/*
 * The program name and the route being served are per-process state:
 * set once at start-up and at the start of each request.
 */
static char	log_program[32] = "parta";
static char	log_route[128] = "-";

void
log_init(const char *program)
{
	snprintf(log_program, sizeof(log_program), "%s", program);
	setvbuf(stderr, NULL, _IOLBF, 0);
}

/*
 * Links carry secrets in their path (/join/TOKEN, /c/TOKEN): a segment
 * that looks like a token (16 or more of [A-Za-z0-9_-], not just digits)
 * is logged as "-", as nginx's access log does.
 */
static int
log_token_like(const char *s, size_t n)
{
	size_t	 i;
	int	 digits = 1;

	if (n < 16)
		return 0;
	for (i = 0; i < n; i++) {
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "abcdefghijklmnopqrstuvwxyz0123456789-_", s[i]) == NULL)
			return 0;
		if (s[i] < '0' || s[i] > '9')
			digits = 0;
	}
	return !digits;
}

void
log_set_route(const char *route)
{
	size_t	 i, o = 0, n;

	/* Only the path is kept; control characters could forge lines. */
	if (route == NULL)
		route = "-";
	while (*route != '\0' && o + 1 < sizeof(log_route)) {
		n = strcspn(route, "/");
		if (log_token_like(route, n)) {
			log_route[o++] = '-';
			route += n;
			continue;
		}
		if (n == 0)
			n = 1;	/* the slash itself */
		for (i = 0; i < n && o + 1 < sizeof(log_route); i++) {
			log_route[o] = route[i];
			if ((unsigned char)log_route[o] < 0x20 ||
			    log_route[o] == 0x7f)
				log_route[o] = '?';
			o++;
		}
		route += n;
	}
	log_route[o] = '\0';
}

static void
log_emit(const char *what, const char *fmt, va_list ap)
{
	char	 why[512];

	vsnprintf(why, sizeof(why), fmt, ap);
	/* libpq messages end in a newline; one event is one line. */
	why[strcspn(why, "\r\n")] = '\0';
	fprintf(stderr, "%s: %s: %s: %s\n", log_program, log_route, what, why);
}

void
log_err(const char *what, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit(what, fmt, ap);
	va_end(ap);
}

void
log_info(const char *what, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_emit(what, fmt, ap);
	va_end(ap);
}
