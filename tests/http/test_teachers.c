/*
 * Who teaches a class (cgi-bin/create-class/ over lib/member.c): subject
 * teachers added and taken out; what unassigning a homeroom teacher ends;
 * the one staff class of a year, which every accepted teacher joins; the
 * rollover after a member was removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* p a member of org (verified), as an accepted application makes them:
 * p's id. */
static long long
member_add(long long org, const struct t_person *p, const char *role)
{
	t_member_add(org, p->id, role, 1);
	return p->id;
}

static long long
class_new(long long org, const char *kind, const char *grade,
    const char *letter, const char *title, int year)
{
	return t_ll(t_sql("INSERT INTO parta.class (org_id, kind, grade,"
	    " letter, title, year, color) VALUES (%lld, '%s',"
	    " nullif('%s', '')::smallint, '%s', '%s', %d, '#2563c9')"
	    " RETURNING id", org, kind, grade, letter, title, year));
}

/* What account is in chat purpose of class cls: "member", "admin" or
 * "" (not in it). */
static const char *
in_chat(long long org, long long cls, const char *purpose, long long who)
{
	return t_sql("SELECT CASE WHEN cm.is_admin THEN 'admin' ELSE 'member'"
	    " END FROM parta.chat c JOIN parta.chat_member cm ON cm.org_id ="
	    " c.org_id AND cm.chat_id = c.id WHERE c.org_id = %lld AND"
	    " c.class_id = %lld AND c.purpose = '%s' AND cm.account_id ="
	    " %lld", org, cls, purpose, who);
}

/* The text of the last page from the first from to the next to after it
 * (static), or "". */
static const char *
between(const struct t_client *c, const char *from, const char *to)
{
	static _Thread_local char	 out[4096];
	const char	*p, *e;

	out[0] = '\0';
	if (c->r.body == NULL || (p = strstr(c->r.body, from)) == NULL ||
	    (e = strstr(p, to)) == NULL || (size_t)(e - p) >= sizeof(out))
		return out;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return out;
}

/* c makes a student link for class cls of org: its token into tok, or
 * -1. */
static int
link_make(struct t_client *c, long long org, long long cls, char tok[96])
{
	return t_invite_make(c, org, t_fmt("role=student&class_id=%lld"
	    "&ttl_hours=48&max_uses=5", cls), tok, 96) > 0 ? 0 : -1;
}

static void
subject_teachers(void)
{
	struct t_person	 admin, t, t2, novice, pupil, stranger, other_admin;
	struct t_person	 kid;
	char		 show[96], add[128], rm[160];
	long long	 org, org2, cls, staff, t_id, t2_id, app;

	t_signup(&admin, "Директорова", "Дина");
	t_signup(&t, "Физикова", "Фаина");
	t_signup(&t2, "Химиков", "Харитон");
	t_signup(&novice, "Непроверенная", "Нина");
	t_signup(&pupil, "Школьница", "Шура");
	t_signup(&stranger, "Чужаков", "Чеслав");
	t_signup(&other_admin, "Соседкина", "Соня");
	t_signup(&kid, "Поступающий", "Паша");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	T_TRUE((org2 = t_org_create(&other_admin, "Соседняя школа")) > 0);
	T_TRUE((t_id = member_add(org, &t, "teacher")) > 0);
	T_TRUE((t2_id = member_add(org, &t2, "teacher")) > 0);
	T_TRUE(t_sql("INSERT INTO parta.member (org_id, account_id, role,"
	    " verified) VALUES (%lld, %lld, 'teacher', false)", org,
	    t_account_id(&novice)) != NULL);
	T_TRUE(member_add(org, &pupil, "student") > 0);
	T_TRUE(member_add(org2, &stranger, "teacher") > 0);
	T_TRUE((cls = class_new(org, "class", "7", "А", "", 2025)) > 0);
	snprintf(show, sizeof(show), "/org/%lld/classes/%lld", org, cls);
	snprintf(add, sizeof(add), "%s/teachers", show);

	/* The admin's class page: a «Учителя» section of its own, with
	 * the verified teachers offered. */
	T_EQ(t_get(&admin.c, show), 200);
	T_HAS(&admin.c, "<h2 id=\"teachers\">Учителя</h2>");
	T_HAS(&admin.c, "Добавить учителя");
	T_HAS(&admin.c, "Учителей пока нет.");
	T_TRUE(strstr(between(&admin.c, "id=\"teacher_id\"", "</select>"),
	    "Физикова Фаина") != NULL);
	T_TRUE(strstr(between(&admin.c, "id=\"teacher_id\"", "</select>"),
	    "Непроверенная") == NULL);
	T_TRUE(strstr(between(&admin.c, "id=\"teacher_id\"", "</select>"),
	    "Школьница") == NULL);

	/* Added: 303 to the class page, listed apart from the homeroom
	 * teacher, with «Убрать»; no longer offered; audited in words. */
	T_EQ(t_postf(&admin.c, add, "account_id=%lld", t_id), 303);
	T_STREQ(t_header(&admin.c, "Location"), show);
	T_EQ(t_get(&admin.c, show), 200);
	T_TRUE(strstr(between(&admin.c, "id=\"teachers\"", "</section>"),
	    "Физикова Фаина") != NULL);
	T_TRUE(strstr(between(&admin.c, "id=\"homeroom\"", "</section>"),
	    "Физикова Фаина</a>") == NULL);
	T_HAS(&admin.c, t_fmt("%s/teachers/%lld/remove", show, t_id));
	T_HAS(&admin.c, "Убрать");
	T_TRUE(strstr(between(&admin.c, "id=\"teacher_id\"", "</select>"),
	    "Физикова Фаина") == NULL);
	T_TRUE(strstr(between(&admin.c, "id=\"teacher_id\"", "</select>"),
	    "Химиков Харитон") != NULL);
	T_STREQ(t_sql("SELECT string_agg(role, ',') FROM parta.class_member"
	    " WHERE org_id = %lld AND class_id = %lld AND account_id = %lld",
	    org, cls, t_id), "teacher");
	T_STREQ(t_sql("SELECT detail FROM parta.audit WHERE org_id = %lld AND"
	    " action = 'teacher_add' AND target_id = %lld", org, t_id),
	    "назначена учителем 7А");	/* t_signup: a woman */

	/* Twice: 409, said in words. */
	T_EQ(t_postf(&admin.c, add, "account_id=%lld", t_id), 409);
	T_HAS(&admin.c, "уже ведёт уроки в этом классе");

	/* Not a verified teacher of this organization: 422 next to the
	 * field, nothing added. */
	T_EQ(t_postf(&admin.c, add, "account_id=%lld", t_account_id(&novice)),
	    422);
	T_HAS(&admin.c, "id=\"teacher_error\"");
	T_HAS(&admin.c, "aria-describedby=\"teacher_error\"");
	T_HAS(&admin.c, "только подтверждённый учитель этой организации");
	T_LACKS(&admin.c, "id=\"account_id_error\"");
	T_EQ(t_postf(&admin.c, add, "account_id=%lld", t_account_id(&pupil)),
	    422);
	T_EQ(t_postf(&admin.c, add, "account_id=%lld",
	    t_account_id(&stranger)), 422);
	T_EQ(t_postf(&admin.c, add, "account_id=%lld",
	    t_account_id(&other_admin)), 422);
	T_EQ(t_postf(&admin.c, add, "account_id=%lld", t_account_id(&admin)),
	    422);
	T_EQ(t_postf(&admin.c, add, "account_id=999999999"), 422);
	T_EQ(t_postf(&admin.c, add, "account_id=abc"), 422);
	T_HAS(&admin.c, "Выберите учителя из списка");
	T_HAS(&admin.c, "id=\"teacher_error\"");
	T_EQ(t_postf(&admin.c, add, "x=1"), 422);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld", org, cls), "1");

	/* Only the admin: a teacher, the subject teacher, a student 403;
	 * another organization's admin 404, for its own class too. */
	t_form(&t2.c, show);
	T_EQ(t_postf(&t2.c, add, "account_id=%lld", t2_id), 403);
	t_form(&t.c, show);
	T_EQ(t_postf(&t.c, t_fmt("%s/teachers/%lld/remove", show, t_id), "x=1"),
	    403);
	t_form(&pupil.c, show);
	T_EQ(t_postf(&pupil.c, add, "account_id=%lld", t2_id), 403);
	t_form(&other_admin.c, "/me");
	T_EQ(t_postf(&other_admin.c, add, "account_id=%lld", t2_id), 404);
	T_EQ(t_postf(&admin.c, t_fmt("/org/%lld/classes/%lld/teachers", org,
	    class_new(org2, "class", "7", "Б", "", 2025)), "account_id=%lld",
	    t2_id), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld", org, cls), "1");

	/* The subject teacher sees the class and is in its chats as a
	 * member; they are no reviewer of its applications. */
	T_EQ(t_get(&t.c, show), 200);
	T_LACKS(&t.c, "Убрать");
	T_STREQ(in_chat(org, cls, "students", t_id), "member");
	T_STREQ(in_chat(org, cls, "parents", t_id), "member");
	T_EQ(t_get(&t.c, t_fmt("/chats/%s", t_sql("SELECT id FROM parta.chat"
	    " WHERE org_id = %lld AND class_id = %lld AND purpose ="
	    " 'students'", org, cls))), 200);
	T_TRUE((app = t_apply_self(&kid, org, "student", cls)) > 0);
	T_EQ(t_get(&t.c, t_fmt("/org/%lld/applications", org)), 403);
	T_EQ(t_get(&t.c, t_fmt("/org/%lld/applications/%lld", org, app)), 403);
	t_form(&t.c, "/me");
	T_EQ(t_postf(&t.c, t_fmt("/org/%lld/applications/%lld/accept", org,
	    app), "x=1"), 403);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    app), "pending");

	/* Taken out: 303, out of the class and its chats, audited; again:
	 * 409. */
	snprintf(rm, sizeof(rm), "%s/teachers/%lld/remove", show, t_id);
	t_form(&admin.c, show);
	T_EQ(t_postf(&admin.c, rm, "x=1"), 303);
	T_STREQ(t_header(&admin.c, "Location"), show);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld AND account_id = %lld", org, cls, t_id),
	    "0");
	T_STREQ(in_chat(org, cls, "students", t_id), "");
	T_STREQ(in_chat(org, cls, "parents", t_id), "");
	T_STREQ(t_sql("SELECT detail FROM parta.audit WHERE org_id = %lld AND"
	    " action = 'teacher_remove' AND target_id = %lld", org, t_id),
	    "снята с преподавания в 7А");
	T_EQ(t_postf(&admin.c, rm, "x=1"), 409);
	T_HAS(&admin.c, "не ведёт уроки в этом классе");
	T_EQ(t_get(&admin.c, show), 200);
	T_TRUE(strstr(between(&admin.c, "id=\"teachers\"", "</section>"),
	    "Физикова Фаина</a>") == NULL);

	/* A homeroom teacher who also teaches the class stays in its
	 * chats when no longer its homeroom teacher, as a member. */
	T_EQ(t_postf(&admin.c, t_fmt("%s/homeroom", show), "account_id=%lld",
	    t2_id), 303);
	T_EQ(t_postf(&admin.c, add, "account_id=%lld", t2_id), 303);
	T_STREQ(in_chat(org, cls, "students", t2_id), "admin");
	T_EQ(t_postf(&admin.c, t_fmt("%s/homeroom/remove", show),
	    "account_id=%lld", t2_id), 303);
	T_STREQ(in_chat(org, cls, "students", t2_id), "member");
	T_STREQ(in_chat(org, cls, "parents", t2_id), "member");
	T_EQ(t_postf(&admin.c, t_fmt("%s/teachers/%lld/remove", show, t2_id),
	    "x=1"), 303);
	T_STREQ(in_chat(org, cls, "students", t2_id), "");

	/* An archived class: 409 for both, nothing changed. */
	T_EQ(t_postf(&admin.c, add, "account_id=%lld", t_id), 303);
	T_TRUE(t_sql("UPDATE parta.class SET archived_at = now() WHERE id ="
	    " %lld", cls) != NULL);
	T_EQ(t_postf(&admin.c, add, "account_id=%lld", t2_id), 409);
	T_HAS(&admin.c, "Класс в архиве");
	T_EQ(t_postf(&admin.c, rm, "x=1"), 409);
	T_HAS(&admin.c, "Класс в архиве");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld", org, cls), "1");
	T_EQ(t_get(&admin.c, show), 200);
	T_LACKS(&admin.c, "Добавить учителя");
	T_LACKS(&admin.c, "/remove\"");

	/* The staff class gathers every teacher by itself: 409. */
	T_TRUE((staff = class_new(org, "staff", "", "", "Учительская",
	    2025)) > 0);
	T_EQ(t_postf(&admin.c, t_fmt("/org/%lld/classes/%lld/teachers", org,
	    staff), "account_id=%lld", t_id), 409);
	T_HAS(&admin.c, "учителя попадают сами");
	T_EQ(t_postf(&admin.c, t_fmt("/org/%lld/classes/%lld/teachers/%lld/"
	    "remove", org, staff, t_id), "x=1"), 409);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member WHERE org_id ="
	    " %lld AND class_id = %lld AND account_id = %lld", org, staff,
	    t_id), "1");
	t_client_free(&admin.c);
	t_client_free(&t.c);
	t_client_free(&t2.c);
	t_client_free(&novice.c);
	t_client_free(&pupil.c);
	t_client_free(&stranger.c);
	t_client_free(&other_admin.c);
	t_client_free(&kid.c);
}

static void
homeroom_unassigned(void)
{
	struct t_person	 admin, h, kid, kid2;
	struct t_client	 anon;
	char		 tok[96], atok[96], show[96], apps[96];
	long long	 org, cls, h_id, app, app2;

	t_signup(&admin, "Завучева", "Зоя");
	t_signup(&h, "Классова", "Клара");
	t_signup(&kid, "Просящийся", "Пётр");
	t_signup(&kid2, "Другая", "Дарья");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	T_TRUE((h_id = member_add(org, &h, "teacher")) > 0);
	T_TRUE((cls = class_new(org, "class", "5", "А", "", 2025)) > 0);
	snprintf(show, sizeof(show), "/org/%lld/classes/%lld", org, cls);
	snprintf(apps, sizeof(apps), "/org/%lld/applications", org);

	/* Assigned over HTTP: the DB writes the audit row in words. */
	t_form(&admin.c, show);
	T_EQ(t_postf(&admin.c, t_fmt("%s/homeroom", show), "account_id=%lld",
	    h_id), 303);
	T_STREQ(in_chat(org, cls, "students", h_id), "admin");
	T_STREQ(in_chat(org, cls, "parents", h_id), "admin");
	/* The homeroom teacher reviews the class's applications and makes
	 * links for it; the admin makes one too. */
	T_TRUE((app = t_apply_self(&kid, org, "student", cls)) > 0);
	T_TRUE((app2 = t_apply_self(&kid2, org, "student", cls)) > 0);
	T_EQ(t_get(&h.c, apps), 200);
	T_HAS(&h.c, "Просящийся Пётр");
	T_EQ(link_make(&h.c, org, cls, tok), 0);
	T_EQ(link_make(&admin.c, org, cls, atok), 0);
	t_client_init(&anon);
	T_EQ(t_get(&anon, t_fmt("/join/%s", tok)), 200);
	/* A decision works before. */
	t_form(&h.c, apps);
	T_EQ(t_postf(&h.c, t_fmt("%s/%lld/reject", apps, app2), "reason=%s",
	    t_enc("Не из нашей школы")), 303);

	/* Unassigned. */
	t_form(&admin.c, show);
	T_EQ(t_postf(&admin.c, t_fmt("%s/homeroom/remove", show),
	    "account_id=%lld", h_id), 303);
	T_STREQ(t_header(&admin.c, "Location"), show);
	T_STREQ(t_sql("SELECT detail FROM parta.audit WHERE org_id = %lld AND"
	    " action = 'homeroom_unassign' AND target_id = %lld", org, h_id),
	    "снята с классного руководства 5А; отозвано ссылок-приглашений: "
	    "1");
	T_STREQ(t_sql("SELECT detail FROM parta.audit WHERE org_id = %lld AND"
	    " action = 'homeroom_assign' AND target_id = %lld", org, h_id),
	    "назначена классным руководителем 5А");

	/* 1. No more decisions on the class's applications. */
	T_EQ(t_get(&h.c, apps), 403);
	T_EQ(t_get(&h.c, t_fmt("%s/%lld", apps, app)), 403);
	t_form(&h.c, "/me");
	T_EQ(t_postf(&h.c, t_fmt("%s/%lld/accept", apps, app), "x=1"), 403);
	T_STREQ(t_sql("SELECT status FROM parta.application WHERE id = %lld",
	    app), "pending");
	/* 2. The link they made for it: 410; the admin's still works. */
	T_EQ(t_get(&anon, t_fmt("/join/%s", tok)), 410);
	T_HAS(&anon, "Ссылку отозвали");
	T_EQ(t_get(&anon, t_fmt("/join/%s", atok)), 200);
	/* 3. Out of its chats (they do not teach it). */
	T_STREQ(in_chat(org, cls, "students", h_id), "");
	T_STREQ(in_chat(org, cls, "parents", h_id), "");
	/* Still a teacher of the organization who sees the class. */
	T_EQ(t_get(&h.c, show), 200);
	T_STREQ(t_sql("SELECT role FROM parta.member WHERE org_id = %lld AND"
	    " account_id = %lld", org, h_id), "teacher");
	/* The admin accepts it instead. */
	t_form(&admin.c, apps);
	T_EQ(t_postf(&admin.c, t_fmt("%s/%lld/accept", apps, app), "x=1"), 303);
	t_client_free(&anon);
	t_client_free(&admin.c);
	t_client_free(&h.c);
	t_client_free(&kid.c);
	t_client_free(&kid2.c);
}

static void
staff_class(void)
{
	struct t_person	 admin, newt;
	char		 list[96], want[32];
	const char	*v;
	long long	 org, staff, old, app, newt_id;
	int		 now;

	t_signup(&admin, "Учительская", "Ульяна");
	t_signup(&newt, "Новоприбывший", "Никита");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	T_TRUE((now = t_now_year()) > 2000);
	snprintf(list, sizeof(list), "/org/%lld/classes", org);

	/* One staff class a year: a second is refused with its own words,
	 * whatever its title, and links to the one there is. */
	t_form(&admin.c, list);
	T_EQ(t_postf(&admin.c, list, "kind=staff&grade=&letter=&title="
	    "&year=%d&color=%%232c7a4b", now), 303);
	staff = t_id_after(t_header(&admin.c, "Location"), "/classes/");
	T_TRUE(staff > 0);
	T_EQ(t_postf(&admin.c, list, "kind=staff&grade=&letter=&title=%s"
	    "&year=%d&color=%%232c7a4b", t_enc("Педагоги"), now), 409);
	T_HAS(&admin.c, "учительский класс уже есть: «Учительская»");
	T_LACKS(&admin.c, "Такой класс уже есть");
	T_HAS(&admin.c, t_fmt("/org/%lld/classes/%lld\"", org, staff));
	T_EQ(t_postf(&admin.c, list, "kind=staff&grade=&letter=&title="
	    "&year=%d&color=%%232c7a4b", now), 409);
	T_HAS(&admin.c, "учительский класс уже есть");
	/* A plain class of the same name is the other 409. */
	T_EQ(t_postf(&admin.c, list, "kind=class&grade=&letter=&title=%s"
	    "&year=%d&color=%%232c7a4b", t_enc("Учительская"), now), 409);
	T_HAS(&admin.c, "Такой класс уже есть");
	T_STREQ(t_sql("SELECT count(*) FROM parta.class WHERE org_id = %lld"
	    " AND kind = 'staff'", org), "1");
	/* Last year's is fine; edited into this year, refused. */
	T_EQ(t_postf(&admin.c, list, "kind=staff&grade=&letter=&title="
	    "&year=%d&color=%%232c7a4b", now - 1), 303);
	old = t_id_after(t_header(&admin.c, "Location"), "/classes/");
	T_TRUE(old > 0);
	t_form(&admin.c, t_fmt("%s/%lld/edit", list, old));
	T_EQ(t_postf(&admin.c, t_fmt("%s/%lld/edit", list, old), "kind=staff"
	    "&grade=&letter=&title=%s&year=%d&color=%%232c7a4b",
	    t_enc("Старая"), now), 409);
	T_HAS(&admin.c, "учительский класс уже есть");

	/* A teacher accepted into the organization joins this year's staff
	 * class (and the staff chat), not last year's. */
	T_TRUE((app = t_apply_self(&newt, org, "teacher", 0)) > 0);
	newt_id = t_account_id(&newt);
	t_form(&admin.c, t_fmt("/org/%lld/applications/%lld", org, app));
	T_EQ(t_postf(&admin.c, t_fmt("/org/%lld/applications/%lld/accept", org,
	    app), "x=1"), 303);
	snprintf(want, sizeof(want), "%lld", staff);
	T_STREQ(t_sql("SELECT string_agg(class_id::text, ',') FROM"
	    " parta.class_member WHERE org_id = %lld AND account_id = %lld",
	    org, newt_id), want);
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member cm JOIN"
	    " parta.chat c ON c.org_id = cm.org_id AND c.id = cm.chat_id"
	    " WHERE c.org_id = %lld AND c.purpose = 'staff' AND"
	    " cm.account_id = %lld", org, newt_id), "1");
	T_EQ(t_get(&admin.c, t_fmt("%s/%lld", list, staff)), 200);
	T_HAS(&admin.c, "Новоприбывший Никита");
	T_HAS(&admin.c, "1 участник");
	T_TRUE((v = t_sql("SELECT count(*) FROM parta.class_member WHERE"
	    " class_id = %lld", old)) != NULL);
	T_STREQ(v, "0");
	t_client_free(&admin.c);
	t_client_free(&newt.c);
}

#define PLAN_AT	"name=\"plan\" value=\""

static void
rollover_removed(void)
{
	struct t_person	 admin, h, t, s1, s2;
	char		 path[128], plan[128], hash[80], want[64];
	const char	*v;
	long long	 org, cls, staff, n10, h_id, t_id;

	t_signup(&admin, "Переходова", "Пелагея");
	t_signup(&h, "Уволенная", "Ульяна");
	t_signup(&t, "Предметов", "Прохор");
	t_signup(&s1, "Первый", "Ученик");
	t_signup(&s2, "Второй", "Ученик");
	T_TRUE((org = t_org_create(&admin, NULL)) > 0);
	T_TRUE((cls = class_new(org, "class", "9", "Б", "", 2025)) > 0);
	T_TRUE((staff = class_new(org, "staff", "", "", "Учительская",
	    2025)) > 0);
	T_TRUE((h_id = member_add(org, &h, "teacher")) > 0);
	T_TRUE((t_id = member_add(org, &t, "teacher")) > 0);
	T_EQ(t_class_member_add(org, cls, h_id, "homeroom"), 0);
	T_EQ(t_class_member_add(org, cls, t_id, "teacher"), 0);
	T_EQ(t_class_member_add(org, staff, h_id, "teacher"), 0);
	T_EQ(t_class_member_add(org, staff, t_id, "teacher"), 0);
	T_TRUE(member_add(org, &s1, "student") > 0);
	T_TRUE(member_add(org, &s2, "student") > 0);
	T_EQ(t_class_member_add(org, cls, t_account_id(&s1), "student"), 0);
	T_EQ(t_class_member_add(org, cls, t_account_id(&s2), "student"), 0);
	/* The homeroom teacher is removed from the organization. */
	T_STREQ(t_sql("SELECT parta.member_end(%lld, %lld, NULL, 'removed')",
	    org, h_id), "ok");
	/* A student whose membership became a teacher's keeps a student row
	 * the next year's class would refuse (PA403): not carried. */
	T_TRUE(t_sql("UPDATE parta.member SET role = 'teacher' WHERE org_id ="
	    " %lld AND account_id = %lld", org, t_account_id(&s2)) != NULL);

	/* Next year's staff class exists under another name: the staff
	 * class goes into it (one a year). */
	T_TRUE(class_new(org, "staff", "", "", "Педагоги", 2026) > 0);

	/* The preview counts who goes, and says what to do about subject
	 * teachers. */
	snprintf(path, sizeof(path), "/org/%lld/classes/rollover?from=2025",
	    org);
	T_EQ(t_get(&admin.c, path), 200);
	T_HAS(&admin.c, "1 ученик</span>");
	T_HAS(&admin.c, "Класс Педагоги уже создан");
	T_HAS(&admin.c, "Учителя-предметники в новые классы не переходят");
	T_HAS(&admin.c, "«Добавить учителя»");
	T_LACKS(&admin.c, "пригласите их");
	v = between(&admin.c, PLAN_AT, "\">");
	snprintf(hash, sizeof(hash), "%s", *v != '\0' ? v + strlen(PLAN_AT) :
	    "");
	T_EQ(strlen(hash), 64);
	snprintf(plan, sizeof(plan), "from=2025&plan=%s", hash);
	t_form(&admin.c, path);
	T_EQ(t_postf(&admin.c, t_fmt("/org/%lld/classes/rollover", org), "%s",
	    plan), 303);

	/* Only members went on: the student; not the removed homeroom
	 * teacher, not the subject teacher (per year), not the changed
	 * row. */
	n10 = t_ll(t_sql("SELECT id FROM parta.class WHERE org_id = %lld"
	    " AND year = 2026 AND grade = 10", org));
	T_TRUE(n10 > 0);
	snprintf(want, sizeof(want), "%lld:student", t_account_id(&s1));
	T_STREQ(t_sql("SELECT string_agg(account_id || ':' || role, ',')"
	    " FROM parta.class_member WHERE org_id = %lld AND class_id = %lld",
	    org, n10), want);
	T_STREQ(t_sql("SELECT count(*) FROM parta.class_member m JOIN"
	    " parta.class c ON c.org_id = m.org_id AND c.id = m.class_id"
	    " WHERE c.org_id = %lld AND c.year = 2026 AND m.account_id ="
	    " %lld", org, h_id), "0");
	T_STREQ(t_sql("SELECT count(*) FROM parta.chat_member m JOIN"
	    " parta.chat ch ON ch.org_id = m.org_id AND ch.id = m.chat_id"
	    " JOIN parta.class c ON c.org_id = ch.org_id AND c.id ="
	    " ch.class_id WHERE c.org_id = %lld AND c.year = 2026 AND"
	    " m.account_id = %lld", org, h_id), "0");
	/* The subject teacher is in next year's staff class, not in 10Б. */
	T_STREQ(t_sql("SELECT c.title FROM parta.class_member m JOIN"
	    " parta.class c ON c.org_id = m.org_id AND c.id = m.class_id"
	    " WHERE c.org_id = %lld AND c.year = 2026 AND m.account_id ="
	    " %lld", org, t_id), "Педагоги");
	/* The done page leads to each new class's teachers. */
	T_EQ(t_get(&admin.c, path), 200);
	T_HAS(&admin.c, "выполнен");
	T_HAS(&admin.c, t_fmt("/org/%lld/classes/%lld#teachers", org, n10));
	T_HAS(&admin.c, "«Добавить учителя»");
	T_EQ(t_get(&admin.c, t_fmt("/org/%lld/classes/%lld", org, n10)), 200);
	T_HAS(&admin.c, "Учителей пока нет.");
	t_client_free(&admin.c);
	t_client_free(&h.c);
	t_client_free(&t.c);
	t_client_free(&s1.c);
	t_client_free(&s2.c);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "subject teachers: add, remove, rules, chats, no review",
		    subject_teachers },
		{ "homeroom unassigned: no review, links 410, out of chats",
		    homeroom_unassigned },
		{ "one staff class a year; an accepted teacher joins it",
		    staff_class },
		{ "rollover carries members only, not subject teachers",
		    rollover_removed },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
