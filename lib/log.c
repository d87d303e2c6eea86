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

void
log_set_route(const char *route)
{
	size_t	 i;

	/* Only the path is kept; control characters could forge lines. */
	snprintf(log_route, sizeof(log_route), "%s", route ? route : "-");
	for (i = 0; log_route[i] != '\0'; i++)
		if ((unsigned char)log_route[i] < 0x20 || log_route[i] == 0x7f)
			log_route[i] = '?';
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
