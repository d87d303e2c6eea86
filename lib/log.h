/*
 * log: one line per event on stderr, "program: route: what: why".
 * Never pass a password, token or code to it.
 */
#ifndef PARTA_LOG_H
#define PARTA_LOG_H

void	log_init(const char *program);
void	log_set_route(const char *route);
void	log_err(const char *what, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_info(const char *what, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
