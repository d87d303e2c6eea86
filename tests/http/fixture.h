/*
 * fixture: the people, schools, classes, links and chats the HTTP tests
 * arrange before they check anything, in one place (tests/http/fixture.c,
 * linked into every HTTP and fault test).  Rows are put in by SQL the
 * way the programs put them (for state a test needs but does not test);
 * the rest goes over HTTP as a person would.
 *
 * A fixture whose set-up fails records the failure and ends the test
 * (T_FAIL); what it returns then (an id, or 0) is for the caller's own
 * checks.  Those that say they return -1 leave the failure to the
 * caller: the requests they make are what the test checks.
 */
#ifndef PARTA_FIXTURE_H
#define PARTA_FIXTURE_H

#include "t.h"

/* Text formatted into a ring of 16 buffers of 1 KiB of this thread: a
 * path or value to pass on (static, until 16 more calls). */
const char *t_fmt(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));

/* A random link token as the programs make them: 43 URL-safe chars. */
void	 t_token_new(char out[44]);

/* n more clients logged in as p, into c (the caller frees them): 0. */
int	 t_clients_of(struct t_person *p, struct t_client *c, int n);

/* An account put in by SQL, phone verified, never logged in: its id. */
long long t_account_add(const char *last);
/* A class of org as create-class makes it (its chats come with it), of
 * academic year year (0: the organization's current one): its id. */
long long t_class_add(long long org, int grade, const char *letter,
	    long long year);
/* The current academic year where region 70 (every test org) is. */
int	 t_now_year(void);
/* Account who a member of org with role, verified or not, as an
 * accepted application makes them: 0. */
int	 t_member_add(long long org, long long who, const char *role,
	    int verified);
/* Account who in class cls of org with role (student, teacher,
 * homeroom); they must be a member of org already: 0. */
int	 t_class_member_add(long long org, long long cls, long long who,
	    const char *role);
/* Account parent made a guardian of account child (the row a
 * confirmed parent link leaves, sql/0008): 0. */
int	 t_guardian_add(long long parent, long long child);
/* Sign p up and make them a verified member of org with role (NULL:
 * none): their id (also in p->id). */
long long t_person_new(struct t_person *p, const char *last,
	    const char *first, long long org, const char *role);
/* A pending application of who to org with role, for class cls (0:
 * none): its id. */
long long t_application_add(long long org, long long who, const char *role,
	    long long cls);
/* An invite link of org put in by SQL as made by account by, for role
 * and class cls (0: none), for max_uses uses within a day; token is its
 * /join/TOKEN (made with t_token_new, or the caller's own): its id. */
long long t_invite_add(long long org, long long by, const char *role,
	    long long cls, int max_uses, const char *token);
/* The automatic chat of class cls of org for purpose (students,
 * parents), or of the organization for cls 0 (staff): its id, or -1. */
long long t_chat_of(long long org, long long cls, const char *purpose);

/*
 * A school with a class of each kind of reader (events, materials): its
 * administrator; classes 5А (homeroom teacher hr, student st, whose
 * guardian is mum) and 6Б (teacher t6, student st6, whose guardian is
 * dad); someone signed up in no school (nobody); another school
 * (oorg) and its administrator (other); the operator logged in (op).
 */
struct t_school {
	struct t_person	 admin, hr, t6, st, st6, mum, dad, nobody, other;
	struct t_client	 op;
	long long	 org, c5, c6, oorg;
};
/* Make it, the school named name. */
void	 t_school_new(struct t_school *, const char *name);
/* Free its clients. */
void	 t_school_free(struct t_school *);

/* Over HTTP.  c makes an invite link on org's form with the form-encoded
 * fields ("role=student&class_id=5&ttl_hours=48&max_uses=5") and opens
 * its page: the link's id, its token into tok; or -1. */
long long t_invite_make(struct t_client *c, long long org,
	    const char *fields, char *tok, size_t toksz);
/* p follows /join/TOKEN and applies: the application's id, or -1. */
long long t_join(struct t_person *p, const char *token);
/* p applies to org without a link, with role and class cls (0: none):
 * the application's id, or -1. */
long long t_apply_self(struct t_person *p, long long org, const char *role,
	    long long cls);
/* The student child makes their link for a parent on
 * /chats/parent-link and opens it: its /c/TOKEN token into tok, 0; or
 * -1. */
int	 t_parent_link(struct t_person *child, char *tok, size_t toksz);
/* GET /chats/CHAT: the status. */
long	 t_chat_get(struct t_client *c, long long chat);
/* Open the chat's page and post text (not yet URL-encoded) from its
 * form: the status. */
long	 t_chat_post(struct t_client *c, long long chat, const char *text);

/* A multipart/form-data body being built (t_mp_*), for the forms that
 * take a file.  Start from { 0 }. */
struct t_mp {
	char	*b;
	size_t	 len, cap;
};
void	 t_mp_field(struct t_mp *, const char *name, const char *value);
void	 t_mp_file(struct t_mp *, const char *name, const char *filename,
	    const char *type, const void *data, size_t len);
/* POST it to path (a csrf token only if a field holds it) and free it:
 * the status. */
long	 t_mp_post(struct t_client *, const char *path, struct t_mp *);

/* The whole file at path, malloc'd (its length into *len), or NULL. */
char	*t_read_file(const char *path, size_t *len);
/* A file of the checkout (tests/http/files/NAME), as t_read_file. */
char	*t_fixture_file(const char *name, size_t *len);

/* The stack's uploads folder (lib/store: beside its outbox), into out. */
void	 t_uploads_dir(char *out, size_t outsz);
/* Whether the uploads folder holds the bytes stored under key (a
 * parta.file store_key): 1, 0, or -1 for no key. */
int	 t_stored_key(const char *key);
/* How many files the uploads folder holds, or -1 when it cannot be read. */
long	 t_stored_count(void);

/* The host's photo conversions (sql/0062), arranged by the calling
 * thread's own connection (t_sql).  Hold (on 1) or let go (on 0) every
 * conversion slot of this host, up to T_CONVERT_SLOTS (more than any
 * PARTA_CONVERT_SLOTS a test stack runs): meanwhile no photo converts,
 * and each upload of one waits for a turn in its worker. */
#define T_CONVERT_SLOTS	64
void	 t_convert_hold(int on);
/* How many requests of program ("files", "chat", …) on this host are
 * in, waiting for a turn or converting: the entries held, from
 * pg_locks. */
long long t_convert_entered(const char *program);

/* An organization's registration request, as its form has it. */
struct t_orgreq {
	const char	*region, *full_name, *short_name, *inn, *kpp;
	const char	*admin_last_name, *admin_first_name;
	const char	*admin_patronymic, *admin_phone, *address;
	const char	*doc_name, *doc_type;	/* the document */
	const void	*doc;
	size_t		 doc_len;
};
/* POST it to /register/org with c's last csrf token (the caller has
 * opened the form): the status. */
long	 t_orgreq_post(struct t_client *c, const struct t_orgreq *);

#endif
