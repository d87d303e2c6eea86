#include <stdio.h>
#include <string.h>

#include "app.h"
#include "db.h"
#include "log.h"
#include "member.h"

/* The words the database functions answer with, as results. */
static const struct {
	const char	*word;
	int		 result;
} member_words[] = {
	{ "ok", MEMBER_OK },
	{ "not_member", MEMBER_NOT_FOUND },
	{ "not_found", MEMBER_NOT_FOUND },
	{ "not_barred", MEMBER_NOT_FOUND },
	{ "forbidden", MEMBER_FORBIDDEN },
	{ "admin", MEMBER_ADMIN },
	{ "last_admin", MEMBER_LAST_ADMIN },
	{ "exists", MEMBER_EXISTS },
	{ "decided", MEMBER_DECIDED },
	{ "archived", MEMBER_ARCHIVED },
	{ "class", MEMBER_BAD_CLASS },
	{ "not_student", MEMBER_NOT_STUDENT },
	{ "not_teacher", MEMBER_NOT_TEACHER },
	{ "same", MEMBER_SAME },
};

static const struct db_stmt q_end = {
	"member_end",
	"SELECT parta.member_end($1, $2, nullif($3, '0')::bigint, $4) AS r"
};

static const struct db_stmt q_unbar = {
	"member_unbar",
	"SELECT parta.member_unbar($1, $2, nullif($3, '0')::bigint) AS r"
};

static const struct db_stmt q_move = {
	"member_move",
	"SELECT parta.student_move($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_teacher_add = {
	"member_teacher_add",
	"SELECT parta.subject_teacher_add($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_teacher_remove = {
	"member_teacher_remove",
	"SELECT parta.subject_teacher_remove($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_homeroom_set = {
	"member_homeroom_set",
	"SELECT parta.homeroom_set($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_homeroom_unset = {
	"member_homeroom_unset",
	"SELECT parta.homeroom_unset($1, $2, $3, $4) AS r"
};

static const struct db_stmt q_decide = {
	"member_decide",
	"SELECT parta.application_decide($1, $2, $3, $4, $5,"
	" nullif($6, '0')::bigint) AS r"
};

int
member_result_of(const char *word)
{
	size_t	 i;

	for (i = 0; i < sizeof(member_words) / sizeof(member_words[0]); i++)
		if (strcmp(word, member_words[i].word) == 0)
			return member_words[i].result;
	return MEMBER_ERROR;
}

/* Run q with n numbers and then the strings in s: the result word. */
static int
member_call(const struct db_stmt *q, int n, const long long *num,
    int ns, const char *const *s)
{
	char		 buf[6][24];
	const char	*params[8];
	PGresult	*res;
	int		 k, result;

	for (k = 0; k < n; k++) {
		snprintf(buf[k], sizeof(buf[k]), "%lld", num[k]);
		params[k] = buf[k];
	}
	for (k = 0; k < ns; k++)
		params[n + k] = s[k];
	if ((res = db_execv(q, PGRES_TUPLES_OK, n + ns, params)) == NULL)
		return MEMBER_ERROR;
	if ((result = member_result_of(db_get(res, 0, "r"))) == MEMBER_ERROR)
		log_err(q->name, "unknown answer %s", db_get(res, 0, "r"));
	PQclear(res);
	return result;
}

int
member_end(long long org, long long account, long long actor,
    enum member_how how)
{
	static const char *const hows[] = { "removed", "admin_removed",
	    "left" };
	const long long	 num[] = { org, account, actor };

	return member_call(&q_end, 3, num, 1, &hows[how]);
}

int
member_unbar(long long org, long long account, long long actor)
{
	const long long	 num[] = { org, account, actor };

	return member_call(&q_unbar, 3, num, 0, NULL);
}

int
member_move(long long org, long long account, long long to,
    long long actor)
{
	const long long	 num[] = { org, account, to, actor };

	return member_call(&q_move, 4, num, 0, NULL);
}

int
member_teacher_add(long long org, long long cls, long long account,
    long long actor)
{
	const long long	 num[] = { org, cls, account, actor };

	return member_call(&q_teacher_add, 4, num, 0, NULL);
}

int
member_teacher_remove(long long org, long long cls, long long account,
    long long actor)
{
	const long long	 num[] = { org, cls, account, actor };

	return member_call(&q_teacher_remove, 4, num, 0, NULL);
}

int
member_homeroom_set(long long org, long long cls, long long account,
    long long actor)
{
	const long long	 num[] = { org, cls, account, actor };

	return member_call(&q_homeroom_set, 4, num, 0, NULL);
}

int
member_homeroom_unset(long long org, long long cls, long long account,
    long long actor)
{
	const long long	 num[] = { org, cls, account, actor };

	return member_call(&q_homeroom_unset, 4, num, 0, NULL);
}

int
member_decide(long long org, long long app, long long actor, int accept,
    const char *reason, long long cls)
{
	const long long	 num[] = { org, app, actor };
	char		 c[24];
	const char	*s[3];

	snprintf(c, sizeof(c), "%lld", cls);
	s[0] = accept ? "accepted" : "rejected";
	s[1] = reason != NULL ? reason : "";
	s[2] = c;
	return member_call(&q_decide, 3, num, 3, s);
}

int
member_http_status(int result)
{
	switch (result) {
	case MEMBER_OK:
		return 0;
	case MEMBER_NOT_FOUND:
		return HTTP_NOT_FOUND;
	case MEMBER_FORBIDDEN:
	case MEMBER_ADMIN:
		return HTTP_FORBIDDEN;
	case MEMBER_BAD_CLASS:
	case MEMBER_NOT_TEACHER:
		return HTTP_UNPROCESSABLE;
	case MEMBER_ERROR:
		return app_db_error();
	default:
		return HTTP_CONFLICT;
	}
}
