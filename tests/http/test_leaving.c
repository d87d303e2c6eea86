/*
 * HTTP tests: the access matrix after a way out (issue 15).
 *
 * Rows are the ways out of an organization or a class, each taken over
 * HTTP (or parta-admin) in a school of its own; columns are the accesses
 * a membership grants, each tried over HTTP by the person who went out
 * (or, for a direct chat, by the parent on the other side).  Every cell
 * says the status it must get, or 0 where the access was never the
 * person's.  Then each way out is raced against 20 uses of the access it
 * ends: with track_commit_timestamp on (scripts/stack.sh), no use may
 * have committed after the way out did.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

enum who { W_PUPIL, W_HOMEROOM, W_SUBJECT, W_ADMIN2 };

/* A school with every kind of person and access in it. */
struct world {
	struct t_person	 admin, admin2, hr, subj, pupil, parent, applicant;
	long long	 org, year, c9g, c9a;
	long long	 chat_pupils, chat_channel, chat_direct;
	long long	 app;		/* the applicant's pending application */
	char		 hr_link[64];	/* invite tokens */
	char		 admin_link[64];
	char		 admin2_link[64];
	char		 chat_link[64];	/* the 9Г students' chat link */
};

enum cell {
	C_CLASS_CHAT,	/* post in 9Г's students' chat */
	C_NEW_CHAT,	/* post in the class chat the person moved to */
	C_SCHOOL,	/* open the school's channel for all */
	C_DIRECT,	/* the parent writes to the person directly */
	C_DECIDE,	/* accept the pending application */
	C_MAKE_LINK,	/* make an invite link for 9Г */
	C_OWN_LINK,	/* a stranger opens the link the person made */
	C_PENDING,	/* the person's own pending application: 1 closed,
			 * 2 still pending */
	C_CHAT_LINK,	/* the person opens 9Г's chat link */
	C_INVITE_LINK,	/* the person opens the admin's invite link */
	C_CLASS_LINK,	/* a stranger opens the 9Г students' invite link */
	C__MAX
};

static const char *const cell_names[C__MAX] = {
	"class chat", "new class chat", "school channel", "direct chat",
	"decide", "make link", "own link", "own application", "chat link",
	"invite link", "9Г's invite link",
};

struct row {
	const char	*name;
	enum who	 who;
	int		(*out)(struct world *);
	int		 want[C__MAX];
};

static struct t_person *
person_of(struct world *w, enum who who)
{
	switch (who) {
	case W_PUPIL:
		return &w->pupil;
	case W_HOMEROOM:
		return &w->hr;
	case W_SUBJECT:
		return &w->subj;
	default:
		return &w->admin2;
	}
}

/* A student invite link for 9Г made by p (303 expected): its token. */
static int
link_make(struct world *w, struct t_person *p, const char *role,
    char out[64])
{
	return t_invite_make(&p->c, w->org, t_fmt("role=%s&class_id=%lld"
	    "&ttl_hours=48&max_uses=30", role, w->c9g), out, 64) > 0 ? 0 : -1;
}

static long long
class_make(struct world *w, const char *letter)
{
	char	 path[64];

	snprintf(path, sizeof(path), "/org/%lld/classes", w->org);
	t_form(&w->admin.c, path);
	if (t_postf(&w->admin.c, path, "kind=class&grade=9&letter=%s&title="
	    "&year=%lld&color=%%232563c9", t_enc(letter), w->year) != 303)
		return -1;
	return t_id_after(t_header(&w->admin.c, "Location"), "/classes/");
}

/* Build the school: 0, or -1 with a failure recorded. */
static int
world_make(struct world *w)
{
	char	 path[96];

	memset(w, 0, sizeof(*w));
	t_signup(&w->admin, "Админова", "Анна");
	t_signup(&w->admin2, "Завучева", "Зоя");
	t_signup(&w->hr, "Классова", "Клара");
	t_signup(&w->subj, "Физиков", "Фёдор");
	t_signup(&w->pupil, "Ученикова", "Уля");
	t_signup(&w->parent, "Родителева", "Рита");
	t_signup(&w->applicant, "Новенький", "Ной");
	w->org = t_org_create(&w->admin, "Школа выходов");
	w->year = t_ll(t_sql("SELECT parta.org_year(%lld)", w->org));
	if ((w->c9g = class_make(w, "Г")) <= 0 ||
	    (w->c9a = class_make(w, "А")) <= 0)
		return -1;
	t_member_add(w->org, w->admin2.id, "admin", 1);
	t_member_add(w->org, w->hr.id, "teacher", 1);
	t_member_add(w->org, w->subj.id, "teacher", 1);
	t_member_add(w->org, w->pupil.id, "student", 1);
	t_class_member_add(w->org, w->c9g, w->pupil.id, "student");
	if (t_guardian_add(w->parent.id, w->pupil.id) != 0)
		return -1;

	/* The homeroom teacher and the subject teacher, by the admin. */
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld", w->org, w->c9g);
	t_form(&w->admin.c, path);
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld/homeroom",
	    w->org, w->c9g);
	if (t_postf(&w->admin.c, path, "account_id=%lld", w->hr.id) != 303)
		return -1;
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld/teachers",
	    w->org, w->c9g);
	if (t_postf(&w->admin.c, path, "account_id=%lld", w->subj.id) != 303)
		return -1;

	/* A channel for everyone; the class chat and its link. */
	snprintf(path, sizeof(path), "/org/%lld/chats", w->org);
	t_form(&w->admin.c, path);
	if (t_postf(&w->admin.c, path, "title=%s&kind=channel&audience=all",
	    t_enc("Новости школы")) != 303)
		return -1;
	w->chat_channel = t_id_after(t_header(&w->admin.c, "Location"),
	    "/chats/");
	w->chat_pupils = t_chat_of(w->org, w->c9g, "students");
	snprintf(path, sizeof(path), "/chats/%lld/link", w->chat_pupils);
	t_form(&w->hr.c, path);
	if (t_postf(&w->hr.c, path, "x=1") != 303 ||
	    t_get(&w->hr.c, path) != 200 ||
	    t_token(&w->hr.c, "/c/", w->chat_link, sizeof(w->chat_link)) == -1)
		return -1;

	/* The parent opens a direct chat with the homeroom teacher. */
	t_form(&w->parent.c, "/chats/family");
	if (t_postf(&w->parent.c, "/chats/direct", "account_id=%lld",
	    w->hr.id) != 303)
		return -1;
	w->chat_direct = t_id_after(t_header(&w->parent.c, "Location"),
	    "/chats/");

	/* Links: the homeroom teacher's for 9Г, the admins' for teachers. */
	if (link_make(w, &w->hr, "student", w->hr_link) == -1 ||
	    link_make(w, &w->admin, "teacher", w->admin_link) == -1 ||
	    link_make(w, &w->admin2, "teacher", w->admin2_link) == -1)
		return -1;

	/* An application waiting for a decision, by the 9Г link. */
	w->app = t_join(&w->applicant, w->hr_link);
	if (w->app <= 0)
		return -1;

	/* Each person's own pending application (to teach, say). */
	if (t_sql("INSERT INTO parta.application (org_id, account_id, role)"
	    " SELECT %lld, unnest(ARRAY[%lld, %lld, %lld, %lld]), 'teacher'",
	    w->org, w->pupil.id, w->hr.id, w->subj.id, w->admin2.id) == NULL)
		return -1;
	return w->chat_channel > 0 && w->chat_pupils > 0 &&
	    w->chat_direct > 0 && w->app > 0 ? 0 : -1;
}

/* The ways out. */

static int
post_as(struct t_person *p, const char *form, const char *path,
    const char *body)
{
	t_form(&p->c, form);
	return (int)t_postf(&p->c, path, "%s", body);
}

static int
out_remove(struct world *w, struct t_person *p)
{
	char	 form[64], path[96];

	snprintf(form, sizeof(form), "/org/%lld/members/%lld", w->org, p->id);
	snprintf(path, sizeof(path), "%s/remove", form);
	return post_as(&w->admin, form, path, "x=1") == 303 ? 0 : -1;
}

static int
out_remove_pupil(struct world *w)
{
	return out_remove(w, &w->pupil);
}

static int
out_remove_teacher(struct world *w)
{
	return out_remove(w, &w->hr);
}

static int
out_operator(struct world *w)
{
	struct t_client	 op;
	char		 path[96];
	int		 rc;

	if (t_operator_login(&op) == -1)
		return -1;
	snprintf(path, sizeof(path), "/operator/orgs/%lld", w->org);
	t_form(&op, path);
	snprintf(path, sizeof(path), "/operator/orgs/%lld/admins/%lld/remove",
	    w->org, w->admin2.id);
	rc = t_postf(&op, path, "x=1") == 303 ? 0 : -1;
	t_client_free(&op);
	return rc;
}

static int
out_parta_admin(struct world *w)
{
	const char	*root = getenv("PARTA_ROOT");
	char		 cmd[512];

	snprintf(cmd, sizeof(cmd), "%s/build/bin/parta-admin admin-remove "
	    "%lld %lld >/dev/null", root ? root : ".", w->org, w->admin2.id);
	return system(cmd) == 0 ? 0 : -1;
}

static int
out_leave(struct world *w)
{
	char	 form[32], path[48];

	snprintf(form, sizeof(form), "/org/%lld", w->org);
	snprintf(path, sizeof(path), "/org/%lld/leave", w->org);
	return post_as(&w->hr, form, path, "x=1") == 303 ? 0 : -1;
}

static int
out_unassign(struct world *w)
{
	char	 form[64], path[96], body[48];

	snprintf(form, sizeof(form), "/org/%lld/classes/%lld", w->org, w->c9g);
	snprintf(path, sizeof(path), "%s/homeroom/remove", form);
	snprintf(body, sizeof(body), "account_id=%lld", w->hr.id);
	return post_as(&w->admin, form, path, body) == 303 ? 0 : -1;
}

static int
out_subject(struct world *w)
{
	char	 form[64], path[128];

	snprintf(form, sizeof(form), "/org/%lld/classes/%lld", w->org, w->c9g);
	snprintf(path, sizeof(path), "%s/teachers/%lld/remove", form,
	    w->subj.id);
	return post_as(&w->admin, form, path, "x=1") == 303 ? 0 : -1;
}

static int
out_move(struct world *w)
{
	char	 form[64], path[96], body[48];

	snprintf(form, sizeof(form), "/org/%lld/members/%lld", w->org,
	    w->pupil.id);
	snprintf(path, sizeof(path), "%s/class", form);
	snprintf(body, sizeof(body), "class_id=%lld", w->c9a);
	return post_as(&w->admin, form, path, body) == 303 ? 0 : -1;
}

static int
out_archive(struct world *w)
{
	char	 form[64], path[96], body[160];

	snprintf(form, sizeof(form), "/org/%lld/classes/%lld/edit", w->org,
	    w->c9g);
	snprintf(path, sizeof(path), "%s", form);
	snprintf(body, sizeof(body), "kind=class&grade=9&letter=%s&title="
	    "&year=%lld&color=%%232563c9&archived=1", t_enc("Г"), w->year);
	return post_as(&w->admin, form, path, body) == 303 ? 0 : -1;
}

static int
out_rollover(struct world *w)
{
	char		 form[96], path[64], plan[80];

	snprintf(form, sizeof(form), "/org/%lld/classes/rollover?from=%lld",
	    w->org, w->year);
	snprintf(path, sizeof(path), "/org/%lld/classes/rollover", w->org);
	if (t_form(&w->admin.c, form) == NULL)
		return -1;
	snprintf(plan, sizeof(plan), "%s", t_hidden(&w->admin.c, "plan"));
	if (strlen(plan) != 64)
		return -1;
	/* The current year may still be running: confirmed (early). */
	return t_postf(&w->admin.c, path, "from=%lld&plan=%s&early=1",
	    w->year, plan) == 303 ? 0 : -1;
}

/* The removed administrator had class rows (a homeroom row, as the
 * operator's removal once left behind); then the year rolls over. */
static int
out_admin_rollover(struct world *w)
{
	if (t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'homeroom')",
	    w->org, w->c9g, w->admin2.id) == NULL)
		return -1;
	if (out_operator(w) == -1)
		return -1;
	return out_rollover(w);
}

/* The cells. */

static long
try_post(struct t_person *p, long long chat)
{
	if (chat <= 0)
		return -1;
	return t_chat_post(&p->c, chat, "Проверка доступа");
}

/* The chat of the class the person's 9Г led to: 9А (moved) or the
 * successor of the rollover. */
static long long
new_chat(struct world *w)
{
	long long	 next;

	next = t_ll(t_sql("SELECT next_id FROM parta.class WHERE org_id ="
	    " %lld AND id = %lld", w->org, w->c9g));
	return t_chat_of(w->org, next > 0 ? next : w->c9a, "students");
}

static long
cell(struct world *w, enum who who, enum cell c)
{
	struct t_person	*p = person_of(w, who);
	struct t_client	 anon;
	char		 path[96];
	const char	*st;
	long		 rc;

	switch (c) {
	case C_CLASS_CHAT:
		return try_post(p, w->chat_pupils);
	case C_NEW_CHAT:
		return try_post(p, new_chat(w));
	case C_SCHOOL:
		snprintf(path, sizeof(path), "/chats/%lld", w->chat_channel);
		return t_get(&p->c, path);
	case C_DIRECT:
		return try_post(&w->parent, w->chat_direct);
	case C_DECIDE:
		snprintf(path, sizeof(path), "/org/%lld/applications", w->org);
		t_form(&p->c, path);
		snprintf(path, sizeof(path), "/org/%lld/applications/%lld/accept",
		    w->org, w->app);
		return t_postf(&p->c, path, "x=1");
	case C_MAKE_LINK:
		snprintf(path, sizeof(path), "/org/%lld/invites", w->org);
		t_form(&p->c, path);
		return t_postf(&p->c, path, "role=student&class_id=%lld"
		    "&ttl_hours=48&max_uses=30", w->c9g);
	case C_OWN_LINK:
	case C_CLASS_LINK:
		t_client_init(&anon);
		snprintf(path, sizeof(path), "/join/%s", who == W_ADMIN2 &&
		    c == C_OWN_LINK ? w->admin2_link : w->hr_link);
		rc = t_get(&anon, path);
		t_client_free(&anon);
		return rc;
	case C_PENDING:
		st = t_sql("SELECT status FROM parta.application WHERE org_id ="
		    " %lld AND account_id = %lld AND invite_id IS NULL",
		    w->org, p->id);
		return st == NULL ? -1 : strcmp(st, "closed") == 0 ? 1 :
		    strcmp(st, "pending") == 0 ? 2 : 0;
	case C_CHAT_LINK:
		snprintf(path, sizeof(path), "/c/%s", w->chat_link);
		return t_get(&p->c, path);
	case C_INVITE_LINK:
		snprintf(path, sizeof(path), "/join/%s", w->admin_link);
		return t_get(&p->c, path);
	default:
		return -1;
	}
}

/*
 * The matrix.  0: the access was never the person's, not tried.
 * The last row is the rollover after the operator removed an
 * administrator who had class rows: they must be in no chat of the new
 * class (C_NEW_CHAT 404); the old class's chat link is gone with its
 * class (410), so only the invite link shows the bar.
 */
static const struct row rows[] = {
	/* The removed student's parent has no child in the school any
	 * more: the closed direct chat is out of their reach (404,
	 * parta.chat_readable); where a teacher went, they keep reading
	 * it (409 to a message). */
	{ "admin removes a student", W_PUPIL, out_remove_pupil,
	  { 404, 0, 404, 404, 404, 404, 0, 1, 403, 403, 200 } },
	{ "admin removes a homeroom teacher", W_HOMEROOM, out_remove_teacher,
	  { 404, 0, 404, 409, 404, 404, 410, 1, 403, 403, 0 } },
	{ "operator removes an administrator", W_ADMIN2, out_operator,
	  { 0, 0, 404, 0, 404, 404, 410, 1, 403, 403, 200 } },
	{ "parta-admin admin-remove", W_ADMIN2, out_parta_admin,
	  { 0, 0, 404, 0, 404, 404, 410, 1, 403, 403, 200 } },
	{ "a homeroom teacher leaves", W_HOMEROOM, out_leave,
	  { 404, 0, 404, 409, 404, 404, 410, 1, 200, 200, 0 } },
	{ "homeroom teacher unassigned", W_HOMEROOM, out_unassign,
	  { 404, 0, 200, 409, 403, 403, 410, 2, 0, 0, 0 } },
	{ "subject teacher taken out", W_SUBJECT, out_subject,
	  { 404, 0, 200, 0, 403, 403, 0, 2, 0, 0, 200 } },
	{ "student moved to 9А", W_PUPIL, out_move,
	  { 404, 303, 200, 409, 403, 403, 0, 2, 0, 0, 200 } },
	{ "class archived", W_PUPIL, out_archive,
	  { 409, 0, 200, 409, 403, 403, 0, 2, 0, 0, 410 } },
	{ "year rollover", W_PUPIL, out_rollover,
	  { 409, 303, 200, 303, 403, 403, 0, 2, 0, 0, 410 } },
	{ "administrator removed, then rollover", W_ADMIN2,
	  out_admin_rollover,
	  { 0, 404, 404, 0, 404, 404, 410, 1, 0, 403, 410 } },
};

static void
matrix(void)
{
	struct world	 w;
	size_t		 i;
	long		 got;
	int		 c, bad = 0;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (world_make(&w) == -1)
			T_FAIL("%s: the school could not be built",
			    rows[i].name);
		if (rows[i].out(&w) == -1)
			T_FAIL("%s: the way out failed", rows[i].name);
		for (c = 0; c < C__MAX; c++) {
			if (rows[i].want[c] == 0)
				continue;
			got = cell(&w, rows[i].who, (enum cell)c);
			if (got != rows[i].want[c]) {
				fprintf(stdout, "# %s × %s: %ld, want %d\n",
				    rows[i].name, cell_names[c], got,
				    rows[i].want[c]);
				bad++;
			}
		}
		/* Barred: the door (the invite link's, the last cell the
		 * person tried) says who closed it. */
		if (rows[i].want[C_INVITE_LINK] == 403 &&
		    !t_has(&person_of(&w, rows[i].who)->c, "исключил"))
			fprintf(stdout, "# %s: the 403 page does not say the "
			    "school removed them\n", rows[i].name), bad++;
	}
	T_EQ(bad, 0);
}

/*
 * Races.  Worker 0 takes the way out while the others use the access it
 * ends, USES times each; afterwards no use may have committed after the
 * way out did (pg_xact_commit_timestamp of the rows each wrote).
 */
#define RACERS	20
#define USES	3

struct race {
	struct world	*w;
	struct t_person	 p[RACERS];	/* the users' own clients */
	int		(*out)(struct world *);
	long		(*use)(struct race *, int);
	long long	 chat;		/* the chat a use writes to / joins */
	long long	 apps[RACERS];	/* the applications decided */
	char		 token[64];	/* the link followed */
	int		 out_rc;
};

static void
race_worker(int i, void *arg)
{
	struct race	*r = arg;
	int		 k;

	if (i == 0) {
		r->out_rc = r->out(r->w);
		return;
	}
	for (k = 0; k < USES; k++)
		(void)r->use(r, i - 1);
}

/* Copies of person p logged in on fresh clients, one per racer. */
static int
racers_login(struct race *r, const struct t_person *p)
{
	int	 i;

	for (i = 0; i < RACERS; i++) {
		r->p[i] = *p;
		if (t_login(&r->p[i]) == -1)
			return -1;
	}
	return 0;
}

static void
racers_free(struct race *r)
{
	int	 i;

	for (i = 0; i < RACERS; i++)
		t_client_free(&r->p[i].c);
}

static long
use_post(struct race *r, int i)
{
	return try_post(&r->p[i], r->chat);
}

static long
use_decide(struct race *r, int i)
{
	char	 path[96];

	snprintf(path, sizeof(path), "/org/%lld/applications", r->w->org);
	t_form(&r->p[i].c, path);
	snprintf(path, sizeof(path), "/org/%lld/applications/%lld/accept",
	    r->w->org, r->apps[i]);
	return t_postf(&r->p[i].c, path, "x=1");
}

static long
use_chat_link(struct race *r, int i)
{
	char	 path[96];

	snprintf(path, sizeof(path), "/c/%s", r->token);
	t_form(&r->p[i].c, path);
	return t_postf(&r->p[i].c, path, "x=1");
}

static long
use_join(struct race *r, int i)
{
	char	 path[96];

	snprintf(path, sizeof(path), "/join/%s", r->token);
	t_form(&r->p[i].c, path);
	return t_postf(&r->p[i].c, path, "x=1");
}

/* The commit time of the way out: its audit row's. */
#define OUT_COMMITTED(action)					\
	"(SELECT max(pg_xact_commit_timestamp(a.xmin)) FROM parta.audit a" \
	" WHERE a.org_id = %lld AND a.action = '" action "'"		\
	" AND a.target_id = %lld)"

static void
race_message_removal(void)
{
	struct world	 w;
	struct race	 r;

	T_STREQ(t_sql("SHOW track_commit_timestamp"), "on");
	T_TRUE(world_make(&w) == 0);
	memset(&r, 0, sizeof(r));
	r.w = &w;
	r.out = out_remove_pupil;
	r.use = use_post;
	r.chat = w.chat_pupils;
	T_TRUE(racers_login(&r, &w.pupil) == 0);
	t_parallel(RACERS + 1, race_worker, &r);
	racers_free(&r);
	T_EQ(r.out_rc, 0);
	T_STREQ(t_sql("SELECT count(*) FROM parta.message m WHERE"
	    " m.org_id = %lld AND m.author_id = %lld AND"
	    " pg_xact_commit_timestamp(m.xmin) > "
	    OUT_COMMITTED("member_remove"), w.org, w.pupil.id, w.org,
	    w.pupil.id), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE"
	    " org_id = %lld AND account_id = %lld", w.org, w.pupil.id), "0");
}

static void
race_decide_unassign(void)
{
	struct world	 w;
	struct race	 r;
	const char	*v;
	int		 i;

	T_TRUE(world_make(&w) == 0);
	memset(&r, 0, sizeof(r));
	r.w = &w;
	r.out = out_unassign;
	r.use = use_decide;
	/* Twenty students waiting for 9Г, made straight in the tables. */
	for (i = 0; i < RACERS; i++) {
		v = t_sql("WITH a AS (INSERT INTO parta.account (last_name,"
		    " first_name, gender, birth_date, email, password_hash)"
		    " VALUES ('Гонкин', 'Гоша', 'm', '2012-01-01',"
		    " 'race' || gen_random_uuid() || '@leaving.test', 'x')"
		    " RETURNING id) INSERT INTO parta.application (org_id,"
		    " account_id, role, class_id) SELECT %lld, id, 'student',"
		    " %lld FROM a RETURNING id", w.org, w.c9g);
		T_TRUE((r.apps[i] = t_ll(v)) > 0);
	}
	T_TRUE(racers_login(&r, &w.hr) == 0);
	t_parallel(RACERS + 1, race_worker, &r);
	racers_free(&r);
	T_EQ(r.out_rc, 0);
	T_STREQ(t_sql("SELECT count(*) FROM parta.application p WHERE"
	    " p.org_id = %lld AND p.decided_by = %lld AND"
	    " pg_xact_commit_timestamp(p.xmin) > "
	    OUT_COMMITTED("homeroom_unassign"), w.org, w.hr.id, w.org,
	    w.hr.id), "0");
}

static void
race_chat_link_removal(void)
{
	struct world	 w;
	struct race	 r;
	char		 path[96];

	T_TRUE(world_make(&w) == 0);
	memset(&r, 0, sizeof(r));
	r.w = &w;
	r.out = out_remove_pupil;
	r.use = use_chat_link;
	/* A chat of the admin's that the student is not in, with a link. */
	snprintf(path, sizeof(path), "/org/%lld/chats", w.org);
	t_form(&w.admin.c, path);
	T_EQ(t_postf(&w.admin.c, path, "title=%s&kind=chat",
	    t_enc("Кружок")), 303);
	r.chat = t_id_after(t_header(&w.admin.c, "Location"), "/chats/");
	snprintf(path, sizeof(path), "/chats/%lld/link", r.chat);
	t_form(&w.admin.c, path);
	T_EQ(t_postf(&w.admin.c, path, "x=1"), 303);
	T_EQ(t_get(&w.admin.c, path), 200);
	T_TRUE(t_token(&w.admin.c, "/c/", r.token, sizeof(r.token)) == 0);
	T_TRUE(racers_login(&r, &w.pupil) == 0);
	t_parallel(RACERS + 1, race_worker, &r);
	racers_free(&r);
	T_EQ(r.out_rc, 0);
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member WHERE"
	    " org_id = %lld AND account_id = %lld", w.org, w.pupil.id), "0");
}

static void
race_join_leave(void)
{
	struct world	 w;
	struct race	 r;
	int		 i;

	T_TRUE(world_make(&w) == 0);
	memset(&r, 0, sizeof(r));
	r.w = &w;
	r.out = out_leave;
	r.use = use_join;
	memcpy(r.token, w.hr_link, sizeof(r.token));
	for (i = 0; i < RACERS; i++)
		T_TRUE(t_signup(&r.p[i], "Гонщиков", "Гена") == 0);
	t_parallel(RACERS + 1, race_worker, &r);
	racers_free(&r);
	T_EQ(r.out_rc, 0);
	T_STREQ(t_sql("SELECT count(*) FROM parta.application p JOIN"
	    " parta.invite i ON i.org_id = p.org_id AND i.id = p.invite_id"
	    " WHERE p.org_id = %lld AND i.created_by = %lld AND"
	    " pg_xact_commit_timestamp(p.xmin) > "
	    OUT_COMMITTED("member_leave"), w.org, w.hr.id, w.org,
	    w.hr.id), "0");
}

static void
race_message_move(void)
{
	struct world	 w;
	struct race	 r;

	T_TRUE(world_make(&w) == 0);
	memset(&r, 0, sizeof(r));
	r.w = &w;
	r.out = out_move;
	r.use = use_post;
	r.chat = w.chat_pupils;
	T_TRUE(racers_login(&r, &w.pupil) == 0);
	t_parallel(RACERS + 1, race_worker, &r);
	racers_free(&r);
	T_EQ(r.out_rc, 0);
	T_STREQ(t_sql("SELECT count(*) FROM parta.message m WHERE"
	    " m.org_id = %lld AND m.chat_id = %lld AND m.author_id = %lld"
	    " AND pg_xact_commit_timestamp(m.xmin) > "
	    OUT_COMMITTED("student_move"), w.org, w.chat_pupils, w.pupil.id,
	    w.org,
	    w.pupil.id), "0");
}

/*
 * Someone accepted by a link who then left follows it again: a new
 * application, not the old accepted one (a rejection would stand).
 */
static void
come_back_by_link(void)
{
	struct world	 w;
	struct t_person	 n;
	char		 link[96], path[96];
	long long	 first, second;

	T_TRUE(world_make(&w) == 0);
	T_TRUE(t_signup(&n, "Вернувшийся", "Вова") == 0);
	snprintf(link, sizeof(link), "/join/%s", w.hr_link);
	t_form(&n.c, link);
	T_EQ(t_postf(&n.c, link, "x=1"), 303);
	first = t_id_after(t_header(&n.c, "Location"), "/applications/");
	T_TRUE(first > 0);
	snprintf(path, sizeof(path), "/org/%lld/applications/%lld", w.org,
	    first);
	t_form(&w.admin.c, path);
	snprintf(path, sizeof(path), "/org/%lld/applications/%lld/accept",
	    w.org, first);
	T_EQ(t_postf(&w.admin.c, path, "x=1"), 303);
	snprintf(path, sizeof(path), "/org/%lld", w.org);
	t_form(&n.c, path);
	snprintf(path, sizeof(path), "/org/%lld/leave", w.org);
	T_EQ(t_postf(&n.c, path, "x=1"), 303);

	T_EQ(t_get(&n.c, link), 200);
	T_LACKS(&n.c, "уже подали");
	t_form(&n.c, link);
	T_EQ(t_postf(&n.c, link, "x=1"), 303);
	second = t_id_after(t_header(&n.c, "Location"), "/applications/");
	T_TRUE(second > 0 && second != first);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    second), "pending");
	t_client_free(&n.c);
}

static const struct t_case cases[] = {
	{ "access matrix after each way out", matrix },
	{ "back by the link one was accepted by, after leaving",
	    come_back_by_link },
	{ "race: messages while the student is removed",
	    race_message_removal },
	{ "race: decisions while the homeroom teacher is unassigned",
	    race_decide_unassign },
	{ "race: a chat link followed while the student is removed",
	    race_chat_link_removal },
	{ "race: the teacher's link followed while she leaves",
	    race_join_leave },
	{ "race: messages in the old class while the student moves",
	    race_message_move },
};

int
main(void)
{
	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
