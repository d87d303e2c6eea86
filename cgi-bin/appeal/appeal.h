/*
 * appeal: what the files of the program share (cgi-bin/appeal/main.c).
 */
#ifndef APPEAL_H
#define APPEAL_H

#include "app.h"
#include "auth.h"
#include "db.h"
#include "org.h"
#include "pool.h"

#define APPEAL_TEXT_MAX		4000	/* characters in a message */
#define APPEAL_TOPIC_MAX	100	/* characters in a topic's title */
#define APPEAL_TOPICS_MAX	30	/* topics an organization offers */
#define APPEAL_OTHER		"Другое"	/* the topic always offered */
#define APPEAL_REPLIES_PER_MIN	20	/* messages per person and minute */

/*
 * Who the person asking is to the organization of the route: a member
 * (r->org is their standing, as the dispatcher loads it for APP_ORG
 * routes), a guardian of its students (children: those students), or
 * both.
 */
struct appeal_who {
	long long	 org;
	const char	*org_name;
	int		 member;	/* r->org set */
	int		 handler;	/* an admin or a homeroom teacher */
	const PGresult	*children;	/* id, name: the students one is
					 * the guardian of */
	int		 nchildren;
};

/* The person's standing (above): 0, 404 for whoever is neither a member
 * nor a guardian of a student (the operator too: a request is its
 * parties' and its handlers' only), or a database failure's status. */
int	appeal_standing(struct http_req *, struct appeal_who *);
/* The same in two halves (lib/db.h, db_send): queue the statement, which
 * reads for the request's account, so it may go before the session is
 * known (APP_ONE_TRIP); then read the standing from it. */
struct db_query	*appeal_standing_send(struct http_req *);
int	appeal_standing_read(struct http_req *, struct db_query *,
	    struct appeal_who *);
/* A page of the organization: its menu for a member, the plain one for
 * a guardian (the rest of the organization's pages are not theirs). */
struct html_ctx *appeal_ctx(struct http_req *, const struct appeal_who *,
	    const char *title);
/* A message as typed, ready to store (lib/valid's valid_message, at most
 * APPEAL_TEXT_MAX characters): NULL and *err for the form when it will
 * not do. */
const char *appeal_text(struct http_req *, const char *in, const char **err);
/* The topic as stored ('' for «Другое»), shown: «Другое» for ''. */
const char *appeal_topic_name(const char *topic);
/* Set in c what html/templates/_appeal_gone.html shows of the request's
 * author in row of res (column author_gone: parta.appeal_author_gone,
 * sql/0046): author_gone while they can no longer open it, and why:
 * gone_left (the school removed them), gone_child_left (their child
 * left), gone_unlinked (no longer the child's guardian: told nothing
 * more). */
void	appeal_set_gone(struct html_ctx *c, const PGresult *res, int row);

/* list.c */
int	appeal_list(struct http_req *);
int	appeal_file(struct http_req *);
int	appeal_topics(struct http_req *);
int	appeal_topics_post(struct http_req *);

/* show.c */
int	appeal_show(struct http_req *);
int	appeal_reply(struct http_req *);
int	appeal_close(struct http_req *);

#endif /* APPEAL_H */
