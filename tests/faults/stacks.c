/*
 * Two stacks of programs behind one nginx (PARTA_STACKS=2, as if on two
 * hosts: scripts/stack.sh), against a stack of its own
 * (tests/deploy/test_stacks.sh starts it and says how to kill one group
 * and bring it back, in STACKS_*).  Under load -- people reading a chat
 * (GET /chats/ID, the chat program), posting to it (POST
 * /chats/ID/messages) and opening /login (the session program) -- every
 * program's second group is killed with SIGKILL, as a host that dies:
 *  - before the kill every request is answered;
 *  - a request may fail only if it was in flight when the group died
 *    (begun before the kill was over, ended after it began);
 *  - every request begun after the kill is answered, by the other group;
 *  - no POST is applied twice (nginx sends a GET that failed to the
 *    other group, never a POST that reached a program): every message
 *    answered 303 is in the chat once, none of the others twice;
 *  - the group started again takes requests again;
 *  - posts sent to a group whose chat workers are paused (SIGSTOP: the
 *    requests sit in its socket, sent) and which is then killed answer
 *    502 and are not sent on to the other group (nginx's
 *    fastcgi_next_upstream without non_idempotent): a POST that reached
 *    a program is never sent twice; those the other group took, 303.
 * Which group answered: nginx's $upstream_addr, in a header the test
 * stack adds (X-Parta-Upstream).  With one stack (STACKS_TEST_N=1) the
 * requests after the kill fail: the test fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define NLOAD		6	/* load threads; one more controls */
#define MAX_REQS	6000	/* per thread */
#define UPSTREAM	"X-Parta-Upstream"
/* Posts per thread and phase at most (the kill's two phases count as
 * one): a person posts 60 a minute (cgi-bin/chat, 429 past that), each
 * thread is a person of its own, and every phase gets its posts. */
#define MAX_POSTS	12

/* What the load saw of the kill, in order: the load threads read it at
 * the start and the end of every request. */
enum phase {
	PH_BEFORE,	/* both groups up */
	PH_KILLING,	/* the kill under way */
	PH_KILLED,	/* the group is gone */
	PH_STARTING,	/* being started again */
	PH_BACK		/* started again */
};

struct req {
	char	 kind;		/* 'g' chat page, 'p' post, 'l' /login */
	char	 killed;	/* answered by the killed group */
	char	 retried;	/* by the other after the first failed */
	char	 phase0, phase1;	/* at its start, at its end */
	long	 status;
	int	 n;		/* its number in the thread (the post's text) */
};

static struct {
	volatile int	 phase;
	volatile int	 stop;
	volatile int	 n[NLOAD];	/* requests made so far */
	volatile int	 back;		/* the killed group answered again */
	struct req	 reqs[NLOAD][MAX_REQS];
	struct t_person	 people[NLOAD];	/* teachers in the staff chat */
	struct t_client	 anon[NLOAD];	/* nobody's, for /login */
	long long	 chat;
	const char	*group;		/* "unix:DIR/" of the killed group */
	int		 kill_ok, start_ok, timed_out;
	volatile int	 shown;		/* failures printed */
} L;

/* Whether the last address nginx tried (the one that answered) is one
 * of the killed group's sockets. */
static int
from_group(const struct t_client *c)
{
	const char	*a, *p;

	if ((a = t_header(c, UPSTREAM)) == NULL)
		return 0;
	if ((p = strrchr(a, ' ')) != NULL)
		a = p + 1;
	return strncmp(a, L.group, strlen(L.group)) == 0 &&
	    strchr(a + strlen(L.group), '/') == NULL;
}

static void
load(int i)
{
	struct t_client	*c;
	struct req	*r;
	char		 path[64];
	int		 n, ph, posts[PH_BACK + 1] = { 0 };

	for (n = 0; !L.stop && n < MAX_REQS; n++) {
		c = &L.people[i].c;
		r = &L.reqs[i][n];
		r->n = n;
		r->kind = "gpl"[n % 3];
		r->phase0 = (char)L.phase;
		ph = r->phase0 == PH_KILLING ? PH_KILLED : r->phase0;
		if (r->kind == 'p' && ++posts[ph] > MAX_POSTS)
			r->kind = 'g';
		switch (r->kind) {
		case 'g':
			snprintf(path, sizeof(path), "/chats/%lld", L.chat);
			r->status = t_get(c, path);
			break;
		case 'p':
			/* The csrf token of the chat page before. */
			snprintf(path, sizeof(path), "/chats/%lld/messages",
			    L.chat);
			r->status = t_postf(c, path, "text=stk-%d-%d", i, n);
			break;
		default:
			c = &L.anon[i];
			r->status = t_get(c, "/login");
			break;
		}
		r->phase1 = (char)L.phase;
		/* What went wrong, for the log (the first few). */
		if (r->status != (r->kind == 'p' ? 303 : 200) &&
		    __sync_fetch_and_add(&L.shown, 1) < 12)
			printf("# thread %d, %c %d, phase %d..%d: %ld from %s:"
			    " %.120s\n", i, r->kind, n, r->phase0,
			    L.phase, r->status, t_header(c, UPSTREAM) ?
			    t_header(c, UPSTREAM) : "-", t_snippet(c));
		r->killed = (char)from_group(c);
		r->retried = t_header(c, UPSTREAM) != NULL &&
		    strchr(t_header(c, UPSTREAM), ',') != NULL;
		if (r->killed && r->phase0 == PH_BACK && r->status == 200)
			L.back = 1;
		L.n[i] = n + 1;
	}
}

/* Until every load thread has made more than its count in mark[]
 * plus more requests (a 60 s bound, never reached on a sound stack):
 * 0, or -1. */
static int
each_made(const int *mark, int more)
{
	double	 t0 = t_now();
	int	 i, done;

	for (;;) {
		done = 1;
		for (i = 0; i < NLOAD; i++)
			if (L.n[i] < mark[i] + more && L.n[i] < MAX_REQS)
				done = 0;
		if (done)
			return 0;
		if (t_now() - t0 > 60)
			return -1;
		usleep(5000);
	}
}

static void
mark_now(int *mark)
{
	int	 i;

	for (i = 0; i < NLOAD; i++)
		mark[i] = L.n[i];
}

static int
run(const char *env)
{
	const char	*cmd = getenv(env);

	return cmd != NULL && system(cmd) == 0;
}

/* The controller: load, kill, load, start again, load until the group
 * answers again.  It never ends itself with a failed check (the load
 * would run on): what it saw is checked after. */
static void
control(void)
{
	int	 mark[NLOAD];
	double	 t0;

	mark_now(mark);
	if (each_made(mark, 12) == -1)
		L.timed_out = 1;
	L.phase = PH_KILLING;
	L.kill_ok = run("STACKS_KILL");
	L.phase = PH_KILLED;
	mark_now(mark);
	if (each_made(mark, 30) == -1)
		L.timed_out = 1;
	L.phase = PH_STARTING;
	L.start_ok = run("STACKS_START");
	L.phase = PH_BACK;
	/* nginx tries the group again once its fail_timeout is over. */
	t0 = t_now();
	while (!L.back && t_now() - t0 < 30)
		usleep(20000);
	mark_now(mark);
	if (each_made(mark, 12) == -1)
		L.timed_out = 1;
	L.stop = 1;
}

static void
thread(int i, void *arg)
{
	(void)arg;
	if (i == NLOAD)
		control();
	else
		load(i);
}

static int
answered(const struct req *r)
{
	return r->status == (r->kind == 'p' ? 303 : 200);
}

static void
group_killed_under_load(void)
{
	struct t_person	 admin, *p;
	struct t_client	 probe;
	const struct req *r;
	const char	*dir = getenv("STACKS_GROUP");
	long long	 org;
	static char	 group[1024];	/* L.group, for the next test too */
	int		 i, n, seen_k = 0, seen_o = 0;
	int		 total = 0, failed = 0, in_flight = 0, bad_before = 0,
			 bad_after = 0, bad_group = 0, posts = 0, once = 0,
			 failed_posts = 0, by_group_back = 0, crossed = 0,
			 retried = 0;

	T_TRUE(dir != NULL && *dir != '\0');
	snprintf(group, sizeof(group), "unix:%s/", dir);
	L.group = group;

	/* A school, its staff chat, a teacher in it for each thread. */
	T_EQ(t_signup(&admin, "Стеков", "Админ"), 0);
	org = t_org_create(&admin, NULL);
	L.chat = t_chat_of(org, 0, "staff");
	T_TRUE(L.chat > 0);
	for (i = 0; i < NLOAD; i++) {
		p = &L.people[i];
		t_person_new(p, "Стеков", "Учитель", org, "teacher");
		T_EQ(t_chat_post(&p->c, L.chat, t_fmt("первое %d", i)), 303);
		t_client_init(&L.anon[i]);
	}

	/* Both groups answer (round robin), as the header says; the
	 * group to be killed at least (with one stack it is the only
	 * one). */
	t_client_init(&probe);
	for (i = 0; i < 40 && !(seen_k && seen_o); i++) {
		T_EQ(t_get(&probe, "/login"), 200);
		T_TRUE(t_header(&probe, UPSTREAM) != NULL);
		if (from_group(&probe))
			seen_k = 1;
		else
			seen_o = 1;
	}
	t_client_free(&probe);
	T_TRUE(seen_k);
	printf("# the other group answers too: %s\n", seen_o ? "yes" : "no");

	t_parallel(NLOAD + 1, thread, NULL);
	T_TRUE(L.kill_ok);
	T_TRUE(L.start_ok);
	T_TRUE(!L.timed_out);

	for (i = 0; i < NLOAD; i++) {
		for (n = 0; n < L.n[i]; n++) {
			r = &L.reqs[i][n];
			total++;
			if (r->kind == 'p')
				posts++;
			if (r->phase0 == PH_BEFORE && r->phase1 >= PH_KILLING)
				crossed++;
			if (r->retried && answered(r))
				retried++;
			if (answered(r))
				;
			else if (r->phase0 <= PH_KILLING &&
			    r->phase1 >= PH_KILLING) {
				in_flight++;
				if (r->kind == 'p')
					failed_posts++;
			} else if (r->phase1 < PH_KILLING) {
				bad_before++;
			} else {
				bad_after++;
			}
			if (!answered(r))
				failed++;
			/* The killed group answers nothing while it is
			 * dead. */
			if (answered(r) && r->killed &&
			    r->phase0 >= PH_KILLED && r->phase1 <= PH_KILLED)
				bad_group++;
			if (answered(r) && r->killed && r->phase0 == PH_BACK)
				by_group_back++;
			/* A post answered 303 is there exactly once. */
			if (r->kind == 'p' && answered(r) &&
			    t_ll(t_sql("SELECT count(*) FROM parta.message"
			    " WHERE org_id = %lld AND chat_id = %lld AND"
			    " body = 'stk-%d-%d'", org, L.chat, i, n)) == 1)
				once++;
		}
	}
	printf("# %d requests (%d posts); %d begun before the kill and"
	    " ended after it began; %d answered by one group after the other"
	    " failed; %d failed (%d posts); %d answered by the group started"
	    " again\n", total, posts, crossed, retried, failed, failed_posts,
	    by_group_back);
	T_EQ(bad_before, 0);
	T_EQ(bad_after, 0);
	T_EQ(bad_group, 0);
	/* At most one request of each thread was in flight. */
	T_TRUE(in_flight <= NLOAD);
	T_EQ(once, posts - failed_posts);
	/* No message twice, a failed post's neither. */
	T_STREQ(t_sql("SELECT count(*) = count(DISTINCT body)"
	    " FROM parta.message WHERE org_id = %lld AND chat_id = %lld",
	    org, L.chat), "t");
	T_TRUE(L.back);
	T_TRUE(by_group_back > 0);
}

/* Posts sent while the group's chat workers are paused, and what they
 * got. */
#define NPOST	4
static struct {
	volatile int	 done;
	long		 status[NPOST];
	char		 upstream[NPOST][512];
	int		 waiting;	/* unanswered when the group died */
	int		 kill_ok;
} P;

static void
post_held(int i, void *arg)
{
	struct t_client	*c;
	const char	*u;
	char		 path[64];
	double		 t0;

	(void)arg;
	if (i == NPOST) {
		/* The posts the running group takes are answered at once;
		 * the others wait in the paused group's socket, sent.  A
		 * second after the first answer the group dies; or after 5 s
		 * with none, when round robin sent every post to the paused
		 * group (each nginx worker keeps its own turn), before the
		 * posts' own 30 s run out. */
		t0 = t_now();
		while (P.done == 0 && t_now() - t0 < 5)
			usleep(10000);
		usleep(1000000);
		P.waiting = NPOST - P.done;
		P.kill_ok = run("STACKS_KILL");
		return;
	}
	c = &L.people[i].c;
	snprintf(path, sizeof(path), "/chats/%lld/messages", L.chat);
	P.status[i] = t_postf(c, path, "text=held-%d", i);
	u = t_header(c, UPSTREAM);
	snprintf(P.upstream[i], sizeof(P.upstream[i]), "%s", u ? u : "");
	__sync_fetch_and_add(&P.done, 1);
}

static void
post_not_sent_twice(void)
{
	long long	 n;
	char		 path[64], sock[1100];
	int		 i, held = 0;

	T_TRUE(L.chat > 0);
	T_TRUE(run("STACKS_START"));
	/* The group answers again (nginx tries it after fail_timeout),
	 * and every poster has the chat's csrf token. */
	snprintf(path, sizeof(path), "/chats/%lld", L.chat);
	for (i = 0; i < 200; i++) {
		T_EQ(t_get(&L.people[0].c, path), 200);
		if (from_group(&L.people[0].c))
			break;
		usleep(50000);
	}
	T_TRUE(i < 200);
	for (i = 0; i < NPOST; i++)
		T_EQ(t_get(&L.people[i].c, path), 200);

	T_TRUE(run("STACKS_PAUSE"));
	t_parallel(NPOST + 1, post_held, NULL);
	T_TRUE(P.kill_ok);
	T_TRUE(run("STACKS_START"));

	snprintf(sock, sizeof(sock), "%schat.sock", L.group);
	for (i = 0; i < NPOST; i++) {
		n = t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
		    " chat_id = %lld AND body = 'held-%d'", L.chat, i));
		printf("# post %d: %ld from %s; %lld in the chat\n", i,
		    P.status[i], P.upstream[i], n);
		if (strncmp(P.upstream[i], sock, strlen(sock)) == 0) {
			/* Sent to the paused group, which died holding it:
			 * 502, and never sent on to the other group (its
			 * address would follow). */
			held++;
			T_STREQ(P.upstream[i], sock);
			T_EQ(P.status[i], 502);
			T_EQ(n, 0);
		} else {
			T_EQ(P.status[i], 303);
			T_EQ(n, 1);
		}
	}
	/* Round robin sent some to the paused group. */
	T_TRUE(held > 0);
	T_EQ(held, P.waiting);
	for (i = 0; i < NLOAD; i++) {
		t_client_free(&L.people[i].c);
		t_client_free(&L.anon[i]);
	}
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "a group of programs killed under load: only requests in"
		    " flight fail, no POST twice, the group comes back",
		    group_killed_under_load },
		{ "a POST the killed group held is not sent to the other",
		    post_not_sent_twice },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
