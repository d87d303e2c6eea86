/*
 * event: what a person's home pages (/org/N, /me) show of events: today
 * and the coming six days, day by day in the organization's zone, each
 * day with the events addressed to the person or «событий нет»
 * (parta.event_week, sql/0035_events.sql, says which events reach whom:
 * a guardian's are their child's).  The events themselves are made,
 * changed and fed to calendars by cgi-bin/events.c.  Pages include the
 * template partial "event_week" for each item of the list "event_weeks"
 * this module fills.
 */
#ifndef PARTA_EVENT_H
#define PARTA_EVENT_H

struct html_ctx;
struct http_req;

/*
 * Add the week of the person asking in organization org (0: in each
 * organization of theirs and of their children) to c's list
 * "event_weeks": items with org_id, org_name, member (0 for a
 * guardian's), days (day_name, today,
 * more: «ещё N событий» past the first five,
 * events: id, title, time («10:00–12:00», «с 10:00», «весь день»,
 * «до 12:00»), place, class_name, cancelled, child_name; an empty list
 * on a day without any).  0, or an HTTP
 * status.
 */
int		 event_week_ctx(struct http_req *, struct html_ctx *c,
		    long long org);
/* The same in two halves, so that the statement travels with others
 * (lib/db.h, db_send): queue it, then read its answer into c.  It reads
 * for the request's account (parta.rls_account()): it may be queued
 * before r->user is known (lib/app.h, APP_ONE_TRIP). */
struct db_query;
struct db_query	*event_week_send(struct http_req *, long long org);
int		 event_week_read(struct http_req *, struct db_query *,
		    struct html_ctx *c);

#endif
