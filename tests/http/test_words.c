/*
 * Words on pages: no page shows a person an internal code or a bare id.
 *
 * A school's year is played over HTTP as its people would play it: an
 * organization's request filed, approved and another rejected by the
 * operator; classes, links (one revoked), personal links in bulk; a
 * roster uploaded and applied (a row with an error, a class missing);
 * teachers and students apply by links and are accepted, rejected or
 * withdraw; homeroom and subject teachers assigned and taken off; a
 * parent confirmed by the child's link; chats with messages, a message
 * deleted, a member taken out of a chat; a student moved, a member
 * removed and let back; a class archived.  Every action that writes the
 * audit does it through the page a person uses.
 *
 * Then each person (operator, administrator, homeroom teacher, subject
 * teacher, a girl and a boy who are students, a parent, someone who only
 * applied, and an anonymous visitor) walks the site from their start
 * pages, following every local link and GET form of every page they are
 * shown (and the redirects), and the visible text of every page is
 * checked: the HTML without tags, comments, scripts, styles and
 * attribute values; a CSV export as it is.  A finding is
 *   - a word of Latin letters that is not on the short allow-list below
 *     (an English status, role or code such as "pending", "student",
 *     "invite_revoked", "class 11"),
 *   - anything joined by an underscore ("homeroom_assign"),
 *   - a SQLSTATE-like code ("23505", "P0001", "40P01"),
 *   - a number after "#" ("#12", an id),
 *   - an ending left to guess, in brackets after a word ("создал(а)",
 *     "он(а)", "заявки(ок)"): the page knows whom and how many.
 * E-mail addresses, URLs and the names of uploaded files (words with "@"
 * or "://", or ending in ".pdf", ".jpg", ".png", ".csv", ".docx"...) are
 * the person's or the school's own data and links shown on purpose:
 * skipped.
 * Every finding is printed with its page and context, then the test
 * fails.  A link a person is shown that answers 500 fails too.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"

/* Latin words a Russian page may show: names of formats and things a
 * person knows by these letters.  Keep it short: every word added here
 * is a word no test will catch. */
static const char *const allowed[] = {
	"CSV",		/* the export formats, on their buttons */
	"JSON",
	"PDF",		/* the document formats an upload takes */
	"JPEG",
	"PNG",
	"WebP",		/* the rest of what /me/files takes (lib/file.c) */
	"Word", "PowerPoint", "OpenDocument", "TXT", "ZIP",
	"QR",		/* the QR code of a link */
	"SMS",
	"Excel",	/* "opens in Excel" */
	"JavaScript",	/* "works without JavaScript" */
	"e", "mail",	/* "e-mail", the field's usual Russian name */
	"UTF",		/* "UTF-8" in the CSV hint */
	"Sferum",	/* the national platform, named in the policy */
	"masha2019",	/* the example of a young child's login name,
			 * Latin letters and digits by rule (/register) */
	/* Browsers and systems by their makers' names (auth_browser_name,
	 * on /me/sessions). */
	"Chrome", "ChromeOS", "Edge", "Opera", "Samsung", "Internet",
	"Firefox", "Safari", "Android", "iPhone", "iPad", "Windows", "macOS",
	"Linux",
	NULL
};

#define MAXPAGES	400	/* per person */
#define MAXFIND		200	/* printed per person */

static const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n"
    "%%EOF\n";

/* The people of the world. */
enum who {
	W_OPERATOR, W_ADMIN, W_HOMEROOM, W_TEACHER, W_GIRL, W_BOY, W_PARENT,
	W_APPLICANT, W_ANON, W__MAX
};

static const char *const who_name[W__MAX] = {
	"operator", "admin", "homeroom teacher", "teacher", "student (girl)",
	"student (boy)", "parent", "applicant", "anonymous"
};

static struct {
	struct t_person	 p[W__MAX];
	long long	 org, cls, cls2, cls3, req, req2, req3, plink, chat;
	char		 invite_token[128], chat_token[128];
	int		 ok;
	long long	 acc_lo;	/* accounts before the year */
} w;

/* Sign up as a person of gender g ('f' or 'm'), with the phone in
 * p->phone if set; phone verified, logged in: 0 or -1. */
static int
signup(struct t_person *p, const char *last, const char *first, char g,
    const char *birth)
{
	const char	 gender[2] = { g, '\0' };

	return t_signup_as(p, p->phone[0] != '\0' ? p->phone : NULL, last,
	    first, gender, birth);
}

/* A registration request for a school run by the owner of phone: its
 * id, or -1. */
static long long
org_request(struct t_client *c, const char *name, const char *phone)
{
	char		 inn[11], kpp[10];
	const struct t_orgreq q = { "70", name, name, inn, kpp, "Соколова",
	    "Анна", "Игоревна", phone, "г. Томск, ул. Ленина, 1", "prikaz.pdf",
	    "application/pdf", pdf, sizeof(pdf) - 1 };

	t_unique_inn(inn, kpp);
	t_form(c, "/register/org");
	if (t_orgreq_post(c, &q) != 303)
		return -1;
	return t_id_after(t_header(c, "Location"), "/register/org/");
}

static long
decide(struct t_client *c, long long app, const char *how)
{
	t_form(c, t_fmt("/org/%lld/applications/%lld", w.org, app));
	return t_postf(c, t_fmt("/org/%lld/applications/%lld/%s", w.org, app,
	    how), "reason=%s", t_enc("Такого ученика нет в списке класса"));
}

static long long
class_create(struct t_client *c, int grade, const char *letter)
{
	const char	*year = t_sql("SELECT parta.org_year(%lld)", w.org);

	t_form(c, t_fmt("/org/%lld/classes/new", w.org));
	if (t_postf(c, t_fmt("/org/%lld/classes", w.org), "kind=class"
	    "&grade=%d&letter=%s&title=&year=%s&color=%%232563c9", grade,
	    t_enc(letter), year) != 303)
		return -1;
	return t_id_after(t_header(c, "Location"),
	    t_fmt("/org/%lld/classes/", w.org));
}

/* A link of role for cls (0: none): its token into out, the invite id. */
static long long
invite(struct t_client *c, const char *role, long long cls, char *out,
    size_t outsz)
{
	return t_invite_make(c, w.org, t_fmt("role=%s&class_id=%s&ttl_hours=72"
	    "&max_uses=30", role, cls > 0 ? t_fmt("%lld", cls) : ""), out,
	    outsz);
}

/*
 * An operator of this test's own (parta-admin operator-create, as a real
 * site makes one), logged in on c: 0, or -1.  The stack's operator is
 * shared by every test, and other tests give it chats, children and
 * sessions whose names are theirs to choose.
 */
static int
operator_own(struct t_client *c)
{
	const char	*root = getenv("PARTA_ROOT");
	char		 cmd[1024], login[64], pw[32];
	FILE		*f;

	snprintf(login, sizeof(login), "words%lld@parta.test",
	    (long long)getpid() * 100000 + (long long)(time(NULL) % 100000));
	snprintf(pw, sizeof(pw), "words-%lld", (long long)time(NULL));
	snprintf(cmd, sizeof(cmd), "%s/build/bin/parta-admin operator-create "
	    "%s >/dev/null", root ? root : ".", login);
	if ((f = popen(cmd, "w")) == NULL)
		return -1;
	fprintf(f, "%s\n", pw);
	if (pclose(f) != 0)
		return -1;
	t_client_init(c);
	t_form(c, "/login");
	return t_postf(c, "/login", "login=%s&password=%s", t_enc(login),
	    t_enc(pw)) == 303 ? 0 : -1;
}

/* A roster uploaded by the admin c to org and applied: 303 each. */
static void
roster_add(struct t_client *c, long long org)
{
	static const char csv[] = "Фамилия;Имя;Класс;Телефон;Дата рождения\n"
	    "Списочная;Ева;5А;;2014-03-01\nСписочный;Лев;5 а;+79990004455;"
	    "2014-04-02\nОшибочный;Ян;5А;123;2014-05-03\n"
	    "Будущий;Марк;8Г;;2011-06-04\n";
	struct t_mp	 m = { 0 };
	const char	*loc;

	t_form(c, t_fmt("/org/%lld/roster", org));
	t_mp_field(&m, "csrf", c->csrf);
	t_mp_file(&m, "file", "список-5а.csv", "text/csv", csv,
	    sizeof(csv) - 1);
	T_EQ(t_mp_post(c, t_fmt("/org/%lld/roster", org), &m), 303);
	T_TRUE((loc = t_header(c, "Location")) != NULL);
	loc = t_fmt("%s", loc);
	t_form(c, loc);
	T_EQ(t_postf(c, t_fmt("%s/apply", loc), "all=1"), 303);
}

/* The year of a school, played out. */
static void
world(void)
{
	struct t_person	*p = w.p, extra[4];
	struct t_client	*op = &p[W_OPERATOR].c, *ad = &p[W_ADMIN].c;
	char		 tok[128], token2[128];
	long long	 app, id, inv, pchat, schat;
	const char	*v;

	memset(&w, 0, sizeof(w));
	memset(extra, 0, sizeof(extra));
	T_TRUE((v = t_sql("SELECT coalesce(max(id), 0) FROM"
	    " parta.account")) != NULL);
	w.acc_lo = atoll(v);
	t_client_init(&p[W_ANON].c);
	T_TRUE(operator_own(op) == 0);
	/* The school's request, filed by someone who will stay an
	 * applicant; the administrator proves her phone. */
	signup(&p[W_APPLICANT], "Заявителев", "Пётр", 'm',
	    "1975-03-02");
	signup(&p[W_ADMIN], "Соколова", "Анна",
	    'f', "1980-04-12");
	T_TRUE((w.req = org_request(&p[W_APPLICANT].c, "Школа слов",
	    p[W_ADMIN].phone)) > 0);
	T_TRUE((w.req2 = org_request(&p[W_APPLICANT].c, "Школа отказов",
	    p[W_APPLICANT].phone)) > 0);
	/* A third request stays pending for the operator's queue. */
	T_TRUE((w.req3 = org_request(&p[W_APPLICANT].c, "Школа ожидания",
	    p[W_APPLICANT].phone)) > 0);
	t_form(op, t_fmt("/operator/requests/%lld", w.req));
	T_EQ(t_postf(op, t_fmt("/operator/requests/%lld/approve", w.req),
	    "x=1"), 303);
	t_form(op, t_fmt("/operator/requests/%lld", w.req2));
	T_EQ(t_postf(op, t_fmt("/operator/requests/%lld/reject", w.req2),
	    "reason=%s", t_enc("Приказ не подписан")), 303);
	T_TRUE((w.org = t_ll(t_sql("SELECT org_id FROM parta.org_request"
	    " WHERE id = %lld", w.req))) > 0);
	t_client_free(ad);
	T_TRUE(t_login(&p[W_ADMIN]) == 0);

	/* The school's card, with an e-mail and a website shown. */
	t_form(ad, t_fmt("/org/%lld/edit", w.org));
	T_EQ(t_postf(ad, t_fmt("/org/%lld/edit", w.org), "short_name=%s"
	    "&address=%s&phone=%s&email=school_40@edu.tomsk.ru"
	    "&website=https://school40.tomsk.ru&description=%s",
	    t_enc("Школа слов"), t_enc("г. Томск, ул. Пушкина, 40"),
	    t_enc("+7 3822 40-40-40"), t_enc("Школа, где слова на месте.")),
	    303);

	/* Classes, links. */
	T_TRUE((w.cls = class_create(ad, 5, "А")) > 0);
	T_TRUE((w.cls2 = class_create(ad, 6, "Б")) > 0);
	T_TRUE((w.cls3 = class_create(ad, 7, "В")) > 0);
	T_TRUE(invite(ad, "teacher", 0, tok, sizeof(tok)) > 0);
	T_TRUE((inv = invite(ad, "student", w.cls, token2,
	    sizeof(token2))) > 0);
	snprintf(w.invite_token, sizeof(w.invite_token), "%s", token2);
	T_TRUE((id = invite(ad, "student", w.cls2, token2,
	    sizeof(token2))) > 0);
	t_form(ad, t_fmt("/org/%lld/invites/%lld", w.org, id));
	T_EQ(t_postf(ad, t_fmt("/org/%lld/invites/%lld/revoke", w.org, id),
	    "x=1"), 303);
	/* Personal links in bulk, printed and exported. */
	t_form(ad, t_fmt("/org/%lld/invites/bulk", w.org));
	T_EQ(t_postf(ad, t_fmt("/org/%lld/invites/bulk", w.org), "role=student"
	    "&class_id=%lld&ttl_hours=72&names=%s", w.cls,
	    t_enc("Петров Пётр\nСидорова Анна\n")), 303);
	/* A roster of 5А (one row wrong, one of a class not made), applied;
	 * its people are nobody who applies below. */
	roster_add(ad, w.org);

	/* Teachers apply by the teachers' link; the admin accepts. */
	signup(&p[W_HOMEROOM], "Петрова", "Мария", 'f',
	    "1988-09-01");
	signup(&p[W_TEACHER], "Сидоров", "Олег",
	    'm', "1979-01-15");
	T_TRUE((app = t_join(&p[W_HOMEROOM], tok)) > 0);
	T_EQ(decide(ad, app, "accept"), 303);
	T_TRUE((app = t_join(&p[W_TEACHER], tok)) > 0);
	T_EQ(decide(ad, app, "accept"), 303);
	/* Homeroom of 5А; 6Б gets one and loses her; the teacher teaches
	 * 5А and 7В, and stops teaching 7В. */
	t_form(ad, t_fmt("/org/%lld/classes/%lld", w.org, w.cls));
	T_EQ(t_postf(ad, t_fmt("/org/%lld/classes/%lld/homeroom", w.org, w.cls),
	    "account_id=%lld", p[W_HOMEROOM].id), 303);
	T_EQ(t_postf(ad, t_fmt("/org/%lld/classes/%lld/homeroom", w.org,
	    w.cls2), "account_id=%lld", p[W_TEACHER].id), 303);
	T_EQ(t_postf(ad, t_fmt("/org/%lld/classes/%lld/homeroom/remove", w.org,
	    w.cls2), "account_id=%lld", p[W_TEACHER].id), 303);
	T_EQ(t_postf(ad, t_fmt("/org/%lld/classes/%lld/teachers", w.org, w.cls),
	    "account_id=%lld", p[W_TEACHER].id), 303);
	T_EQ(t_postf(ad, t_fmt("/org/%lld/classes/%lld/teachers", w.org,
	    w.cls3), "account_id=%lld", p[W_TEACHER].id), 303);
	T_EQ(t_postf(ad, t_fmt("/org/%lld/classes/%lld/teachers/%lld/remove",
	    w.org, w.cls3, p[W_TEACHER].id), "x=1"), 303);

	/* Students apply by the class link: the homeroom teacher accepts
	 * the girl, the admin the boy; one is rejected, one withdraws, one
	 * waits, one is accepted and later removed. */
	signup(&p[W_GIRL], "Иванова", "Маша", 'f', "2011-05-20");
	signup(&p[W_BOY], "Кузнецов", "Петя", 'm', "2011-02-11");
	signup(&extra[0], "Отказова", "Вера", 'f', "2011-01-01");
	signup(&extra[1], "Передумов", "Глеб", 'm', "2011-01-01");
	signup(&extra[2], "Ждунова", "Лиза", 'f', "2011-01-01");
	signup(&extra[3], "Уходящий", "Илья", 'm', "2011-01-01");
	T_TRUE((app = t_join(&p[W_GIRL], w.invite_token)) > 0);
	T_EQ(decide(&p[W_HOMEROOM].c, app, "accept"), 303);
	T_TRUE((app = t_join(&p[W_BOY], w.invite_token)) > 0);
	T_EQ(decide(ad, app, "accept"), 303);
	T_TRUE((app = t_join(&extra[0], w.invite_token)) > 0);
	T_EQ(decide(&p[W_HOMEROOM].c, app, "reject"), 303);
	T_TRUE((app = t_join(&extra[1], w.invite_token)) > 0);
	t_form(&extra[1].c, t_fmt("/me/applications/%lld", app));
	T_EQ(t_postf(&extra[1].c, t_fmt("/me/applications/%lld/withdraw", app),
	    "x=1"), 303);
	T_TRUE(t_join(&extra[2], w.invite_token) > 0);
	T_TRUE((app = t_join(&extra[3], w.invite_token)) > 0);
	T_EQ(decide(ad, app, "accept"), 303);
	/* The applicant applies by the search, as a parent. */
	t_form(&p[W_APPLICANT].c, t_fmt("/org/%lld/apply", w.org));
	T_EQ(t_postf(&p[W_APPLICANT].c, t_fmt("/org/%lld/apply", w.org),
	    "role=student&class_id=%lld", w.cls), 303);

	/* The girl's mother, by the girl's parent link. */
	t_form(&p[W_GIRL].c, "/chats/parent-link");
	T_EQ(t_postf(&p[W_GIRL].c, "/chats/parent-link", "x=1"), 303);
	T_TRUE((w.plink = t_id_after(t_header(&p[W_GIRL].c, "Location"),
	    "/chats/parent-link/")) > 0);
	T_EQ(t_get(&p[W_GIRL].c, t_fmt("/chats/parent-link/%lld", w.plink)),
	    200);
	T_TRUE(t_token(&p[W_GIRL].c, "/c/", tok, sizeof(tok)) == 0);
	signup(&p[W_PARENT], "Иванова", "Ольга", 'f', "1985-11-30");
	t_form(&p[W_PARENT].c, t_fmt("/c/%s", tok));
	T_EQ(t_postf(&p[W_PARENT].c, t_fmt("/c/%s", tok), "x=1"), 303);
	/* A second parent link stays unused. */
	T_EQ(t_postf(&p[W_GIRL].c, "/chats/parent-link", "x=1"), 303);
	/* Requests to the school: the mother's about the girl, answered
	 * and closed by the homeroom teacher (audited); the subject
	 * teacher's, open; the admin's topics edited (audited). */
	t_form(&p[W_PARENT].c, t_fmt("/org/%lld/appeals", w.org));
	T_EQ(t_postf(&p[W_PARENT].c, t_fmt("/org/%lld/appeals", w.org),
	    "topic=%s&text=%s", t_enc("Справка"), t_enc("Нужна справка для "
	    "бассейна.")), 303);
	T_TRUE((id = t_id_after(t_header(&p[W_PARENT].c, "Location"),
	    t_fmt("/org/%lld/appeals/", w.org))) > 0);
	t_form(&p[W_HOMEROOM].c, t_fmt("/org/%lld/appeals/%lld", w.org, id));
	T_EQ(t_postf(&p[W_HOMEROOM].c, t_fmt("/org/%lld/appeals/%lld/reply",
	    w.org, id), "text=%s", t_enc("Подготовим к пятнице.")), 303);
	T_EQ(t_postf(&p[W_HOMEROOM].c, t_fmt("/org/%lld/appeals/%lld/close",
	    w.org, id), "outcome=%s", t_enc("Справка выдана")), 303);
	t_form(&p[W_TEACHER].c, t_fmt("/org/%lld/appeals", w.org));
	T_EQ(t_postf(&p[W_TEACHER].c, t_fmt("/org/%lld/appeals", w.org),
	    "topic=%s&text=%s", t_enc("Другое"), t_enc("Сломан проектор.")),
	    303);
	t_form(ad, t_fmt("/org/%lld/appeals/topics", w.org));
	T_EQ(t_postf(ad, t_fmt("/org/%lld/appeals/topics", w.org),
	    "topics=%s", t_enc("Справка\nЭкскурсии")), 303);

	/* Chats: the class's, the parents', a club by the teacher with a
	 * link the boy follows and is taken out of; messages, one deleted;
	 * a direct chat of the mother with the homeroom teacher. */
	T_TRUE((schat = t_chat_of(w.org, w.cls, "students")) > 0);
	T_TRUE((pchat = t_chat_of(w.org, w.cls, "parents")) > 0);
	T_EQ(t_chat_post(&p[W_GIRL].c, schat, "Всем привет!"), 303);
	T_EQ(t_chat_post(&p[W_BOY].c, schat, "Лишнее сообщение"), 303);
	T_EQ(t_chat_post(&p[W_HOMEROOM].c, schat, "Завтра экскурсия."), 303);
	T_TRUE((id = t_ll(t_sql("SELECT max(id) FROM parta.message WHERE"
	    " chat_id = %lld AND body = 'Лишнее сообщение'", schat))) > 0);
	t_form(&p[W_HOMEROOM].c, t_fmt("/chats/%lld", schat));
	T_EQ(t_postf(&p[W_HOMEROOM].c, t_fmt("/chats/%lld/messages/%lld/delete",
	    schat, id), "x=1"), 303);
	T_EQ(t_chat_post(&p[W_PARENT].c, pchat, "Маша завтра пропустит урок."),
	    303);
	T_EQ(t_chat_post(&p[W_HOMEROOM].c, pchat, "Спасибо, что предупредили."),
	    303);
	t_form(&p[W_TEACHER].c, t_fmt("/org/%lld/chats", w.org));
	T_EQ(t_postf(&p[W_TEACHER].c, t_fmt("/org/%lld/chats", w.org),
	    "title=%s&class_id=&kind=chat", t_enc("Олимпиада по математике")),
	    303);
	T_TRUE((w.chat = t_id_after(t_header(&p[W_TEACHER].c, "Location"),
	    "/chats/")) > 0);
	t_form(&p[W_TEACHER].c, t_fmt("/chats/%lld/link", w.chat));
	T_EQ(t_postf(&p[W_TEACHER].c, t_fmt("/chats/%lld/link", w.chat), "x=1"),
	    303);
	T_EQ(t_get(&p[W_TEACHER].c, t_fmt("/chats/%lld/link", w.chat)), 200);
	T_TRUE(t_token(&p[W_TEACHER].c, "/c/", w.chat_token,
	    sizeof(w.chat_token)) == 0);
	t_form(&p[W_BOY].c, t_fmt("/c/%s", w.chat_token));
	T_EQ(t_postf(&p[W_BOY].c, t_fmt("/c/%s", w.chat_token), "x=1"), 303);
	t_form(&p[W_GIRL].c, t_fmt("/c/%s", w.chat_token));
	T_EQ(t_postf(&p[W_GIRL].c, t_fmt("/c/%s", w.chat_token), "x=1"), 303);
	T_EQ(t_chat_post(&p[W_TEACHER].c, w.chat, "Задачи на четверг."), 303);
	t_form(&p[W_TEACHER].c, t_fmt("/chats/%lld/members", w.chat));
	T_EQ(t_postf(&p[W_TEACHER].c, t_fmt("/chats/%lld/members/%lld/remove",
	    w.chat, p[W_BOY].id), "x=1"), 303);
	t_form(&p[W_PARENT].c, "/chats/family");
	T_EQ(t_postf(&p[W_PARENT].c, "/chats/direct", "account_id=%lld",
	    p[W_HOMEROOM].id), 303);
	T_TRUE((id = t_id_after(t_header(&p[W_PARENT].c, "Location"),
	    "/chats/")) > 0);
	T_EQ(t_chat_post(&p[W_PARENT].c, id, "Добрый вечер!"), 303);

	/* The admin moves the boy to 6Б, removes a student and lets him
	 * back, and archives 7В. */
	t_form(ad, t_fmt("/org/%lld/members/%lld", w.org, p[W_BOY].id));
	T_EQ(t_postf(ad, t_fmt("/org/%lld/members/%lld/class", w.org,
	    p[W_BOY].id), "class_id=%lld", w.cls2), 303);
	T_EQ(t_postf(ad, t_fmt("/org/%lld/members/%lld/remove", w.org,
	    extra[3].id), "x=1"), 303);
	T_EQ(t_postf(ad, t_fmt("/org/%lld/members/%lld/unbar", w.org,
	    extra[3].id), "x=1"), 303);
	T_TRUE((v = t_sql("SELECT parta.org_year(%lld)", w.org)) != NULL);
	t_form(ad, t_fmt("/org/%lld/classes/%lld/edit", w.org, w.cls3));
	T_EQ(t_postf(ad, t_fmt("/org/%lld/classes/%lld/edit", w.org, w.cls3),
	    "kind=class&grade=7&letter=%s&title=&year=%s&color=%%232563c9"
	    "&archived=1", t_enc("В"), v), 303);
	/* Everything above was audited, in the organization's journal. */
	T_TRUE(t_ll(t_sql("SELECT count(DISTINCT action) FROM parta.audit"
	    " WHERE org_id = %lld", w.org)) >= 12);
	for (id = 0; id < 4; id++)
		t_client_free(&extra[id].c);
	w.ok = 1;
}

/* --- Visible text ------------------------------------------------- */

struct sbuf {
	char	*s;
	size_t	 n, cap;
};

static void
sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

/* Where the element that starts at s (after "<") ends: past its closing
 * tag for script and style, past "-->" for a comment, past ">" (quotes
 * respected) for any other tag. */
static const char *
tag_end(const char *s)
{
	const char	*e;
	char		 q = 0;

	if (strncmp(s, "!--", 3) == 0)
		return (e = strstr(s, "-->")) ? e + 3 : s + strlen(s);
	if (strncasecmp(s, "script", 6) == 0 &&
	    (e = strcasestr(s, "</script>")) != NULL)
		return e + 9;
	if (strncasecmp(s, "style", 5) == 0 &&
	    (e = strcasestr(s, "</style>")) != NULL)
		return e + 8;
	for (; *s != '\0'; s++) {
		if (q != 0) {
			if (*s == q)
				q = 0;
		} else if (*s == '"' || *s == '\'')
			q = *s;
		else if (*s == '>')
			return s + 1;
	}
	return s;
}

/* 1 if the tag at s (after "<", maybe "/") is one of text's own
 * (a link, emphasis, a span): it adds no space where a browser shows
 * it. */
static int
inline_tag(const char *s)
{
	static const char *const tags[] = { "a", "span", "strong", "em", "b",
	    "i", "small", "abbr", "code", "time", "mark", "bdi", NULL };
	size_t	 i, n;

	if (*s == '/')
		s++;
	for (i = 0; tags[i] != NULL; i++) {
		n = strlen(tags[i]);
		if (strncasecmp(s, tags[i], n) == 0 &&
		    (s[n] == '>' || isspace((unsigned char)s[n])))
			return 1;
	}
	return 0;
}

static char	*visible_as(const char *, int);

/* The text a person reads in html: tags, comments, scripts and styles
 * out (each a space), entities decoded (other than ASCII: a space). */
static char *
visible(const char *html)
{
	return visible_as(html, 0);
}

/* As visible(), but as a browser lays it out: a tag inside text (a
 * link, a span) adds no space. */
static char *
visible_as(const char *html, int inl)
{
	struct sbuf	 b = { NULL, 0, 0 };
	const char	*s = html, *e;
	char		 ch;
	long		 cp;

	sb_add(&b, "", 0);
	while (*s != '\0') {
		if (*s == '<' && (isalpha((unsigned char)s[1]) ||
		    s[1] == '/' || s[1] == '!' || s[1] == '?')) {
			if (!inl || !inline_tag(s + 1))
				sb_add(&b, " ", 1);
			s = tag_end(s + 1);
		} else if (*s == '&' && (e = strchr(s, ';')) != NULL &&
		    e - s < 10) {
			ch = ' ';
			if (s[1] == '#') {
				cp = s[2] == 'x' || s[2] == 'X' ?
				    strtol(s + 3, NULL, 16) :
				    strtol(s + 2, NULL, 10);
				if (cp > 32 && cp < 127)
					ch = (char)cp;
			} else if (strncmp(s, "&amp;", 5) == 0)
				ch = '&';
			else if (strncmp(s, "&lt;", 4) == 0)
				ch = '<';
			else if (strncmp(s, "&gt;", 4) == 0)
				ch = '>';
			else if (strncmp(s, "&quot;", 6) == 0)
				ch = '"';
			sb_add(&b, &ch, 1);
			s = e + 1;
		} else
			sb_add(&b, s++, 1);
	}
	return b.s;
}

static int
is_word(int c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int
word_allowed(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; allowed[i] != NULL; i++)
		if (strlen(allowed[i]) == n && strncmp(allowed[i], s, n) == 0)
			return 1;
	return 0;
}

/* A SQLSTATE-like word: five of [0-9A-Z] with a digit, the first two a
 * class of errors (as "23505", "P0001", "40P01", "XX000"). */
static int
sqlstate_like(const char *s, size_t n)
{
	static const char *const cls[] = { "08", "0A", "22", "23", "25",
	    "28", "40", "42", "53", "54", "55", "57", "58", "P0", "XX",
	    "PA", NULL };	/* PA: the project's own (PA403, PAB03) */
	size_t	 i, digits = 0;

	if (n != 5)
		return 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]) &&
		    !isupper((unsigned char)s[i]))
			return 0;
		digits += isdigit((unsigned char)s[i]) != 0;
	}
	if (digits == 0)
		return 0;
	for (i = 0; cls[i] != NULL; i++)
		if (strncmp(s, cls[i], 2) == 0)
			return 1;
	return 0;
}

/*
 * Whether digits s..n are the number of an account the school's year
 * made (a profile's number, on its export and the members' CSV, shown on
 * purpose): one of "22050" and an account 22050 look alike once a
 * database has made that many.  Never for the checker's own test, run
 * before the year.
 */
static int
made_here(const char *s, size_t n)
{
	char		 num[8];
	long long	 id;

	if (w.acc_lo == 0 || n >= sizeof(num) || strspn(s, "0123456789") < n)
		return 0;
	memcpy(num, s, n);
	num[n] = '\0';
	id = atoll(num);
	return id > w.acc_lo && t_ll(t_sql("SELECT count(*) FROM"
	    " parta.account WHERE id = %lld", id)) == 1;
}

struct finds {
	int	 n;
	const char *who;
};

static void
finding(struct finds *f, const char *page, const char *text,
    const char *at, size_t len, const char *what)
{
	const char	*a = at, *z = at + len;
	char		 ctx[256];
	int		 k;

	/* Some context either side, whole UTF-8 characters. */
	for (k = 0; k < 40 && a > text; k++)
		a--;
	while (a > text && ((unsigned char)*a & 0xC0) == 0x80)
		a--;
	for (k = 0; k < 40 && *z != '\0'; k++)
		z++;
	while (((unsigned char)*z & 0xC0) == 0x80)
		z++;
	/* The checker's own test passes "-" for the page: quiet. */
	if (f->n++ >= MAXFIND || strcmp(page, "-") == 0)
		return;
	/* The context on one line, runs of spaces as one. */
	for (k = 0; a < z && k < (int)sizeof(ctx) - 1; a++)
		if (!isspace((unsigned char)*a))
			ctx[k++] = *a;
		else if (k > 0 && ctx[k - 1] != ' ')
			ctx[k++] = ' ';
	ctx[k] = '\0';
	t_fail(__FILE__, __LINE__, "%s: %s: %s \"%.*s\" in «%s»", f->who,
	    page, what, (int)len, at, ctx);
}

/* A file name a person uploaded ("prikaz.pdf"), shown as they named it
 * (in quotes, or before a colon, too). */
static int
file_name(const char *s, size_t n)
{
	static const char *const ext[] = { ".pdf", ".jpg", ".jpeg", ".png",
	    ".csv", ".webp", ".txt", ".doc", ".docx", ".xls", ".xlsx", ".ppt",
	    ".pptx", ".odt", ".ods", ".odp", ".zip", NULL };
	size_t	 i, k;

	/* Quoted in a sentence: «список-5а.csv»: */
	for (;;) {
		if (n > 0 && strchr("\":,;.)", s[n - 1]) != NULL)
			n--;
		else if (n > 2 && memcmp(s + n - 2, "»", 2) == 0)
			n -= 2;
		else
			break;
	}
	for (i = 0; ext[i] != NULL; i++) {
		k = strlen(ext[i]);
		if (n > k && strncasecmp(s + n - k, ext[i], k) == 0)
			return 1;
	}
	return 0;
}

/*
 * "создал(а)", "он(а)", "исключён(а)": an ending in brackets right after
 * a Russian word, where the word should agree with the person or the
 * number the page knows.  Its length from the "(", or 0.
 */
static size_t
hedge(const char *chunk, const char *e, const char *end)
{
	const unsigned char	*p = (const unsigned char *)e + 1;
	int			 letters = 0;

	if (e - chunk < 2 || ((unsigned char)e[-2] != 0xD0 &&
	    (unsigned char)e[-2] != 0xD1))
		return 0;
	while ((const char *)p + 1 < end && (*p == 0xD0 || *p == 0xD1) &&
	    letters < 4) {
		p += 2;
		letters++;
	}
	if (letters == 0 || letters > 3 || (const char *)p >= end ||
	    *p != ')')
		return 0;
	return (size_t)((const char *)p + 1 - e);
}

/* Check one page's visible text. */
static void
check_text(struct finds *f, const char *page, const char *text)
{
	const char	*s = text, *chunk, *e;
	size_t		 n, cn;

	while (*s != '\0') {
		/* Chunks between spaces: an e-mail address or a URL is
		 * skipped whole. */
		while (*s != '\0' && isspace((unsigned char)*s))
			s++;
		chunk = s;
		while (*s != '\0' && !isspace((unsigned char)*s))
			s++;
		cn = (size_t)(s - chunk);
		if (cn == 0 || memchr(chunk, '@', cn) != NULL ||
		    (cn > 3 && strstr(chunk, "://") != NULL &&
		    strstr(chunk, "://") < s) || file_name(chunk, cn))
			continue;
		for (e = chunk; e < s; ) {
			if (*e == '(' && (n = hedge(chunk, e, s)) > 0) {
				finding(f, page, text, e, n,
				    "an ending left to guess");
				e += n;
				continue;
			}
			if (*e == '#' && e + 1 < s &&
			    isdigit((unsigned char)e[1])) {
				finding(f, page, text, e, strspn(e + 1,
				    "0123456789") + 1, "an id");
				e++;
				continue;
			}
			if (!is_word(*e)) {
				e++;
				continue;
			}
			n = 0;
			while (e + n < s && is_word(e[n]))
				n++;
			if (memchr(e, '_', n) != NULL)
				finding(f, page, text, e, n,
				    "an internal code");
			else if (sqlstate_like(e, n) && !made_here(e, n))
				finding(f, page, text, e, n,
				    "an error code");
			else if (isalpha((unsigned char)*e) &&
			    !word_allowed(e, n))
				finding(f, page, text, e, n,
				    "a Latin word");
			e += n;
		}
	}
}

/*
 * Spaces where none belongs, in html as a browser shows it: before a
 * comma, a full stop, a semicolon, a colon or a closing bracket («Маша
 * , 7Б», «код , —»): a template's space before a section that was
 * empty, or a value left out.
 */
static void
check_spacing(struct finds *f, const char *page, const char *html)
{
	char		*text = visible_as(html, 1);
	const char	*s;

	for (s = text; *s != '\0'; s++) {
		if (!isspace((unsigned char)*s) || s[1] == '\0' ||
		    strchr(",.;:)", s[1]) == NULL)
			continue;
		/* An ellipsis (" ...") is not a stray space. */
		if (s[1] == '.' && s[2] == '.')
			continue;
		finding(f, page, text, s, 2, "a space before punctuation");
	}
	free(text);
}

/* --- The walk ----------------------------------------------------- */

struct walk {
	char		*seen[MAXPAGES * 4];
	const char	*from[MAXPAGES * 4];	/* the page that linked it */
	size_t		 nseen;
	char		*queue[MAXPAGES * 4];
	size_t		 head, tail;
	const char	*here;			/* the page being read */
};

/*
 * 1 if path is about an organization or a request of another test (the
 * operator and the search see them all): their people's names are
 * theirs to choose, and the pages are the same as this world's.
 */
static int
elsewhere(const char *path)
{
	static const char *const pre[] = { "/org/", "/operator/orgs/",
	    "/operator/requests/", "/register/org/", NULL };
	long long	 id;
	size_t		 i;

	for (i = 0; pre[i] != NULL; i++) {
		if (strncmp(path, pre[i], strlen(pre[i])) != 0 ||
		    !isdigit((unsigned char)path[strlen(pre[i])]))
			continue;
		id = atoll(path + strlen(pre[i]));
		if (i == 0 || i == 1)
			return id != w.org;
		return id != w.req && id != w.req2 && id != w.req3;
	}
	return 0;
}

static void
walk_add(struct walk *k, const char *path, size_t n)
{
	char	 p[1024];
	size_t	 i, o;

	/* Decode &amp; and drop a fragment. */
	for (i = o = 0; i < n && o + 1 < sizeof(p); i++) {
		if (path[i] == '#')
			break;
		if (strncmp(path + i, "&amp;", 5) == 0 && i + 5 <= n) {
			p[o++] = '&';
			i += 4;
		} else
			p[o++] = path[i];
	}
	p[o] = '\0';
	if (p[0] != '/' || p[1] == '/' || strncmp(p, "/static/", 8) == 0 ||
	    strcmp(p, "/logout") == 0 || strcmp(p, "/favicon.ico") == 0 ||
	    elsewhere(p))
		return;
	for (i = 0; i < k->nseen; i++)
		if (strcmp(k->seen[i], p) == 0)
			return;
	if (k->nseen == sizeof(k->seen) / sizeof(k->seen[0]))
		return;
	k->from[k->nseen] = k->here;
	k->seen[k->nseen++] = strdup(p);
	k->queue[k->tail++] = k->seen[k->nseen - 1];
}

/* Every href="..." and every GET form's action in html. */
static void
walk_links(struct walk *k, const char *html)
{
	const char	*s, *e, *f;

	for (s = html; (s = strstr(s, "href=\"")) != NULL; s = e) {
		s += 6;
		e = s + strcspn(s, "\"");
		walk_add(k, s, (size_t)(e - s));
	}
	for (s = html; (s = strstr(s, "<form")) != NULL; s = e) {
		e = s + strcspn(s, ">");
		/* A form without a method is a GET form too. */
		if (((f = strcasestr(s, "method=\"")) != NULL && f < e &&
		    strncasecmp(f + 8, "get\"", 4) != 0) ||
		    (f = strstr(s, "action=\"")) == NULL || f > e)
			continue;
		f += 8;
		walk_add(k, f, strcspn(f, "\""));
	}
}

/* Walk the site as person who from the seeds (NULL-terminated), check
 * every page; fail at the end if anything was found. */
static void
walk(enum who who, const char *const *seeds)
{
	struct walk	*k;
	struct finds	 f = { 0, who_name[who] };
	struct t_client	*c = &w.p[who].c;
	const char	*type, *loc, *path, *from;
	char		*text;
	size_t		 i, pages = 0;
	long		 st;

	if (!w.ok)
		T_FAIL("no world");
	k = calloc(1, sizeof(*k));
	for (i = 0; seeds[i] != NULL; i++)
		walk_add(k, seeds[i], strlen(seeds[i]));
	while (k->head < k->tail && pages < MAXPAGES) {
		from = k->from[k->head];
		path = k->here = k->queue[k->head++];
		st = t_get(c, path);
		pages++;
		if (getenv("WORDS_VERBOSE") != NULL)
			printf("# %s: GET %s: %ld\n", f.who, path, st);
		if (st >= 500)
			t_fail(__FILE__, __LINE__, "%s: %s answers %ld",
			    f.who, path, st);
		/* A link shown to a person that refuses them is worth
		 * knowing, though not a matter of words. */
		if (st >= 400 && from != NULL)
			printf("# note: %s: %s links to %s, which answers "
			    "%ld\n", f.who, from, path, st);
		if (st >= 300 && st < 400) {
			if ((loc = t_header(c, "Location")) != NULL)
				walk_add(k, loc, strlen(loc));
			continue;
		}
		if ((type = t_header(c, "Content-Type")) == NULL)
			continue;
		if (strncmp(type, "text/html", 9) == 0) {
			walk_links(k, c->r.body);
			text = visible(c->r.body);
			check_text(&f, path, text);
			free(text);
			check_spacing(&f, path, c->r.body);
		} else if (strncmp(type, "text/csv", 8) == 0 ||
		    strncmp(type, "text/plain", 10) == 0)
			check_text(&f, path, c->r.body);
	}
	printf("# %s: %zu pages, %d findings\n", f.who, pages, f.n);
	if (f.n > MAXFIND)
		printf("# %s: %d more findings not shown\n", f.who,
		    f.n - MAXFIND);
	for (i = 0; i < k->nseen; i++)
		free(k->seen[i]);
	free(k);
	T_TRUE(pages > 3);
	T_EQ(f.n, 0);
}

static void
walk_operator(void)
{
	const char *const seeds[] = { "/", "/me", "/operator",
	    "/operator/requests", "/operator/orgs", "/operator/stats",
	    t_fmt("/operator/requests/%lld", w.req),
	    t_fmt("/operator/requests/%lld", w.req2),
	    t_fmt("/operator/orgs/%lld", w.org), NULL };

	walk(W_OPERATOR, seeds);
}

static void
walk_admin(void)
{
	const char *const seeds[] = { "/", "/me", t_fmt("/org/%lld", w.org),
	    t_fmt("/org/%lld/audit", w.org),
	    t_fmt("/org/%lld/audit.csv", w.org),
	    t_fmt("/org/%lld/members", w.org),
	    t_fmt("/org/%lld/classes/rollover", w.org), "/chats", "/orgs",
	    t_fmt("/join/%s", w.invite_token), NULL };

	walk(W_ADMIN, seeds);
}

static void
walk_homeroom(void)
{
	const char *const seeds[] = { "/", "/me", t_fmt("/org/%lld", w.org),
	    t_fmt("/org/%lld/applications", w.org), "/chats", "/chats/family",
	    NULL };

	walk(W_HOMEROOM, seeds);
}

static void
walk_teacher(void)
{
	const char *const seeds[] = { "/", "/me", t_fmt("/org/%lld", w.org),
	    "/chats", t_fmt("/chats/%lld/members", w.chat),
	    t_fmt("/chats/%lld/link", w.chat), NULL };

	walk(W_TEACHER, seeds);
}

static void
walk_girl(void)
{
	const char *const seeds[] = { "/", "/me", "/chats",
	    "/chats/parent-link", t_fmt("/chats/parent-link/%lld", w.plink),
	    t_fmt("/join/%s", w.invite_token), NULL };

	walk(W_GIRL, seeds);
}

static void
walk_boy(void)
{
	const char *const seeds[] = { "/", "/me", "/chats",
	    t_fmt("/c/%s", w.chat_token), NULL };

	walk(W_BOY, seeds);
}

static void
walk_parent(void)
{
	const char *const seeds[] = { "/", "/me", "/chats", "/chats/family",
	    "/me/export", "/me/sessions", NULL };

	walk(W_PARENT, seeds);
}

static void
walk_applicant(void)
{
	const char *const seeds[] = { "/", "/me", "/orgs",
	    t_fmt("/register/org/%lld", w.req), t_fmt("/register/org/%lld",
	    w.req2), "/register/org", t_fmt("/org/%lld/apply", w.org),
	    NULL };

	walk(W_APPLICANT, seeds);
}

static void
walk_anon(void)
{
	const char *const seeds[] = { "/", "/login", "/register",
	    "/login/code", "/privacy", t_fmt("/join/%s", w.invite_token),
	    t_fmt("/c/%s", w.chat_token), "/no/such/page", NULL };

	walk(W_ANON, seeds);
}

/* Pages that answer a mistake: a form sent wrong (422), a page one may
 * not see (403), one that is not there (404), a used link (410). */
static void
error_pages(void)
{
	static const struct {
		enum who	 who;
		const char	*method;
		const char	*path;	/* %lld: the organization */
		const char	*body;
		long		 status;
	} cases[] = {
		{ W_ANON, "POST", "/register", "last_name=&first_name=x"
		    "&gender=&birth_date=3000-01-01&phone=12&email=a@"
		    "&password=1", 422 },
		{ W_ANON, "POST", "/login", "login=nobody&password=x", 422 },
		{ W_ANON, "POST", "/login/code", "login=12", 422 },
		{ W_ANON, "GET", "/c/nosuchlinknosuchlinknosuchlink", NULL,
		    404 },
		{ W_ADMIN, "POST", "/org/%lld/invites", "role=x&class_id=y"
		    "&ttl_hours=0&max_uses=100000", 422 },
		{ W_ADMIN, "POST", "/org/%lld/invites/bulk", "role=student"
		    "&class_id=&ttl_hours=5000&names=", 422 },
		{ W_ADMIN, "POST", "/org/%lld/classes", "kind=class"
		    "&grade=13&letter=Q&title=&year=2025&color=x", 422 },
		{ W_ADMIN, "POST", "/org/%lld/edit", "short_name=&email=x"
		    "&website=x&phone=x", 422 },
		{ W_ADMIN, "GET", "/org/999999999", NULL, 404 },
		{ W_ADMIN, "GET", "/operator", NULL, 404 },
		{ W_GIRL, "GET", "/org/%lld/edit", NULL, 403 },
		{ W_GIRL, "GET", "/org/%lld/audit", NULL, 403 },
		{ W_PARENT, "GET", "/org/%lld", NULL, 404 },
		{ W_HOMEROOM, "POST", "/me/password", "password=x"
		    "&new_password=1", 422 },
		{ W_TEACHER, "POST", "/me/profile", "last_name=&first_name="
		    "&gender=x&birth_date=x", 422 },
		{ W_APPLICANT, "POST", "/org/%lld/apply", "role=x", 409 },
		{ W_OPERATOR, "POST", "/operator/orgs/%lld/admin", "phone=1",
		    422 },
	};
	struct finds	 f = { 0, "mistakes" };
	struct t_client	*c;
	char		 path[256], body[512], *text;
	size_t		 i;

	if (!w.ok)
		T_FAIL("no world");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = &w.p[cases[i].who].c;
		snprintf(path, sizeof(path), cases[i].path, w.org);
		if (cases[i].body == NULL)
			t_get(c, path);
		else {
			/* A fresh token from a page this person may see. */
			t_form(c, cases[i].who == W_ANON ? "/login" : "/me");
			snprintf(body, sizeof(body), cases[i].body, w.org);
			t_postf(c, path, "%s", body);
		}
		if (c->r.status != cases[i].status)
			t_fail(__FILE__, __LINE__, "%s %s: %ld, want %ld",
			    cases[i].method, path, c->r.status,
			    cases[i].status);
		text = visible(c->r.body);
		check_text(&f, path, text);
		free(text);
	}
	T_EQ(f.n, 0);
}

/* --- Agreement ---------------------------------------------------- */

/* An account that applied to org for class cls (by SQL: only the count
 * matters here). */
static void
pending_add(long long org, long long cls, int i)
{
	char	 phone[16];

	t_unique_phone(phone);
	T_TRUE(t_sql("WITH a AS (INSERT INTO parta.account (last_name,"
	    " first_name, gender, birth_date, phone, phone_verified,"
	    " password_hash) VALUES ('Очередной', 'Номер%d', 'm',"
	    " '2013-01-01', '%s', true, 'x') RETURNING id)"
	    " INSERT INTO parta.application (org_id, account_id, role,"
	    " class_id) SELECT %lld, id, 'student', %lld FROM a", i, phone,
	    org, cls) != NULL);
}

/* The banner of a school's page counts new applications in words that
 * agree: 1 новая заявка — рассмотрите её; 2 новые заявки, 5 новых
 * заявок, 21 новая заявка — рассмотрите их. */
static void
agree_counts(void)
{
	static const struct {
		int		 total;
		const char	*want;
		const char	*badge;		/* the menu's, read aloud */
	} cases[] = {
		{ 1, ">1 новая заявка</a> — рассмотрите её.",
		    "aria-label=\"1 новая заявка\"" },
		{ 2, ">2 новые заявки</a> — рассмотрите их.",
		    "aria-label=\"2 новые заявки\"" },
		{ 5, ">5 новых заявок</a> — рассмотрите их.",
		    "aria-label=\"5 новых заявок\"" },
		{ 11, ">11 новых заявок</a> — рассмотрите их.",
		    "aria-label=\"11 новых заявок\"" },
		{ 21, ">21 новая заявка</a> — рассмотрите их.",
		    "aria-label=\"21 новая заявка\"" },
		{ 22, ">22 новые заявки</a> — рассмотрите их.",
		    "aria-label=\"22 новые заявки\"" },
	};
	struct t_person	 admin;
	long long	 org, cls;
	int		 n = 0;
	size_t		 i;

	memset(&admin, 0, sizeof(admin));
	signup(&admin, "Счётова", "Нина", 'f', "1980-01-01");
	T_TRUE((org = t_org_create(&admin, "Школа счёта")) > 0);
	T_TRUE((cls = t_ll(t_sql("INSERT INTO parta.class (org_id, kind,"
	    " grade, letter, year, color) VALUES (%lld, 'class', 3, 'А',"
	    " parta.org_year(%lld), '#2453d6') RETURNING id", org, org))) >
	    0);
	T_EQ(t_get(&admin.c, t_fmt("/org/%lld", org)), 200);
	T_LACKS(&admin.c, "рассмотрите");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		while (n < cases[i].total)
			pending_add(org, cls, n++);
		T_EQ(t_get(&admin.c, t_fmt("/org/%lld", org)), 200);
		T_HAS(&admin.c, cases[i].want);
		T_HAS(&admin.c, cases[i].badge);
	}
	t_client_free(&admin.c);
}

/* The people of the world are a girl and a boy, their mother and father,
 * women and men on the staff: every word about a person agrees with
 * their gender, none is left to guess. */
static void
agree_gender(void)
{
	struct t_person	*p = w.p, dad, pupil;
	struct t_client	*ad = &p[W_ADMIN].c;
	char		 tok[128], tok2[128];
	long long	 plink, boy_plink, app;

	memset(&dad, 0, sizeof(dad));
	memset(&pupil, 0, sizeof(pupil));
	if (!w.ok)
		T_FAIL("no world");
	/* The girl's link, used by her mother. */
	T_EQ(t_get(&p[W_GIRL].c, t_fmt("/chats/parent-link/%lld", w.plink)),
	    200);
	T_HAS(&p[W_GIRL].c, "Иванова Ольга подтвердила, что она ваш "
	    "родитель.");
	/* Her unused link, opened by someone not logged in. */
	T_EQ(t_postf(&p[W_GIRL].c, "/chats/parent-link", "x=1"), 303);
	T_TRUE((plink = t_id_after(t_header(&p[W_GIRL].c, "Location"),
	    "/chats/parent-link/")) > 0);
	T_EQ(t_get(&p[W_GIRL].c, t_fmt("/chats/parent-link/%lld", plink)), 200);
	T_TRUE(t_token(&p[W_GIRL].c, "/c/", tok, sizeof(tok)) == 0);
	T_EQ(t_get(&p[W_ANON].c, t_fmt("/c/%s", tok)), 200);
	T_HAS(&p[W_ANON].c, "Маша И. просит подтвердить, что вы её родитель");
	/* The boy's, by his father. */
	signup(&dad, "Кузнецов", "Игорь", 'm', "1982-06-06");
	t_form(&p[W_BOY].c, "/chats/parent-link");
	T_EQ(t_postf(&p[W_BOY].c, "/chats/parent-link", "x=1"), 303);
	T_TRUE((boy_plink = t_id_after(t_header(&p[W_BOY].c, "Location"),
	    "/chats/parent-link/")) > 0);
	T_EQ(t_get(&p[W_BOY].c, t_fmt("/chats/parent-link/%lld", boy_plink)),
	    200);
	T_TRUE(t_token(&p[W_BOY].c, "/c/", tok2, sizeof(tok2)) == 0);
	T_EQ(t_get(&dad.c, t_fmt("/c/%s", tok2)), 200);
	T_HAS(&dad.c, "Кузнецов Петя просит подтвердить, что вы его "
	    "родитель");
	T_EQ(t_postf(&dad.c, t_fmt("/c/%s", tok2), "x=1"), 303);
	T_EQ(t_get(&p[W_BOY].c, t_fmt("/chats/parent-link/%lld", boy_plink)),
	    200);
	T_HAS(&p[W_BOY].c, "Кузнецов Игорь подтвердил, что он ваш "
	    "родитель.");

	/* Staff badges: hers and his, on their own pages and on the
	 * class's and the member's. */
	T_EQ(t_get(&p[W_HOMEROOM].c, t_fmt("/org/%lld", w.org)), 200);
	T_HAS(&p[W_HOMEROOM].c, "✓ подтверждена");
	T_EQ(t_get(&p[W_TEACHER].c, t_fmt("/org/%lld", w.org)), 200);
	T_HAS(&p[W_TEACHER].c, "✓ подтверждён<");
	T_EQ(t_get(&p[W_HOMEROOM].c, "/me"), 200);
	T_HAS(&p[W_HOMEROOM].c, "✓ подтверждена");
	T_EQ(t_get(ad, t_fmt("/org/%lld/classes/%lld", w.org, w.cls)), 200);
	T_HAS(ad, "✓ подтверждён<");
	T_EQ(t_get(ad, t_fmt("/org/%lld/members/%lld", w.org,
	    p[W_HOMEROOM].id)), 200);
	T_HAS(ad, "(подтверждена)");
	T_EQ(t_get(ad, t_fmt("/org/%lld/members/%lld", w.org,
	    p[W_TEACHER].id)), 200);
	T_HAS(ad, "(подтверждён)");

	/* Who made the link an application came by: a woman's and a
	 * man's. */
	T_EQ(t_postf(ad, t_fmt("/org/%lld/classes/%lld/homeroom", w.org,
	    w.cls2), "account_id=%lld", p[W_TEACHER].id), 303);
	T_TRUE(invite(&p[W_TEACHER].c, "student", w.cls2, tok, sizeof(tok)) >
	    0);
	signup(&pupil, "Новиков", "Лёва", 'm', "2011-12-12");
	T_TRUE((app = t_join(&pupil, tok)) > 0);
	T_EQ(t_get(ad, t_fmt("/org/%lld/applications", w.org)), 200);
	T_HAS(ad, "её создала Соколова Анна");
	T_HAS(ad, "её создал Сидоров Олег");
	T_EQ(t_get(ad, t_fmt("/org/%lld/applications/%lld", w.org, app)), 200);
	T_HAS(ad, "её создал Сидоров Олег");

	/* The girl moves too; both leave the school; the journal and the
	 * list of the removed say it of each as they are. */
	t_form(ad, t_fmt("/org/%lld/members/%lld", w.org, p[W_GIRL].id));
	T_EQ(t_postf(ad, t_fmt("/org/%lld/members/%lld/class", w.org,
	    p[W_GIRL].id), "class_id=%lld", w.cls2), 303);
	T_EQ(t_postf(ad, t_fmt("/org/%lld/members/%lld/remove", w.org,
	    p[W_GIRL].id), "x=1"), 303);
	T_EQ(t_postf(ad, t_fmt("/org/%lld/members/%lld/remove", w.org,
	    p[W_BOY].id), "x=1"), 303);
	T_EQ(t_get(ad, t_fmt("/org/%lld/members", w.org)), 200);
	T_HAS(ad, "Иванова Маша <span class=\"muted\">· исключена ");
	T_HAS(ad, "Кузнецов Петя <span class=\"muted\">· исключён ");
	T_EQ(t_get(ad, t_fmt("/org/%lld/audit", w.org)), 200);
	T_HAS(ad, "Перевод в другой класс");
	T_HAS(ad, "Исключение из организации");
	T_HAS(ad, "переведена из 5А в 6Б");
	T_HAS(ad, "переведён из 5А в 6Б");
	T_HAS(ad, "исключена из организации");
	T_HAS(ad, "исключён из организации");
	T_HAS(ad, "удалён из чата «Олимпиада по математике»");
	T_HAS(ad, "назначена классным руководителем 5А");
	T_HAS(ad, "назначен учителем 5А");
	T_HAS(ad, "снят с преподавания в 7В");

	/* One's own data, in words. */
	T_EQ(t_get(&p[W_GIRL].c, "/me/export"), 200);
	T_HAS(&p[W_GIRL].c, "<dt>Пол</dt><dd>женский</dd>");
	T_EQ(t_get(&p[W_BOY].c, "/me/export"), 200);
	T_HAS(&p[W_BOY].c, "<dt>Пол</dt><dd>мужской</dd>");
	/* The file keeps the codes, for machines. */
	T_EQ(t_get(&p[W_BOY].c, "/me/export?format=json"), 200);
	T_HAS(&p[W_BOY].c, "\"gender\": \"m\"");
	t_client_free(&dad.c);
	t_client_free(&pupil.c);
}

/* The first line of the last response is want (after the BOM). */
static int
csv_head(const struct t_client *c, const char *want)
{
	return c->r.body != NULL &&
	    strncmp(c->r.body, "\xEF\xBB\xBF", 3) == 0 &&
	    strncmp(c->r.body + 3, want, strlen(want)) == 0;
}

/* Exports open in Russian Excel with Russian headers and words. */
static void
csv_russian(void)
{
	struct t_client	*ad = &w.p[W_ADMIN].c, *op = &w.p[W_OPERATOR].c;
	long long	 batch;

	if (!w.ok)
		T_FAIL("no world");
	T_EQ(t_get(ad, t_fmt("/org/%lld/members?format=csv", w.org)), 200);
	T_TRUE(csv_head(ad, "\"Номер профиля\";\"Фамилия\";\"Имя\";"
	    "\"Отчество\";\"Роль\";\"Подтверждение\";\"Классы\";"
	    "\"Телефон\";\"Почта\"\r\n"));
	T_HAS(ad, t_fmt("\"%lld\";\"Соколова\";\"Анна\";\"\";"
	    "\"Администратор\";\"да\";", w.p[W_ADMIN].id));
	T_HAS(ad, "\"Петрова\";\"Мария\";\"\";\"Учитель\";\"да\";"
	    "\"5А\";");
	T_LACKS(ad, "\"student\"");
	T_LACKS(ad, "\"yes\"");

	T_EQ(t_get(ad, t_fmt("/org/%lld/audit.csv", w.org)), 200);
	T_TRUE(csv_head(ad, "\"Когда\";\"Кто\";\"Что\";\"С кем\";"
	    "\"Подробности\"\r\n"));
	T_HAS(ad, "\"Соколова Анна\";\"Назначение учителем класса\";"
	    "\"Сидоров Олег\";\"назначен учителем 5А\"");
	T_HAS(ad, "\"Ссылка-приглашение отозвана\"");
	T_LACKS(ad, "invite_revoked");
	T_LACKS(ad, "homeroom_assign");

	T_EQ(t_get(op, "/operator/stats?format=csv"), 200);
	T_TRUE(csv_head(op, "\"Раздел\";\"Код региона\";\"Название\";"
	    "\"Количество\"\r\n"));
	T_HAS(op, "\"Организации по регионам\";\"70\";"
	    "\"Томская область\";");
	T_HAS(op, "\"Организации по типам\";\"\";\"Школы\";");
	T_HAS(op, "\"Участники по ролям\";\"\";\"Ученики\";");
	T_HAS(op, "\"Заявки на регистрацию\";\"\";"
	    "\"На рассмотрении\";");

	/* The personal links' list was Russian already: it stays so. */
	T_TRUE((batch = t_ll(t_sql("SELECT max(id) FROM parta.invite_batch"
	    " WHERE org_id = %lld", w.org))) > 0);
	T_EQ(t_get(ad, t_fmt("/org/%lld/invites/batches/%lld/csv", w.org,
	    batch)), 200);
	T_TRUE(csv_head(ad, "\"ФИО\";\"Класс\";\"Ссылка\";"
	    "\"Действует до\";\"Статус\"\r\n"));
	T_HAS(ad, "\"Петров Пётр\";\"5А\";");
}

/* The words of issue 17's second look, each kind at its example. */
static void
words_second(void)
{
	struct t_person	*p = w.p;
	struct t_client	*ad = &p[W_ADMIN].c, *op = &p[W_OPERATOR].c;
	struct t_client	*girl = &p[W_GIRL].c, *anon = &p[W_ANON].c;
	char		 long_name[700];
	const char	*v;
	long long	 inv, batch;
	int		 i;

	if (!w.ok)
		T_FAIL("no world");
	/* 1. A specific person's role agrees with them; a count of people
	 * is a plural. */
	T_EQ(t_get(ad, t_fmt("/org/%lld/members/%lld", w.org, p[W_GIRL].id)),
	    200);
	T_HAS(ad, "<dt>Роль</dt><dd>Ученица</dd>");
	T_HAS(ad, "Ученица перейдёт в чаты нового класса");
	T_EQ(t_get(ad, t_fmt("/org/%lld/applications", w.org)), 200);
	T_HAS(ad, "<td data-label=\"Роль\">Ученица</td>");
	T_EQ(t_get(girl, "/me"), 200);
	T_HAS(girl, "Ученица, 5А");
	T_LACKS(girl, "Ученик, 5А");
	T_EQ(t_get(girl, t_fmt("/chats/%lld/members", w.chat)), 200);
	T_HAS(girl, "<span class=\"muted\">Ученица</span>");
	T_EQ(t_get(op, "/operator/stats"), 200);
	T_HAS(op, "<li>Ученики: ");
	T_LACKS(op, "<li>Ученик: ");

	/* 2. The audit says it of a girl as of a girl; who made a link. */
	T_EQ(t_get(ad, t_fmt("/org/%lld/audit", w.org)), 200);
	T_HAS(ad, "по ссылке от ученицы");
	T_LACKS(ad, "по ссылке от ученика");
	T_HAS(ad, "заявка: ученица, 5А");
	T_TRUE((inv = t_ll(t_sql("SELECT min(id) FROM parta.invite WHERE"
	    " org_id = %lld", w.org))) > 0);
	T_EQ(t_get(ad, t_fmt("/org/%lld/invites/%lld", w.org, inv)), 200);
	T_HAS(ad, "<dt>Создала</dt><dd>Соколова Анна, ");
	T_TRUE((batch = t_ll(t_sql("SELECT max(id) FROM parta.invite_batch"
	    " WHERE org_id = %lld", w.org))) > 0);
	T_EQ(t_get(ad, t_fmt("/org/%lld/invites/batches/%lld", w.org, batch)),
	    200);
	T_HAS(ad, "<dt>Создала</dt><dd>Соколова Анна, ");

	/* 3. A name's message names the field it stands next to. */
	for (i = 0; i < 300; i++) {
		long_name[2 * i] = "\xd0"[0];
		long_name[2 * i + 1] = "\xaf"[0];
	}
	long_name[600] = '\0';
	t_form(anon, "/register");
	T_EQ(t_postf(anon, "/register", "last_name=%s&first_name=%s"
	    "&patronymic=%s&gender=f&birth_date=1990-01-01&phone=&email="
	    "&consent=1&password=secret-pass", t_enc(long_name),
	    t_enc(long_name), t_enc(long_name)), 422);
	T_HAS(anon, "Фамилия должна быть не длиннее 60 символов");
	T_HAS(anon, "Имя должно быть не длиннее 60 символов");
	T_HAS(anon, "Отчество должно быть не длиннее 60 символов");
	t_form(girl, "/me/profile");
	T_EQ(t_postf(girl, "/me/profile", "last_name=%s&first_name=%s"
	    "&patronymic=%s&gender=f&birth_date=2011-05-20",
	    t_enc(long_name), t_enc("Маша"), t_enc("-Петровна")), 422);
	T_HAS(girl, "Фамилия должна быть не длиннее 60 символов");
	T_HAS(girl, "Отчество должно начинаться с буквы");
	T_LACKS(girl, "Имя должно");

	/* 5. One order of a name: the menu as the pages. */
	T_EQ(t_get(ad, "/me"), 200);
	T_HAS(ad, "<span class=\"user\">Соколова Анна</span>");

	/* 6. A request's time names its zone, as the operator's does: in
	 * the region's time (Tomsk, Moscow + 4). */
	T_EQ(t_get(&p[W_APPLICANT].c, t_fmt("/register/org/%lld", w.req3)),
	    200);
	T_TRUE((v = t_sql("SELECT to_char(created_at AT TIME ZONE"
	    " 'Asia/Tomsk', 'DD.MM.YYYY HH24:MI') || ' МСК+4' FROM"
	    " parta.org_request WHERE id = %lld", w.req3)) != NULL);
	T_HAS(&p[W_APPLICANT].c, t_fmt("<dd>%s</dd>", v));
	/* A guardian's date on the girl's own page, as on her card: in
	 * her school's region. */
	T_TRUE((v = t_sql("SELECT to_char(g.confirmed_at AT TIME ZONE rg.tz,"
	    " 'DD.MM.YYYY') FROM parta.guardian g, parta.org o,"
	    " parta.region rg WHERE g.child_id = %lld AND o.id = %lld"
	    " AND rg.code = o.region", p[W_GIRL].id, w.org)) != NULL);
	T_EQ(t_get(girl, "/me"), 200);
	T_HAS(girl, t_fmt("с %s, ", v));

	/* 7. What does not apply to a person is not offered them; a step
	 * true whichever way the parent came. */
	T_EQ(t_get(op, "/me"), 200);
	T_LACKS(op, "Зарегистрируйте организацию");
	T_EQ(t_get(&p[W_PARENT].c, "/me"), 200);
	T_HAS(&p[W_PARENT].c, "Подтвердить, что вы родитель");
	T_LACKS(&p[W_PARENT].c, "по ссылке от ребёнка");

	/* 8. No global number for an application, a link or a request. */
	T_EQ(t_get(ad, t_fmt("/org/%lld/applications", w.org)), 200);
	T_LACKS(ad, "по ссылке №");
	T_EQ(t_get(ad, t_fmt("/org/%lld/invites", w.org)), 200);
	T_LACKS(ad, "№");
	T_EQ(t_get(ad, t_fmt("/org/%lld/invites/%lld", w.org, inv)), 200);
	T_LACKS(ad, "№");
	T_EQ(t_get(ad, t_fmt("/org/%lld/invites/batches/%lld", w.org, batch)),
	    200);
	T_LACKS(ad, "№");
	T_EQ(t_get(ad, t_fmt("/org/%lld/audit", w.org)), 200);
	T_LACKS(ad, "заявка №");
	T_LACKS(ad, "ссылка №");
	T_EQ(t_get(&p[W_APPLICANT].c, t_fmt("/register/org/%lld", w.req3)),
	    200);
	T_LACKS(&p[W_APPLICANT].c, "Заявка №");
	T_EQ(t_get(op, t_fmt("/operator/requests/%lld", w.req3)), 200);
	T_LACKS(op, "Заявка №");
}

/* The checker itself: it finds what it must and passes Russian text. */
static void
checker(void)
{
	static const struct {
		const char	*html;
		int		 bad;
	} cases[] = {
		{ "<p>Класс 5А: 3 ученика</p>", 0 },
		{ "<td>invite_revoked</td>", 1 },
		{ "<td>Назначен: class 11</td>", 1 },
		{ "<p>Статус: pending</p>", 1 },
		{ "<p>Ошибка 23505</p>", 1 },
		{ "<p>Заявка #12</p>", 1 },
		{ "<a href=\"/org/1/x_y\" title=\"a_b\">Школа</a>", 0 },
		{ "<script>var some_code = 1;</script><style>.a_b{}</style>"
		    "<!-- x_y -->Текст", 0 },
		{ "<p>Пишите: school_40@edu.ru, сайт https://a.ru/x_y</p>", 0 },
		{ "<p>Скачать CSV или PDF &laquo;Отчёт&raquo;</p>", 0 },
		{ "<p>Документ prikaz.pdf (application/pdf)</p>", 2 },
		{ "<p>Список «список-5а.csv»: 4 строки; spisok.csv, csv»</p>", 1 },
		{ "<dd>f</dd>", 1 },
		{ "<p>её создал(а) Петрова, что он(а) родитель</p>", 2 },
		{ "<p>Ученики (5), 5А(архивный) и (а)</p>", 0 },
		{ "<p>&#105;nvite&#95;revoked</p>", 1 },
	};
	static const struct {
		const char	*html;
		int		 bad;
	} spaces[] = {
		{ "<li>Соколова Маша , 7Б</li>", 1 },
		{ "<p>код</strong> , — и</p>", 1 },
		{ "<p><a href=\"/x\">Маша</a>, <span>7Б</span>.</p>", 0 },
		{ "<li>Маша</li>\n<li>, 7Б</li>", 1 },
		{ "<p>Подождите ...</p><p>(вы)</p>", 0 },
	};
	struct finds	 f = { 0, "checker" };
	size_t		 i;
	char		*text;
	int		 before;

	for (i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++) {
		before = f.n;
		check_spacing(&f, "-", spaces[i].html);
		if (f.n - before != spaces[i].bad)
			T_FAIL("%s: %d findings, want %d", spaces[i].html,
			    f.n - before, spaces[i].bad);
	}

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		before = f.n;
		text = visible(cases[i].html);
		check_text(&f, "-", text);
		free(text);
		if (f.n - before != cases[i].bad)
			T_FAIL("%s: %d findings, want %d", cases[i].html,
			    f.n - before, cases[i].bad);
	}
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "the checker finds codes and passes Russian", checker },
		{ "a school's year, played over HTTP", world },
		{ "operator's pages: no codes, no bare ids", walk_operator },
		{ "administrator's pages", walk_admin },
		{ "homeroom teacher's pages", walk_homeroom },
		{ "subject teacher's pages", walk_teacher },
		{ "a girl student's pages", walk_girl },
		{ "a boy student's pages", walk_boy },
		{ "a parent's pages", walk_parent },
		{ "an applicant's pages", walk_applicant },
		{ "an anonymous visitor's pages", walk_anon },
		{ "pages that answer a mistake", error_pages },
		{ "CSV exports: Russian headers and words", csv_russian },
		{ "roles, audit, fields, names, zones, steps, numbers",
		    words_second },
		{ "counts agree: 1, 2, 5, 11, 21, 22 new applications",
		    agree_counts },
		{ "words agree with a girl, a boy, a woman, a man",
		    agree_gender },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
