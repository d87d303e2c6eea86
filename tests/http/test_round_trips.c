/*
 * Round trips to PostgreSQL per page (issue 24): the pages of the bench
 * (bench/run.sh) each wait for the database once, counted by lib/db
 * (db_round_trips) and told in the X-Parta-Round-Trips header the local
 * stack turns on (PARTA_DEBUG_ROUND_TRIPS=1).  The session's lookup, an
 * organization's standing and the page's own statements travel together
 * (lib/app.h, APP_ONE_TRIP), and a GET runs no BEGIN or COMMIT.  Before:
 * 2 (the session and standing, then the page), 3 for a student's home
 * and the chat page; 3 to 7 before that.  The pages of guardians too
 * (APP_GUEST: appeals, leaders, materials), the events and the person's
 * own pages (/me, /chats, /me/files) are one round trip as well; POST
 * /join/TOKEN two (what it reads with the lookup, then the join).  A
 * page that goes back to one statement at a time fails here.
 *
 * The page's statements run before the program knows who asks, for the
 * account the session's lookup set before them: a page right after
 * another person's, on the same few workers, is never shown as theirs.
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
	page(&s.admin.c, t_fmt("/org/%lld", s.org), 1);
	page(&s.hr.c, t_fmt("/org/%lld", s.org), 1);
	/* A student's checklist says whether they may make a parent's
	 * link in the same statement. */
	page(&s.st.c, t_fmt("/org/%lld", s.org), 1);
	page(&s.op, t_fmt("/org/%lld", s.org), 1);
	page(&s.admin.c, t_fmt("/org/%lld/applications", s.org), 1);
	page(&s.hr.c, t_fmt("/org/%lld/applications", s.org), 1);
	page(&s.admin.c, t_fmt("/org/%lld/members", s.org), 1);
	page(&s.admin.c, t_fmt("/org/%lld/classes", s.org), 1);
	page(&s.admin.c, t_fmt("/org/%lld/invites", s.org), 1);
	page(&s.hr.c, t_fmt("/org/%lld/invites", s.org), 1);
	page(&s.admin.c, t_fmt("/org/%lld/audit", s.org), 1);
	/* The form's classes and zone, read for those who make events,
	 * and the events the person sees: before, 4 for the administrator,
	 * 2 for a student. */
	page(&s.admin.c, t_fmt("/org/%lld/events", s.org), 1);
	page(&s.hr.c, t_fmt("/org/%lld/events", s.org), 1);
	page(&s.st.c, t_fmt("/org/%lld/events", s.org), 1);
	page(&s.op, t_fmt("/org/%lld/events", s.org), 1);
}

/* The pages a guardian reads too (APP_GUEST): the standing, whether the
 * person is a guardian of the school's students and the page with the
 * session (APP_ONE_TRIP), for a member and for a guardian; before, 2
 * (the page's statements after the session's lookup), and before that
 * 3 to 7. */
static void
guest_pages(void)
{
	school();
	page(&s.admin.c, t_fmt("/org/%lld/leaders", s.org), 1);
	page(&s.mum.c, t_fmt("/org/%lld/leaders", s.org), 1);
	page(&s.admin.c, t_fmt("/org/%lld/materials", s.org), 1);
	page(&s.st.c, t_fmt("/org/%lld/materials", s.org), 1);
	page(&s.mum.c, t_fmt("/org/%lld/materials", s.org), 1);
	/* Whose children the person is a guardian of with the page:
	 * before, 3. */
	page(&s.admin.c, t_fmt("/org/%lld/appeals", s.org), 1);
	page(&s.hr.c, t_fmt("/org/%lld/appeals", s.org), 1);
	page(&s.mum.c, t_fmt("/org/%lld/appeals", s.org), 1);
}

/* The person's own pages, opened most after a school's: their home
 * (before: 10 or more, one standing per organization), their chats (3:
 * the list and whether they may make a parent's link each on its own)
 * and their files (4).  Their statements read for the account the
 * session's lookup sets (parta.rls_account()): each person's home, by
 * every role (an administrator, a homeroom teacher, a student, a
 * parent, the operator), in one. */
static void
own_pages(void)
{
	school();
	page(&s.admin.c, "/me", 1);
	page(&s.hr.c, "/me", 1);
	page(&s.st.c, "/me", 1);
	page(&s.mum.c, "/me", 1);
	page(&s.op, "/me", 1);
	page(&s.st.c, "/chats", 1);
	page(&s.mum.c, "/chats", 1);
	page(&s.admin.c, "/chats", 1);
	page(&s.st.c, "/me/files", 1);
	page(&s.admin.c, "/me/files", 1);
}

static void
chat_page(void)
{
	school();
	/* The first visit marks the chat read (one statement more, no
	 * BEGIN or COMMIT); then the chat, its messages and their files
	 * with the session's lookup. */
	T_EQ(t_get(&s.st.c, t_fmt("/chats/%lld", chat)), 200);
	T_TRUE(t_header(&s.st.c, "X-Parta-Round-Trips") != NULL);
	T_TRUE(atoi(t_header(&s.st.c, "X-Parta-Round-Trips")) <= 2);
	page(&s.st.c, t_fmt("/chats/%lld", chat), 1);
}

static void
join_page(void)
{
	struct t_client	 v;
	struct t_person	 j;
	const char	*h;

	school();
	page(&s.nobody.c, t_fmt("/join/%s", tok), 1);
	t_client_init(&v);
	page(&v, t_fmt("/join/%s", tok), 1);
	t_client_free(&v);
	/* POST /join/TOKEN: the link and the person's standing with the
	 * session's lookup, then the join (was 3: the lookup alone first);
	 * a second post finds the application, in one. */
	t_signup(&j, "Вступаева", "Анна");
	T_EQ(t_postf(&j.c, t_fmt("/join/%s", tok), "x=1"), 303);
	T_TRUE((h = t_header(&j.c, "Location")) != NULL &&
	    strncmp(h, "/me/applications/", 17) == 0);
	T_TRUE((h = t_header(&j.c, "X-Parta-Round-Trips")) != NULL);
	T_EQ(atoi(h), 2);
	T_EQ(t_postf(&j.c, t_fmt("/join/%s", tok), "x=1"), 303);
	T_EQ(atoi(t_header(&j.c, "X-Parta-Round-Trips")), 1);
	t_client_free(&j.c);
}

/*
 * The pages' statements run before the program knows who asks, for the
 * account the session's lookup sets before them (lib/db.h: test_db's
 * test_hold holds them to it): again and again on the same few workers,
 * right after the administrator's requests, a visitor sees the link's
 * page as a visitor, not as the member the connection last ran for
 * (409), and goes to log in for the members; a stranger gets 404 and
 * none of the members.  Their own home (/me) shows another school's
 * administrator their school, never this one, right after this one's
 * administrator's home, and a visitor goes to log in; the pages
 * guardians read too are no stranger's, right after a guardian's.
 */
static void
never_the_last(void)
{
	struct t_client	 v;
	int		 i;

	school();
	t_client_init(&v);
	for (i = 0; i < 12; i++) {
		T_EQ(t_get(&s.admin.c, t_fmt("/join/%s", tok)), 409);
		T_EQ(t_get(&v, t_fmt("/join/%s", tok)), 200);
		T_LACKS(&v, "уже состоите");
		T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/members", s.org)),
		    200);
		T_EQ(t_get(&s.other.c, t_fmt("/org/%lld/members", s.org)),
		    404);
		T_LACKS(&s.other.c, "Классова");
		T_EQ(t_get(&v, t_fmt("/org/%lld/members", s.org)), 303);
		T_EQ(t_get(&s.admin.c, "/me"), 200);
		T_HAS(&s.admin.c, "Школа круговых поездок");
		T_EQ(t_get(&s.other.c, "/me"), 200);
		T_HAS(&s.other.c, "Чужая школа");
		T_LACKS(&s.other.c, "Школа круговых поездок");
		T_EQ(t_get(&v, "/me"), 303);
		/* A guardian's page too: a stranger is no guardian, right
		 * after the school's administrator and a guardian. */
		T_EQ(t_get(&s.mum.c, t_fmt("/org/%lld/materials", s.org)),
		    200);
		T_EQ(t_get(&s.other.c, t_fmt("/org/%lld/materials", s.org)),
		    404);
		T_EQ(t_get(&s.other.c, t_fmt("/org/%lld/leaders", s.org)),
		    404);
	}
	t_client_free(&v);
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
	/* A visitor's home and an organization's page: to the login after
	 * the one round trip, the pages' statements (queued with the
	 * lookup) answering nothing for nobody; one that failed for a
	 * visitor (the checklist's door once did) would cost the batch
	 * and a round trip more. */
	T_EQ(t_get(&v, "/me"), 303);
	T_TRUE(t_header(&v, "X-Parta-Round-Trips") != NULL);
	T_EQ(atoi(t_header(&v, "X-Parta-Round-Trips")), 1);
	T_EQ(t_get(&v, t_fmt("/org/%lld", s.org)), 303);
	T_EQ(atoi(t_header(&v, "X-Parta-Round-Trips")), 1);
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
		{ "organization pages: one round trip", org_pages },
		{ "a guardian's pages: the standing with the session",
		    guest_pages },
		{ "the person's own pages: one round trip", own_pages },
		{ "class chat page: one round trip", chat_page },
		{ "invite link page: one round trip", join_page },
		{ "a page never runs for the last request's person",
		    never_the_last },
		{ "a visitor's page, a stranger refused: one at most",
		    no_more },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
