/*
 * Round trips to PostgreSQL per page (issue 24): the pages of the bench
 * (bench/run.sh) each wait for the database at most as often as the
 * table below says, counted by lib/db (db_round_trips) and told in the
 * X-Parta-Round-Trips header the local stack turns on
 * (PARTA_DEBUG_ROUND_TRIPS=1).  The session's lookup and an
 * organization's standing travel together in one round trip, the page's
 * own statements in one more (lib/db.h, db_send), and a GET runs no
 * BEGIN or COMMIT.  Before: 3 to 7 (bench/results.md: 4 to 8 with the
 * organization's standing a round trip of its own).  A page that goes back to one statement at a time
 * fails here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static struct t_school	 s;
static int		 made;
static char		 tok[44];
static long long	 chat;

static void
school(void)
{
	struct t_person	 applicant;

	if (made++)
		return;
	t_school_new(&s, "Школа круговых поездок");
	/* A pending application, an invite link, a class chat. */
	t_signup(&applicant, "Заявкина", "Ольга");
	T_TRUE(t_application_add(s.org, applicant.id, "student", s.c5) > 0);
	t_token_new(tok);
	T_TRUE(t_invite_add(s.org, s.admin.id, "student", s.c5, 5, tok) > 0);
	T_TRUE((chat = t_chat_of(s.org, s.c5, "students")) > 0);
	t_client_free(&applicant.c);
}

/* GET path as c answers 200 within max round trips; each page twice, so
 * that the second finds its statements prepared (the first prepares
 * them in the same write: no more round trips either). */
static void
page(struct t_client *c, const char *path, int max)
{
	const char	*h;
	int		 i, n;

	for (i = 0; i < 2; i++) {
		t_get(c, path);
		T_STATUS(c, 200);
		if ((h = t_header(c, "X-Parta-Round-Trips")) == NULL)
			T_FAIL("%s: no X-Parta-Round-Trips (the stack sets "
			    "PARTA_DEBUG_ROUND_TRIPS=1)", path);
		n = atoi(h);
		printf("# %s: %d round trip(s)\n", path, n);
		if (n > max)
			T_FAIL("%s: %d round trips, at most %d", path, n,
			    max);
	}
}

static void
org_pages(void)
{
	school();
	page(&s.admin.c, t_fmt("/org/%lld", s.org), 2);
	page(&s.hr.c, t_fmt("/org/%lld", s.org), 2);
	/* A student's checklist asks whether they may make a parent's
	 * link after reading it: one more. */
	page(&s.st.c, t_fmt("/org/%lld", s.org), 3);
	page(&s.admin.c, t_fmt("/org/%lld/applications", s.org), 2);
	page(&s.admin.c, t_fmt("/org/%lld/members", s.org), 2);
	page(&s.admin.c, t_fmt("/org/%lld/classes", s.org), 2);
	page(&s.admin.c, t_fmt("/org/%lld/invites", s.org), 2);
	page(&s.admin.c, t_fmt("/org/%lld/audit", s.org), 2);
}

static void
chat_page(void)
{
	school();
	/* The first visit marks the chat read (one statement more, no
	 * BEGIN or COMMIT); then the chat, which names the organization,
	 * and its messages. */
	T_EQ(t_get(&s.st.c, t_fmt("/chats/%lld", chat)), 200);
	T_TRUE(t_header(&s.st.c, "X-Parta-Round-Trips") != NULL);
	T_TRUE(atoi(t_header(&s.st.c, "X-Parta-Round-Trips")) <= 4);
	page(&s.st.c, t_fmt("/chats/%lld", chat), 3);
}

static void
join_page(void)
{
	school();
	page(&s.nobody.c, t_fmt("/join/%s", tok), 2);
}

/* A visitor's page with no SQL waits for nothing; an organization's page
 * for a stranger is refused after the one round trip. */
static void
no_more(void)
{
	struct t_client	 v;

	school();
	t_client_init(&v);
	page(&v, "/login", 1);
	t_client_free(&v);
	t_get(&s.other.c, t_fmt("/org/%lld/members", s.org));
	T_STATUS(&s.other.c, 404);
	T_TRUE(t_header(&s.other.c, "X-Parta-Round-Trips") != NULL);
	T_EQ(atoi(t_header(&s.other.c, "X-Parta-Round-Trips")), 1);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "organization pages: two round trips", org_pages },
		{ "class chat page: three round trips", chat_page },
		{ "invite link page: two round trips", join_page },
		{ "a visitor's page, a stranger refused: one at most",
		    no_more },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
