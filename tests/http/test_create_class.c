/*
 * Classes over HTTP (cgi-bin/create-class/): create, list, show, edit
 * and archive; validation and uniqueness; homeroom teachers; the
 * academic-year rollover; who may see and change what.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* Palette colours, URL-encoded: as data, and inside a format string. */
#define BLUE	"%232563c9"
#define FBLUE	"%%232563c9"
#define FGREEN	"%%232c7a4b"

/* Make p a member of org with role (verified or not), as the join and
 * approve programs will. */
static int
member_add(long long org, const struct t_person *p, const char *role,
    int verified)
{
	return t_member_add(org, p->id, role, verified);
}

/* Put p into a class, as approve will. */
static int
class_member_add(long long org, long long cls, const struct t_person *p,
    const char *role)
{
	/* A class takes only members of the organization (0012). */
	if (t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, '%s', true) ON CONFLICT DO NOTHING",
	    org, t_account_id(p), strcmp(role, "student") == 0 ? "student" :
	    "teacher") == NULL)
		return -1;
	/* A teacher joins the staff class by joining (0012): done. */
	return t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, '%s')"
	    " ON CONFLICT DO NOTHING", org, cls, t_account_id(p), role) ? 0 : -1;
}

/* POST a class form as c: the new class id from Location, or -1. */
static long long
class_post(struct t_client *c, long long org, const char *body)
{
	char	 path[160], prefix[64];

	snprintf(path, sizeof(path), "/org/%lld/classes", org);
	snprintf(prefix, sizeof(prefix), "/org/%lld/classes/", org);
	t_form(c, path);
	if (t_postf(c, path, "%s", body) != 303)
		return -1;
	return t_id_after(t_header(c, "Location"), prefix);
}

/* A class of org made by its admin: id, or -1 with a failure. */
static long long
class_make(struct t_person *admin, long long org, const char *grade,
    const char *letter, const char *title, int year)
{
	char		 body[512];
	long long	 id;

	snprintf(body, sizeof(body), "kind=class&grade=%s&letter=%s&title=%s"
	    "&year=%d&color=" FBLUE, grade, t_enc(letter), t_enc(title), year);
	if ((id = class_post(&admin->c, org, body)) == -1)
		t_fail(__FILE__, __LINE__, "class_make %s%s: %ld %.200s",
		    grade, letter, admin->c.r.status, t_snippet(&admin->c));
	return id;
}

static void
create_show_list(void)
{
	struct t_person	 admin, s1, s2;
	char		 path[128], want[128];
	long long	 org, id;
	int		 now;

	t_signup(&admin, "Дмитриева", "Светлана");
	t_signup(&s1, "Ученикова", "Аня");
	t_signup(&s2, "Учеников", "Борис");
	T_TRUE((org = t_org_create(&admin, "Гимназия №7")) > 0);
	T_TRUE((now = t_now_year()) > 2000);

	/* The form: the current academic year chosen, the palette as named
	 * swatches, the staff class offered. */
	snprintf(path, sizeof(path), "/org/%lld/classes/new", org);
	T_EQ(t_get(&admin.c, path), 200);
	snprintf(want, sizeof(want), "<option value=\"%d\" selected>%d/%d",
	    now, now, now + 1);
	T_HAS(&admin.c, want);
	T_HAS(&admin.c, "name=\"color\" value=\"#2563c9\" checked");
	T_HAS(&admin.c, "cover-6b46c1");
	T_HAS(&admin.c, "Фиолетовый");
	T_HAS(&admin.c, "value=\"staff\"");

	/* A lower-case letter is the same letter. */
	snprintf(path, sizeof(path), "/org/%lld/classes", org);
	t_form(&admin.c, path);
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=9&letter=%s&title=%s"
	    "&year=2025&color=%%237C4DD6", t_enc("г"), t_enc("Гуманитарный")),
	    422);
	T_HAS(&admin.c, "id=\"color_error\"");
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=9&letter=%s&title=%s"
	    "&year=2025&color=%%236B46C1", t_enc("г"), t_enc("Гуманитарный")),
	    303);
	snprintf(want, sizeof(want), "/org/%lld/classes/", org);
	T_TRUE((id = t_id_after(t_header(&admin.c, "Location"), want)) > 0);
	snprintf(want, sizeof(want), "/org/%lld/classes/%lld", org, id);
	T_STREQ(t_header(&admin.c, "Location"), want);
	T_STREQ(t_sql("SELECT letter || ' ' || color || ' ' || year || ' ' ||"
	    " kind FROM parta.class WHERE org_id = %lld AND id = %lld", org,
	    id), "Г #6b46c1 2025 class");

	T_EQ(t_get(&admin.c, want), 200);
	T_HAS(&admin.c, "<h1>9Г · Гуманитарный</h1>");
	T_HAS(&admin.c, "2025/2026 учебный год");
	T_HAS(&admin.c, "0 учеников");
	T_HAS(&admin.c, "Не назначен");

	T_EQ(class_member_add(org, id, &s1, "student"), 0);
	T_EQ(class_member_add(org, id, &s2, "student"), 0);
	T_EQ(t_get(&admin.c, want), 200);
	T_HAS(&admin.c, "Ученикова Аня");
	T_HAS(&admin.c, "Учеников Борис");

	/* The list, like the brief's screenshot, grouped by year. */
	T_EQ(t_get(&admin.c, path), 200);
	T_HAS(&admin.c, "2025/2026 учебный год");
	T_HAS(&admin.c, "9Г · Гуманитарный");
	T_HAS(&admin.c, "2 ученика, 2025 – 2026");
	T_HAS(&admin.c, "cover cover-6b46c1");
	T_HAS(&admin.c, want);
	/* No staff class this year yet: the brief's advice. */
	T_HAS(&admin.c, "Рекомендуем создать");
	t_form(&admin.c, path);
	T_EQ(t_postf(&admin.c, path, "kind=staff&grade=&letter=&title="
	    "&year=%d&color=" FGREEN, now), 303);
	T_EQ(t_get(&admin.c, t_header(&admin.c, "Location")), 200);
	T_HAS(&admin.c, "<h1>Учительская</h1>");
	T_HAS(&admin.c, "Учительский класс");
	T_EQ(t_get(&admin.c, path), 200);
	T_LACKS(&admin.c, "Рекомендуем создать");
	snprintf(want, sizeof(want), "0 участников, %d – %d", now, now + 1);
	T_HAS(&admin.c, want);

	/* A group without a grade (kindergarten, college) by its title. */
	T_TRUE(class_make(&admin, org, "", "", "Солнышко", 2025) > 0);
	T_EQ(t_get(&admin.c, path), 200);
	T_HAS(&admin.c, "Солнышко");
	t_client_free(&admin.c);
	t_client_free(&s1.c);
	t_client_free(&s2.c);
}

static void
validation(void)
{
	static const struct {
		const char	*body;
		const char	*error;
	} bad[] = {
		{ "kind=class&grade=0&letter=A&year=2025&color=" BLUE,
		    "grade_error" },
		{ "kind=class&grade=12&letter=A&year=2025&color=" BLUE,
		    "grade_error" },
		{ "kind=class&grade=-1&letter=A&year=2025&color=" BLUE,
		    "grade_error" },
		{ "kind=class&grade=5&letter=A&year=2025&color=%23123456",
		    "color_error" },
		{ "kind=class&grade=5&letter=A&year=2025&color=red",
		    "color_error" },
		{ "kind=class&grade=5&letter=A&year=2025&color=",
		    "color_error" },
		{ "kind=class&grade=5&letter=A&year=1999&color=" BLUE,
		    "year_error" },
		{ "kind=class&grade=5&letter=A&year=2101&color=" BLUE,
		    "year_error" },
		{ "kind=class&grade=5&letter=A&year=abc&color=" BLUE,
		    "year_error" },
		{ "kind=class&grade=5&letter=A&year=&color=" BLUE,
		    "year_error" },
		{ "kind=club&grade=5&letter=A&year=2025&color=" BLUE,
		    "kind_error" },
		{ "kind=staff&grade=5&letter=&year=2025&color=" BLUE,
		    "grade_error" },
		{ "kind=class&grade=&letter=&title=&year=2025&color=" BLUE,
		    "title_error" },
		{ "kind=class&grade=5&letter=A+B&year=2025&color=" BLUE,
		    "letter_error" },
		{ "kind=class&grade=5&letter=%21&year=2025&color=" BLUE,
		    "letter_error" },
		{ "kind=class&grade=5&letter=ABCDEFGHI&year=2025&color=" BLUE,
		    "letter_error" },
	};
	struct t_person	 admin;
	char		 path[160], id[64], title[512];
	long long	 org;
	size_t		 i;

	t_signup(&admin, "Проверкина", "Вера");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	snprintf(path, sizeof(path), "/org/%lld/classes", org);
	t_form(&admin.c, path);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (t_postf(&admin.c, path, "%s", bad[i].body) != 422)
			T_FAIL("%s: status %ld", bad[i].body,
			    admin.c.r.status);
		snprintf(id, sizeof(id), "id=\"%s\"", bad[i].error);
		if (!t_has(&admin.c, id))
			T_FAIL("%s: no %s", bad[i].body, bad[i].error);
	}
	/* A title longer than 100 characters. */
	memset(title, 'x', 101);
	title[101] = '\0';
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=5&letter=A&title=%s"
	    "&year=2025&color=" FBLUE, title), 422);
	T_HAS(&admin.c, "id=\"title_error\"");
	/* What was typed comes back, escaped. */
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=12&letter=B&title=%s"
	    "&year=2025&color=" FGREEN, t_enc("<i>Физмат</i>")), 422);
	T_HAS(&admin.c, "value=\"&lt;i&gt;Физмат&lt;/i&gt;\"");
	T_LACKS(&admin.c, "<i>Физмат");
	T_HAS(&admin.c, "value=\"B\"");
	T_HAS(&admin.c, "value=\"#2c7a4b\" checked");
	T_HAS(&admin.c, "aria-invalid=\"true\" "
	    "aria-describedby=\"grade_error\"");
	/* Nothing was created by any of these. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.class WHERE org_id = %lld",
	    org), "0");
	t_client_free(&admin.c);
}

struct race {
	struct t_person	 p[8];
	long long	 org;
	char		 body[256];
	long		 status[8];
};

static void
race_create(int i, void *arg)
{
	struct race	*r = arg;
	char		 path[160];

	snprintf(path, sizeof(path), "/org/%lld/classes", r->org);
	r->status[i] = t_postf(&r->p[i].c, path, "%s", r->body);
}

static void
uniqueness(void)
{
	static struct race	 race;
	struct t_person		 admin;
	char			 path[160], want[96];
	long long		 org, id, id2, grp;
	int			 i, round, ok, conflict;

	t_signup(&admin, "Уникальная", "Ольга");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	T_TRUE((id = class_make(&admin, org, "7", "А", "", 2025)) > 0);
	/* The same organization, year, grade, letter and title: 409, with
	 * a link to the class in the way. */
	snprintf(path, sizeof(path), "/org/%lld/classes", org);
	t_form(&admin.c, path);
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=7&letter=%s&title="
	    "&year=2025&color=" FGREEN, t_enc("а")), 409);
	T_HAS(&admin.c, "Такой класс уже есть: 7А, 2025/2026");
	snprintf(want, sizeof(want), "/org/%lld/classes/%lld\"", org, id);
	T_HAS(&admin.c, want);
	/* Any part different: a different class. */
	T_TRUE(class_make(&admin, org, "7", "А", "", 2026) > 0);
	T_TRUE(class_make(&admin, org, "7", "Б", "", 2025) > 0);
	T_TRUE((id2 = class_make(&admin, org, "7", "А", "Физмат", 2025)) > 0);
	/* Groups without a grade are unique by title too. */
	T_TRUE((grp = class_make(&admin, org, "", "", "Ромашка", 2025)) > 0);
	t_form(&admin.c, path);
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=&letter=&title=%s"
	    "&year=2025&color=" FBLUE, t_enc("Ромашка")), 409);
	/* An edit into another class's key: 409 as well. */
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld/edit", org, id2);
	t_form(&admin.c, path);
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=7&letter=A&title="
	    "&year=2025&color=" FBLUE), 303);
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=7&letter=%s&title="
	    "&year=2025&color=" FBLUE, t_enc("А")), 409);
	T_HAS(&admin.c, "Такой класс уже есть");

	/* Eight admins' sessions create the same class at once: exactly
	 * one class, the others see 409.  Three rounds. */
	race.org = org;
	for (i = 0; i < 8; i++) {
		memcpy(&race.p[i], &admin, sizeof(admin));
		t_login(&race.p[i]);
		snprintf(path, sizeof(path), "/org/%lld/classes/new", org);
		t_form(&race.p[i].c, path);
	}
	for (round = 0; round < 3; round++) {
		snprintf(race.body, sizeof(race.body), "kind=class&grade=%d"
		    "&letter=%s&title=&year=2025&color=" FBLUE, 8 + round,
		    t_enc("Д"));
		t_parallel(8, race_create, &race);
		for (ok = conflict = i = 0; i < 8; i++) {
			ok += race.status[i] == 303;
			conflict += race.status[i] == 409;
		}
		T_EQ(ok, 1);
		T_EQ(conflict, 7);
		T_STREQ(t_sql("SELECT count(*) FROM parta.class WHERE org_id ="
		    " %lld AND grade = %d AND letter = 'Д'", org, 8 + round),
		    "1");
	}
	for (i = 0; i < 8; i++)
		t_client_free(&race.p[i].c);
	t_client_free(&admin.c);
}

static void
edit_archive(void)
{
	struct t_person	 admin, s;
	char		 path[160], show[96], want[160];
	long long	 org, id, admin_id;

	t_signup(&admin, "Редакторова", "Нина");
	t_signup(&s, "Архивов", "Пётр");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	admin_id = t_account_id(&admin);
	T_TRUE((id = class_make(&admin, org, "5", "В", "", 2025)) > 0);
	T_EQ(class_member_add(org, id, &s, "student"), 0);
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld/edit", org, id);
	snprintf(show, sizeof(show), "/org/%lld/classes/%lld", org, id);

	/* The form holds the class's values. */
	T_EQ(t_get(&admin.c, path), 200);
	T_HAS(&admin.c, "value=\"В\"");
	T_HAS(&admin.c, "<option value=\"5\" selected>");
	T_HAS(&admin.c, "<option value=\"2025\" selected>2025/2026");
	/* Archiving is asked on a page of its own (test_flow.c); the
	 * form's POST still takes archived=1, as below. */
	T_LACKS(&admin.c, "name=\"archived\"");
	snprintf(want, sizeof(want), "href=\"%s/archive\">", show);
	T_HAS(&admin.c, want);

	T_EQ(t_postf(&admin.c, path, "kind=class&grade=6&letter=%s&title=%s"
	    "&year=2025&color=" FGREEN, t_enc("в"), t_enc("Инженерный")), 303);
	T_STREQ(t_header(&admin.c, "Location"), show);
	T_EQ(t_get(&admin.c, show), 200);
	T_HAS(&admin.c, "<h1>6В · Инженерный</h1>");
	T_HAS(&admin.c, "cover-2c7a4b");

	/* Bad fields: 422, the typed values kept, nothing changed. */
	t_form(&admin.c, path);
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=0&letter=%s&title=%s"
	    "&year=2025&color=" FGREEN, t_enc("в"), t_enc("Новый")), 422);
	T_HAS(&admin.c, "id=\"grade_error\"");
	T_HAS(&admin.c, "value=\"Новый\"");
	T_STREQ(t_sql("SELECT grade || title FROM parta.class WHERE id ="
	    " %lld", id), "6Инженерный");

	/* Archived: it keeps its history and says so. */
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=6&letter=%s&title=%s"
	    "&year=2025&color=" FGREEN "&archived=1", t_enc("В"),
	    t_enc("Инженерный")), 303);
	T_EQ(t_get(&admin.c, show), 200);
	T_HAS(&admin.c, "в архиве");
	T_HAS(&admin.c, "Архивов Пётр");
	T_LACKS(&admin.c, "Назначить классным руководителем");
	snprintf(want, sizeof(want), "/org/%lld/classes", org);
	T_EQ(t_get(&admin.c, want), 200);
	T_HAS(&admin.c, "<summary>Архив</summary>");
	T_HAS(&admin.c, "1 ученик, 2025 – 2026 · в архиве");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND actor_id = %lld AND action = 'class_archive' AND detail ="
	    " '6В · Инженерный (2025/2026) перенесён в архив'", org,
	    admin_id), "1");
	/* The database itself refuses new members of an archived class. */
	T_TRUE(t_sql("INSERT INTO parta.class_member (org_id, class_id,"
	    " account_id, role) VALUES (%lld, %lld, %lld, 'teacher')", org,
	    id, admin_id) == NULL);

	/* Brought back from the archive. */
	t_form(&admin.c, path);
	T_HAS(&admin.c, "name=\"archived\" value=\"1\" checked");
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=6&letter=%s&title=%s"
	    "&year=2025&color=" FGREEN, t_enc("В"), t_enc("Инженерный")), 303);
	T_EQ(t_get(&admin.c, show), 200);
	T_LACKS(&admin.c, "в архиве");
	T_HAS(&admin.c, "Назначить классным руководителем");
	T_STREQ(t_sql("SELECT detail FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'class_restore'", org),
	    "6В · Инженерный (2025/2026) возвращён из архива");

	/* No such class in this organization. */
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld/edit", org,
	    id + 100000);
	T_EQ(t_get(&admin.c, path), 404);
	t_form(&admin.c, show);
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=6&letter=A&title="
	    "&year=2025&color=" FGREEN), 404);
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld", org,
	    id + 100000);
	T_EQ(t_get(&admin.c, path), 404);
	t_client_free(&admin.c);
	t_client_free(&s.c);
}

static void
homeroom(void)
{
	struct t_person	 admin, t1, t2, novice, pupil, other_admin, stranger;
	char		 path[160], show[96], body[64];
	long long	 org, org2, c1, c2, t1_id, admin_id;

	t_signup(&admin, "Завучева", "Галина");
	t_signup(&t1, "Классная", "Мария");
	t_signup(&t2, "Предметников", "Иван");
	t_signup(&novice, "Новенькая", "Ирина");
	t_signup(&pupil, "Школьников", "Коля");
	t_signup(&other_admin, "Соседова", "Анна");
	t_signup(&stranger, "Чужой", "Олег");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	T_TRUE((org2 = t_org_create(&other_admin, "Школа №2")) > 0);
	T_EQ(member_add(org, &t1, "teacher", 1), 0);
	T_EQ(member_add(org, &t2, "teacher", 1), 0);
	T_EQ(member_add(org, &novice, "teacher", 0), 0);
	T_EQ(member_add(org, &pupil, "student", 1), 0);
	T_EQ(member_add(org2, &stranger, "teacher", 1), 0);
	t1_id = t_account_id(&t1);
	admin_id = t_account_id(&admin);
	T_TRUE((c1 = class_make(&admin, org, "4", "А", "", 2025)) > 0);
	T_TRUE((c2 = class_make(&admin, org, "4", "Б", "", 2025)) > 0);

	/* The form offers the verified teachers only. */
	snprintf(show, sizeof(show), "/org/%lld/classes/%lld", org, c1);
	snprintf(path, sizeof(path), "%s/homeroom", show);
	T_EQ(t_get(&admin.c, show), 200);
	T_HAS(&admin.c, "Классная Мария");
	T_HAS(&admin.c, "Предметников Иван");
	T_LACKS(&admin.c, "Новенькая");
	T_LACKS(&admin.c, "Школьников");

	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t1_id), 303);
	T_STREQ(t_header(&admin.c, "Location"), show);
	T_EQ(t_get(&admin.c, show), 200);
	T_HAS(&admin.c, "Классная Мария</a>");
	T_LACKS(&admin.c, "Не назначен");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND actor_id = %lld AND action = 'homeroom_assign' AND"
	    " target_id = %lld AND detail = 'назначена классным руководителем"
	    " 4А'", org, admin_id, t1_id), "1");	/* a woman (t_signup) */
	/* The teacher's own standing in the organization knows it. */
	T_STREQ(t_sql("SELECT role FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld AND account_id = %lld", org, c1, t1_id),
	    "homeroom");
	/* Twice: 409.  Another class too: a teacher may lead several. */
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t1_id), 409);
	T_HAS(&admin.c, "уже классный руководитель");
	snprintf(body, sizeof(body), "/org/%lld/classes/%lld/homeroom", org,
	    c2);
	T_EQ(t_postf(&admin.c, body, "account_id=%lld", t1_id), 303);
	/* Two homeroom teachers of one class are fine as well. */
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t_account_id(&t2)), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND role = 'homeroom'", org), "3");

	/* Not a verified teacher of this organization: 422 next to the
	 * field, nothing assigned. */
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t_account_id(&novice)),
	    422);
	T_HAS(&admin.c, "id=\"account_id_error\"");
	T_HAS(&admin.c, "подтверждённый учитель этой организации");
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t_account_id(&pupil)),
	    422);
	T_EQ(t_postf(&admin.c, path, "account_id=%lld",
	    t_account_id(&stranger)), 422);
	T_EQ(t_postf(&admin.c, path, "account_id=%lld",
	    t_account_id(&other_admin)), 422);
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", admin_id), 422);
	T_EQ(t_postf(&admin.c, path, "account_id=999999999"), 422);
	T_EQ(t_postf(&admin.c, path, "account_id=abc"), 422);
	T_EQ(t_postf(&admin.c, path, "x=1"), 422);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND role = 'homeroom'", org), "3");

	/* Unassign: 303, audited; again: 409. */
	snprintf(path, sizeof(path), "%s/homeroom/remove", show);
	T_EQ(t_get(&admin.c, show), 200);
	T_HAS(&admin.c, "/homeroom/remove");
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t1_id), 303);
	T_STREQ(t_header(&admin.c, "Location"), show);
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t1_id), 409);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND actor_id = %lld AND action = 'homeroom_unassign' AND"
	    " target_id = %lld", org, admin_id, t1_id), "1");
	/* Still homeroom teacher of the other class. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND account_id = %lld AND role = 'homeroom'", org, t1_id),
	    "1");
	T_EQ(t_get(&admin.c, show), 200);
	T_LACKS(&admin.c, "Классная Мария</a>");

	/* An archived class takes no homeroom teacher: 409. */
	snprintf(path, sizeof(path), "%s/edit", show);
	t_form(&admin.c, path);
	T_EQ(t_postf(&admin.c, path, "kind=class&grade=4&letter=A&title="
	    "&year=2025&color=" FBLUE "&archived=1"), 303);
	snprintf(path, sizeof(path), "%s/homeroom", show);
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t1_id), 409);
	T_HAS(&admin.c, "Класс в архиве");
	snprintf(path, sizeof(path), "%s/homeroom/remove", show);
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t_account_id(&t2)),
	    409);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld AND role = 'homeroom'", org, c1), "1");

	/* A staff class has no homeroom teacher: 409, no form offered. */
	snprintf(path, sizeof(path), "/org/%lld/classes", org);
	t_form(&admin.c, path);
	T_EQ(t_postf(&admin.c, path, "kind=staff&grade=&letter=&title="
	    "&year=2025&color=" FBLUE), 303);
	snprintf(show, sizeof(show), "%s", t_header(&admin.c, "Location"));
	T_EQ(t_get(&admin.c, show), 200);
	T_LACKS(&admin.c, "Назначить классным руководителем");
	snprintf(path, sizeof(path), "%s/homeroom", show);
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t1_id), 409);
	T_HAS(&admin.c, "У учительского класса нет классного руководителя");

	/* Another organization's class through this one: 404. */
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld/homeroom", org,
	    c2 + 100000);
	T_EQ(t_postf(&admin.c, path, "account_id=%lld", t1_id), 404);
	t_client_free(&admin.c);
	t_client_free(&t1.c);
	t_client_free(&t2.c);
	t_client_free(&novice.c);
	t_client_free(&pupil.c);
	t_client_free(&other_admin.c);
	t_client_free(&stranger.c);
}

static void
access(void)
{
	struct t_person	 admin, teacher, pupil, outsider, admin_b;
	struct t_client	 anon;
	char		 base[64], path[128], cls[96];
	long long	 org, org_b, id, id_b;
	const char	*form = "kind=class&grade=3&letter=Z&title=&year=2025"
			    "&color=" BLUE;

	t_signup(&admin, "Админова", "Алла");
	t_signup(&teacher, "Учителев", "Тимур");
	t_signup(&pupil, "Ученица", "Уля");
	t_signup(&outsider, "Посторонний", "Пётр");
	t_signup(&admin_b, "Бэшкина", "Бэла");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	T_TRUE((org_b = t_org_create(&admin_b, "Школа Б")) > 0);
	T_EQ(member_add(org, &teacher, "teacher", 1), 0);
	T_EQ(member_add(org, &pupil, "student", 1), 0);
	T_TRUE((id = class_make(&admin, org, "3", "А", "", 2025)) > 0);
	T_TRUE((id_b = class_make(&admin_b, org_b, "3", "Б", "", 2025)) > 0);
	snprintf(base, sizeof(base), "/org/%lld/classes", org);
	snprintf(cls, sizeof(cls), "%s/%lld", base, id);

	/* A teacher member sees, changes nothing: 403 on every change. */
	T_EQ(t_get(&teacher.c, base), 200);
	T_HAS(&teacher.c, "3А");
	T_LACKS(&teacher.c, "Новый класс");
	T_LACKS(&teacher.c, "Перевести в");
	T_EQ(t_get(&teacher.c, cls), 200);
	T_LACKS(&teacher.c, "Назначить классным руководителем");
	T_LACKS(&teacher.c, "/edit\"");
	snprintf(path, sizeof(path), "%s/new", base);
	T_EQ(t_get(&teacher.c, path), 403);
	T_EQ(t_postf(&teacher.c, base, "%s", form), 403);
	snprintf(path, sizeof(path), "%s/edit", cls);
	T_EQ(t_get(&teacher.c, path), 403);
	T_EQ(t_postf(&teacher.c, path, "%s&archived=1", form), 403);
	snprintf(path, sizeof(path), "%s/homeroom", cls);
	T_EQ(t_postf(&teacher.c, path, "account_id=%lld", t_account_id(&teacher)),
	    403);
	snprintf(path, sizeof(path), "%s/homeroom/remove", cls);
	T_EQ(t_postf(&teacher.c, path, "account_id=%lld", t_account_id(&teacher)),
	    403);
	snprintf(path, sizeof(path), "%s/rollover?from=2025", base);
	T_EQ(t_get(&teacher.c, path), 403);
	snprintf(path, sizeof(path), "%s/rollover", base);
	T_EQ(t_postf(&teacher.c, path, "from=2025&plan=x"), 403);
	T_STREQ(t_sql("SELECT count(*) || ' ' || count(archived_at) ||"
	    " ' ' || (SELECT count(*) FROM parta.class_member m WHERE"
	    " m.org_id = %lld) FROM parta.class WHERE org_id = %lld", org,
	    org), "1 0 0");

	/* A student member sees the classes too. */
	T_EQ(t_get(&pupil.c, base), 200);
	T_EQ(t_get(&pupil.c, cls), 200);
	T_EQ(t_postf(&pupil.c, base, "%s", form), 403);

	/* Someone of no organization, and the admin of another one: 404
	 * for every page, as if it did not exist. */
	T_EQ(t_get(&outsider.c, base), 404);
	T_EQ(t_get(&outsider.c, cls), 404);
	T_EQ(t_get(&admin_b.c, base), 404);
	T_EQ(t_get(&admin_b.c, cls), 404);
	snprintf(path, sizeof(path), "%s/new", base);
	T_EQ(t_get(&admin_b.c, path), 404);
	T_EQ(t_postf(&admin_b.c, base, "%s", form), 404);
	snprintf(path, sizeof(path), "%s/edit", cls);
	T_EQ(t_get(&admin_b.c, path), 404);
	T_EQ(t_postf(&admin_b.c, path, "%s&archived=1", form), 404);
	snprintf(path, sizeof(path), "%s/homeroom", cls);
	T_EQ(t_postf(&admin_b.c, path, "account_id=%lld", t_account_id(&teacher)),
	    404);
	snprintf(path, sizeof(path), "%s/homeroom/remove", cls);
	T_EQ(t_postf(&admin_b.c, path, "account_id=1"), 404);
	snprintf(path, sizeof(path), "%s/rollover?from=2025", base);
	T_EQ(t_get(&admin_b.c, path), 404);
	snprintf(path, sizeof(path), "%s/rollover", base);
	T_EQ(t_postf(&admin_b.c, path, "from=2025&plan=x"), 404);
	/* ... and org A's admin on org B's class through org A's URL. */
	snprintf(path, sizeof(path), "%s/%lld", base, id_b);
	T_EQ(t_get(&admin.c, path), 404);
	snprintf(path, sizeof(path), "%s/%lld/edit", base, id_b);
	T_EQ(t_get(&admin.c, path), 404);
	snprintf(path, sizeof(path), "/org/%lld/classes/%lld", org_b, id_b);
	T_EQ(t_get(&admin.c, path), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class WHERE org_id = %lld"
	    " AND archived_at IS NULL", org), "1");

	/* Logged out: to the login page, for a POST too. */
	t_client_init(&anon);
	T_EQ(t_get(&anon, cls), 303);
	T_TRUE(strstr(t_header(&anon, "Location"), "/login?next=") != NULL);
	T_EQ(t_post(&anon, base, form), 303);
	/* A member's POST without the csrf token: 403. */
	T_EQ(t_post(&admin.c, base, form), 403);
	t_client_free(&anon);
	t_client_free(&admin.c);
	t_client_free(&teacher.c);
	t_client_free(&pupil.c);
	t_client_free(&outsider.c);
	t_client_free(&admin_b.c);
}

/* The text between <strong> and </strong> of each preview row, joined
 * by '|' in page order, into out. */
static void
plan_targets(const struct t_client *c, char *out, size_t outsz)
{
	const char	*p = c->r.body, *e;
	size_t		 n = 0;

	out[0] = '\0';
	if (p == NULL || (p = strstr(p, "rollover-plan")) == NULL)
		return;
	while ((p = strstr(p, "<strong>")) != NULL) {
		p += strlen("<strong>");
		if ((e = strstr(p, "</strong>")) == NULL)
			break;
		n += (size_t)snprintf(out + n, outsz - n, "%s%.*s",
		    n ? "|" : "", (int)(e - p), p);
		if (n >= outsz)
			break;
		p = e;
	}
}

static void
rollover(void)
{
	struct t_person	 admin, t1, t2, t3, s[5];
	char		 path[160], list[96], plan[80], targets[1024];
	char		 want[160];
	long long	 org, c9, c11, staff, grp, c5, c6;
	long long	 n10;
	int		 i;

	t_signup(&admin, "Переводова", "Рита");
	t_signup(&t1, "Руководова", "Римма");
	t_signup(&t2, "Предметная", "Пелагея");
	t_signup(&t3, "Педагогов", "Павел");
	for (i = 0; i < 5; i++)
		t_signup(&s[i], "Ученик", "Номер");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	T_EQ(member_add(org, &t1, "teacher", 1), 0);
	T_EQ(member_add(org, &t2, "teacher", 1), 0);
	T_EQ(member_add(org, &t3, "teacher", 1), 0);
	T_TRUE((c9 = class_make(&admin, org, "9", "Г", "Гуманитарный",
	    2025)) > 0);
	T_TRUE((c11 = class_make(&admin, org, "11", "А", "", 2025)) > 0);
	T_TRUE((grp = class_make(&admin, org, "", "", "Солнышко", 2025)) > 0);
	T_TRUE((c5 = class_make(&admin, org, "5", "Б", "", 2025)) > 0);
	/* 6Б of next year exists already: 5Б's pupils join it. */
	T_TRUE((c6 = class_make(&admin, org, "6", "Б", "", 2026)) > 0);
	snprintf(list, sizeof(list), "/org/%lld/classes", org);
	t_form(&admin.c, list);
	T_EQ(t_postf(&admin.c, list, "kind=staff&grade=&letter=&title="
	    "&year=2025&color=" FGREEN), 303);
	staff = t_id_after(t_header(&admin.c, "Location"), "/classes/");
	T_TRUE(staff > 0);
	T_EQ(class_member_add(org, c9, &s[0], "student"), 0);
	T_EQ(class_member_add(org, c9, &s[1], "student"), 0);
	T_EQ(class_member_add(org, c9, &t1, "homeroom"), 0);
	T_EQ(class_member_add(org, c9, &t2, "teacher"), 0);
	T_EQ(class_member_add(org, c11, &s[2], "student"), 0);
	T_EQ(class_member_add(org, grp, &s[3], "student"), 0);
	T_EQ(class_member_add(org, c5, &s[4], "student"), 0);
	T_EQ(class_member_add(org, staff, &t2, "teacher"), 0);
	T_EQ(class_member_add(org, staff, &t3, "teacher"), 0);
	/* One class already archived stays as it is. */
	T_TRUE(class_make(&admin, org, "1", "Я", "", 2025) > 0);
	T_TRUE(t_sql("UPDATE parta.class SET archived_at = now() WHERE org_id"
	    " = %lld AND letter = 'Я'", org) != NULL);

	/* The list offers the rollover of 2025. */
	T_EQ(t_get(&admin.c, list), 200);
	snprintf(path, sizeof(path), "%s/rollover?from=2025", list);
	T_HAS(&admin.c, path);
	T_HAS(&admin.c, "Перевести в 2026/2027");

	/* The preview. */
	T_EQ(t_get(&admin.c, path), 200);
	T_HAS(&admin.c, "Переход на 2026/2027 учебный год");
	plan_targets(&admin.c, targets, sizeof(targets));
	T_STREQ(targets, "Учительская|6Б|10Г · Гуманитарный|выпуск|Солнышко");
	T_HAS(&admin.c, "<strong>10Г · Гуманитарный</strong>");
	T_HAS(&admin.c, "<strong>6Б</strong>");
	T_HAS(&admin.c, "2 ученика и классный руководитель");
	T_HAS(&admin.c, "1 ученик выпускается");
	/* The staff class gathers every teacher (0012): t1, t2, t3. */
	T_HAS(&admin.c, "3 участника");
	T_HAS(&admin.c, "Класс 6Б уже создан");
	T_LACKS(&admin.c, "1Я");
	snprintf(plan, sizeof(plan), "%s", t_hidden(&admin.c, "plan"));
	T_EQ(strlen(plan), 64);
	/* Looking changed nothing. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.class WHERE org_id = %lld"
	    " AND archived_at IS NULL", org), "6");

	/* A stale or forged plan: 409 with the current one, nothing done. */
	snprintf(path, sizeof(path), "%s/rollover", list);
	T_EQ(t_postf(&admin.c, path, "from=2025&plan=%064d", 0), 409);
	T_HAS(&admin.c, "Классы изменились");
	T_STREQ(t_hidden(&admin.c, "plan"), plan);
	T_EQ(t_postf(&admin.c, path, "from=2025"), 409);
	/* A class added after the preview changes the plan. */
	T_TRUE(class_make(&admin, org, "2", "Ж", "", 2025) > 0);
	T_EQ(t_postf(&admin.c, path, "from=2025&plan=%s", plan), 409);
	snprintf(want, sizeof(want), "%s", t_hidden(&admin.c, "plan"));
	T_TRUE(strcmp(want, plan) != 0 && strlen(want) == 64);
	snprintf(plan, sizeof(plan), "%s", want);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class WHERE org_id = %lld"
	    " AND year = 2025 AND archived_at IS NULL", org), "6");
	snprintf(path, sizeof(path), "%s/rollover?from=2025", list);
	T_EQ(t_get(&admin.c, path), 200);
	plan_targets(&admin.c, targets, sizeof(targets));
	T_STREQ(targets, "Учительская|3Ж|6Б|10Г · Гуманитарный|выпуск|"
	    "Солнышко");
	T_STREQ(t_hidden(&admin.c, "plan"), plan);

	/* Apply: 303 to the rollover's page. */
	snprintf(path, sizeof(path), "%s/rollover", list);
	T_EQ(t_postf(&admin.c, path, "from=2025&plan=%s", plan), 303);
	snprintf(want, sizeof(want), "%s/rollover?from=2025", list);
	T_STREQ(t_header(&admin.c, "Location"), want);
	T_EQ(t_get(&admin.c, want), 200);
	T_HAS(&admin.c, "переведено классов — 5, выпущено — 1");

	/* What the preview said is what happened: the 2026 classes are the
	 * preview's targets, and every 2025 class is archived. */
	T_STREQ(t_sql("SELECT string_agg(CASE WHEN grade IS NULL THEN title"
	    " WHEN title = '' THEN grade || letter ELSE grade || letter ||"
	    " ' · ' || title END, ';' ORDER BY kind = 'class', grade NULLS"
	    " LAST, letter, title) FROM parta.class WHERE org_id = %lld AND"
	    " year = 2026 AND archived_at IS NULL", org),
	    "Учительская;3Ж;6Б;10Г · Гуманитарный;Солнышко");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class WHERE org_id = %lld"
	    " AND year = 2025 AND archived_at IS NULL", org), "0");
	/* 9Г's pupils and homeroom teacher went to 10Г; the subject
	 * teacher stayed; 9Г keeps its history and leads to 10Г. */
	n10 = t_ll(t_sql("SELECT id FROM parta.class WHERE org_id = %lld"
	    " AND year = 2026 AND grade = 10", org));
	T_TRUE(n10 > 0);
	T_STREQ(t_sql("SELECT string_agg(role, ',' ORDER BY role) FROM"
	    " parta.class_member WHERE org_id = %lld AND class_id = %lld",
	    org, n10), "homeroom,student,student");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld", org, c9), "4");
	T_EQ(t_ll(t_sql("SELECT next_id FROM parta.class WHERE org_id ="
	    " %lld AND id = %lld", org, c9)), n10);
	snprintf(want, sizeof(want), "%s/%lld", list, c9);
	T_EQ(t_get(&admin.c, want), 200);
	T_HAS(&admin.c, "в архиве");
	T_HAS(&admin.c, "Класс переведён в следующий учебный год");
	snprintf(want, sizeof(want), "%s/%lld", list, n10);
	T_EQ(t_get(&admin.c, want), 200);
	T_HAS(&admin.c, "Руководова Римма");
	T_HAS(&admin.c, "Ранее:");
	T_HAS(&admin.c, "2 ученика");
	/* 11А graduated: archived, no 12th grade. */
	T_STREQ(t_sql("SELECT (archived_at IS NOT NULL)::text || ' ' ||"
	    " coalesce(next_id::text, '-') FROM parta.class WHERE id = %lld",
	    c11), "true -");
	/* 5Б's pupil joined the existing 6Б. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld AND role = 'student'", org, c6), "1");
	/* The staff class came over with everyone. */
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member m JOIN"
	    " parta.class c ON c.org_id = m.org_id AND c.id = m.class_id"
	    " WHERE c.org_id = %lld AND c.year = 2026 AND c.kind = 'staff'",
	    org), "3");
	T_STREQ(t_sql("SELECT detail FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'class_rollover'", org), "Классы 2025/2026"
	    " переведены в 2026/2027 учебный год: переведено — 5, выпущено"
	    " — 1");

	/* Never twice for a year. */
	T_EQ(t_postf(&admin.c, path, "from=2025&plan=%s", plan), 409);
	T_HAS(&admin.c, "уже выполнен");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class WHERE org_id = %lld"
	    " AND year = 2026", org), "5");
	T_EQ(t_get(&admin.c, list), 200);
	T_HAS(&admin.c, "переведён в 2026/2027");

	/* A year without classes: nothing to do, 422; not a year: 400. */
	snprintf(want, sizeof(want), "%s/rollover?from=2030", list);
	T_EQ(t_get(&admin.c, want), 200);
	T_HAS(&admin.c, "нет действующих классов");
	T_LACKS(&admin.c, "name=\"plan\"");
	T_EQ(t_postf(&admin.c, path, "from=2030&plan=%s", plan), 422);
	T_EQ(t_postf(&admin.c, path, "from=20x5&plan=%s", plan), 400);
	T_EQ(t_postf(&admin.c, path, "from=2100&plan=%s", plan), 400);
	snprintf(want, sizeof(want), "%s/rollover?from=1999", list);
	T_EQ(t_get(&admin.c, want), 400);
	/* Without from, the preview is of the current academic year. */
	snprintf(want, sizeof(want), "%s/rollover", list);
	T_EQ(t_get(&admin.c, want), 200);
	snprintf(want, sizeof(want), "Переход на %d/%d", t_now_year() + 1,
	    t_now_year() + 2);
	T_HAS(&admin.c, want);

	t_client_free(&admin.c);
	t_client_free(&t1.c);
	t_client_free(&t2.c);
	t_client_free(&t3.c);
	for (i = 0; i < 5; i++)
		t_client_free(&s[i].c);
}

static void
race_rollover(int i, void *arg)
{
	struct race	*r = arg;
	char		 path[160];

	snprintf(path, sizeof(path), "/org/%lld/classes/rollover", r->org);
	r->status[i] = t_postf(&r->p[i].c, path, "%s", r->body);
}

static void
rollover_blocked_and_race(void)
{
	static struct race	 race;
	struct t_person		 admin, pupil;
	char			 path[160];
	long long		 org, c10, blocked;
	int			 i, ok, conflict, round;

	t_signup(&admin, "Параллельная", "Полина");
	t_signup(&pupil, "Гонкин", "Гоша");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	T_TRUE((c10 = class_make(&admin, org, "10", "В", "", 2025)) > 0);
	T_TRUE(class_make(&admin, org, "3", "В", "", 2025) > 0);
	T_EQ(class_member_add(org, c10, &pupil, "student"), 0);
	/* 11В of 2026 exists and is archived: nothing can join it. */
	T_TRUE((blocked = class_make(&admin, org, "11", "В", "", 2026)) > 0);
	T_TRUE(t_sql("UPDATE parta.class SET archived_at = now() WHERE id ="
	    " %lld", blocked) != NULL);
	snprintf(path, sizeof(path), "/org/%lld/classes/rollover?from=2025",
	    org);
	T_EQ(t_get(&admin.c, path), 200);
	T_HAS(&admin.c, "в архиве — верните его из архива");
	T_LACKS(&admin.c, "name=\"plan\"");
	snprintf(path, sizeof(path), "/org/%lld/classes/rollover", org);
	T_EQ(t_postf(&admin.c, path, "from=2025&plan=x"), 409);
	T_HAS(&admin.c, "в архиве");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_rollover WHERE org_id"
	    " = %lld", org), "0");
	T_TRUE(t_sql("UPDATE parta.class SET archived_at = NULL WHERE id ="
	    " %lld", blocked) != NULL);

	/* Eight sessions apply the same plan at once: it runs once. */
	snprintf(path, sizeof(path), "/org/%lld/classes/rollover?from=2025",
	    org);
	T_EQ(t_get(&admin.c, path), 200);
	snprintf(race.body, sizeof(race.body), "from=2025&plan=%s",
	    t_hidden(&admin.c, "plan"));
	race.org = org;
	for (i = 0; i < 8; i++) {
		memcpy(&race.p[i], &admin, sizeof(admin));
		t_login(&race.p[i]);
		t_form(&race.p[i].c, path);
	}
	t_parallel(8, race_rollover, &race);
	for (ok = conflict = i = 0; i < 8; i++) {
		ok += race.status[i] == 303;
		conflict += race.status[i] == 409;
	}
	T_EQ(ok, 1);
	T_EQ(conflict, 7);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class WHERE org_id = %lld"
	    " AND year = 2026", org), "2");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld", org, blocked), "1");

	/* The next years, raced as well: each runs exactly once. */
	for (round = 0; round < 2; round++) {
		snprintf(path, sizeof(path), "/org/%lld/classes/rollover?from="
		    "%d", org, 2026 + round);
		T_EQ(t_get(&admin.c, path), 200);
		/* These years may still be running: confirmed (early). */
		snprintf(race.body, sizeof(race.body), "from=%d&plan=%s"
		    "&early=1", 2026 + round, t_hidden(&admin.c, "plan"));
		t_parallel(8, race_rollover, &race);
		for (ok = i = 0; i < 8; i++)
			ok += race.status[i] == 303;
		T_EQ(ok, 1);
		T_STREQ(t_sql("SELECT count(*) FROM parta.class_rollover WHERE"
		    " org_id = %lld AND from_year = %d", org, 2026 + round),
		    "1");
	}
	/* 3В went on to 6В of 2028; 10В graduated as 11В in 2026. */
	T_STREQ(t_sql("SELECT string_agg(grade || letter || ':' || year, ','"
	    " ORDER BY year, grade) FROM parta.class WHERE org_id = %lld AND"
	    " archived_at IS NULL", org), "6В:2028");
	for (i = 0; i < 8; i++)
		t_client_free(&race.p[i].c);
	t_client_free(&admin.c);
	t_client_free(&pupil.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "create, show and list classes", create_show_list },
		{ "class form validation (422)", validation },
		{ "class uniqueness (409), also under concurrency",
		    uniqueness },
		{ "edit, archive and restore", edit_archive },
		{ "homeroom teachers: assign, unassign, rules", homeroom },
		{ "who may see and change classes (403, 404)", access },
		{ "year rollover: preview equals apply, once", rollover },
		{ "rollover blocked, and raced", rollover_blocked_and_race },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
