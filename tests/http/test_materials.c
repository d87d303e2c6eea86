/*
 * Materials (cgi-bin/materials.c, sql/0042_materials.sql): who reads
 * which material (the administrator all; a class's material its
 * students, its teachers and its students' guardians; the school's
 * everyone, guardians too; the staff's the teachers; another class's
 * student, another teacher, another guardian 403 or 404; an outsider
 * and another organization 404; the operator reads), who publishes for
 * whom (a teacher for their classes, for the school only when the
 * administrator allows it; a student never), an article's <script> and
 * javascript: links rendered inert by cmark, a video as a link card,
 * a document's /files/ID readable by exactly those who read it and 404
 * once deleted, 422 next to the field with the values kept, filters
 * and search (words past the limit kept, nothing found), 50 a page
 * (lib/pager: the total, a filter kept, a bad cursor 400), edits and
 * deletion by the author or the administrator, a removed teacher's
 * materials kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* c publishes on org's form with the form-encoded fields: the status;
 * the new material's id into *id (0 when none). */
static long
publish(struct t_client *c, long long org, const char *fields,
    long long *id)
{
	long	 st;

	if (t_form(c, t_fmt("/org/%lld/materials/new", org)) == NULL) {
		*id = 0;
		return c->r.status;
	}
	st = t_postf(c, t_fmt("/org/%lld/materials/new", org), "%s", fields);
	*id = st == 303 ? t_id_after(t_header(c, "Location"),
	    t_fmt("/org/%lld/materials/", org)) : 0;
	return st;
}

/* GET of material id of org by c: the status. */
static long
show(struct t_client *c, long long org, long long id)
{
	return t_get(c, t_fmt("/org/%lld/materials/%lld", org, id));
}

/*
 * Who reads which: the class's article, the school's video, the staff's
 * article, each person in turn; the list shows each what they read.
 */
static void
who_reads(void)
{
	struct t_school	 s;
	long long	 cls_m, all_m, staff_m, none;

	t_school_new(&s, "Школа материалов");

	/* The homeroom teacher publishes for 5А. */
	T_EQ(t_get(&s.hr.c, t_fmt("/org/%lld/materials/new", s.org)), 200);
	T_HAS(&s.hr.c, "5А");
	/* The file field says the limit and what is left of one's own. */
	T_HAS(&s.hr.c, "id=\"file_limits\">Файл — до 10 МБ; у вас свободно "
	    "500 МБ.</p>");
	T_LACKS(&s.hr.c, "Только учителя");
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=%s", t_enc("Правила 5А"),
	    s.c5, t_enc("# Правила\n\nПриходить **вовремя**.")), &cls_m),
	    303);
	T_TRUE(cls_m > 0);
	/* The administrator: the school's video, the staff's article. */
	T_EQ(publish(&s.admin.c, s.org, t_fmt("kind=video&title=%s"
	    "&audience=all&url=%s", t_enc("Выпускной вечер"),
	    t_enc("https://rutube.ru/video/abc123/")), &all_m), 303);
	T_EQ(publish(&s.admin.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=staff&body=%s", t_enc("Педсовет: итоги"),
	    t_enc("Только для учителей.")), &staff_m), 303);

	/* The class's material. */
	T_EQ(show(&s.hr.c, s.org, cls_m), 200);
	T_HAS(&s.hr.c, "<h2>Правила</h2>");
	T_HAS(&s.hr.c, "<strong>вовремя</strong>");
	T_HAS(&s.hr.c, "Изменить материал");
	T_EQ(show(&s.admin.c, s.org, cls_m), 200);
	T_HAS(&s.admin.c, "Изменить материал");
	T_EQ(show(&s.st.c, s.org, cls_m), 200);
	T_LACKS(&s.st.c, "Изменить материал");
	T_EQ(show(&s.mum.c, s.org, cls_m), 200);
	T_HAS(&s.mum.c, "Правила 5А");
	T_EQ(show(&s.t6.c, s.org, cls_m), 403);
	/* Worded for a reader it is not for: whom it is for, whom to
	 * ask; nothing about refreshing a form. */
	T_HAS(&s.t6.c, "Материал не для вас");
	T_HAS(&s.t6.c, "Этот материал для других читателей (класс 5А: его "
	    "ученики, их родители и учителя)");
	T_HAS(&s.t6.c, "попросите его у автора");
	T_LACKS(&s.t6.c, "обновите страницу");
	T_LACKS(&s.t6.c, "Правила 5А");
	T_EQ(show(&s.st6.c, s.org, cls_m), 403);
	T_EQ(show(&s.dad.c, s.org, cls_m), 404);
	T_EQ(show(&s.nobody.c, s.org, cls_m), 404);
	T_EQ(show(&s.other.c, s.org, cls_m), 404);
	T_EQ(show(&s.op, s.org, cls_m), 200);
	T_LACKS(&s.op, "Изменить материал");
	/* Through another organization's URL: 404 even to its admin. */
	T_EQ(show(&s.other.c, s.oorg, cls_m), 404);
	T_EQ(show(&s.admin.c, s.oorg, cls_m), 404);

	/* A host's final dot is shown once (materials.c url_host). */
	T_EQ(publish(&s.admin.c, s.org, t_fmt("kind=video&title=%s"
	    "&audience=staff&url=%s", t_enc("Урок с точкой"),
	    t_enc("https://VIDEO.SCHOOL.RU./v.mp4")), &none), 303);
	T_EQ(show(&s.admin.c, s.org, none), 200);
	T_HAS(&s.admin.c, "Сайт: video.school.ru. ");
	T_LACKS(&s.admin.c, "video.school.ru..");

	/* The school's video: everyone of it, guardians too. */
	T_EQ(show(&s.st6.c, s.org, all_m), 200);
	T_HAS(&s.st6.c, "Сайт: Рутуб");
	T_HAS(&s.st6.c, "href=\"https://rutube.ru/video/abc123/\"");
	T_LACKS(&s.st6.c, "<iframe");
	T_EQ(show(&s.dad.c, s.org, all_m), 200);
	T_EQ(show(&s.mum.c, s.org, all_m), 200);
	T_EQ(show(&s.t6.c, s.org, all_m), 200);
	T_EQ(show(&s.nobody.c, s.org, all_m), 404);
	T_EQ(show(&s.other.c, s.org, all_m), 404);

	/* The staff's article: teachers, not students or guardians. */
	T_EQ(show(&s.t6.c, s.org, staff_m), 200);
	T_EQ(show(&s.hr.c, s.org, staff_m), 200);
	T_EQ(show(&s.st.c, s.org, staff_m), 403);
	T_EQ(show(&s.mum.c, s.org, staff_m), 404);
	T_EQ(show(&s.op, s.org, staff_m), 200);

	/* No such material: 404 to all. */
	none = staff_m + 1000000;
	T_EQ(show(&s.admin.c, s.org, none), 404);
	T_EQ(show(&s.st.c, s.org, none), 404);

	/* The lists. */
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.st.c, "Правила 5А");
	T_HAS(&s.st.c, "Выпускной вечер");
	T_LACKS(&s.st.c, "Педсовет: итоги");
	T_LACKS(&s.st.c, "Опубликовать материал");
	T_EQ(t_get(&s.st6.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_LACKS(&s.st6.c, "Правила 5А");
	T_HAS(&s.st6.c, "Выпускной вечер");
	T_EQ(t_get(&s.mum.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.mum.c, "Правила 5А");
	T_HAS(&s.mum.c, "Выпускной вечер");
	T_LACKS(&s.mum.c, "Педсовет: итоги");
	T_EQ(t_get(&s.dad.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_LACKS(&s.dad.c, "Правила 5А");
	T_HAS(&s.dad.c, "Выпускной вечер");
	T_EQ(t_get(&s.t6.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_LACKS(&s.t6.c, "Правила 5А");
	T_HAS(&s.t6.c, "Педсовет: итоги");
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.admin.c, "Правила 5А");
	T_HAS(&s.admin.c, "Педсовет: итоги");
	T_HAS(&s.admin.c, "Кто публикует для всей школы");
	T_EQ(t_get(&s.op, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.op, "Педсовет: итоги");
	T_EQ(t_get(&s.nobody.c, t_fmt("/org/%lld/materials", s.org)), 404);
	T_EQ(t_get(&s.other.c, t_fmt("/org/%lld/materials", s.org)), 404);
	T_EQ(t_get(&s.mum.c, t_fmt("/org/%lld/materials", s.oorg)), 404);
	/* The menu names it. */
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld", s.org)), 200);
	T_HAS(&s.st.c, t_fmt("href=\"/org/%lld/materials\"", s.org));

	/* Who may publish at all: students and the operator 403, outsiders
	 * 404. */
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials/new", s.org)), 403);
	/* A page refused is worded for a reader; a form's action refused
	 * (no csrf: a form kept open too long) says to refresh it. */
	T_HAS(&s.st.c, "У вас нет доступа к этой странице");
	T_LACKS(&s.st.c, "обновите страницу");
	T_EQ(t_post(&s.st.c, t_fmt("/org/%lld/materials/new", s.org),
	    "kind=article"), 403);
	T_HAS(&s.st.c, "обновите страницу");
	T_EQ(t_get(&s.op, t_fmt("/org/%lld/materials/new", s.org)), 403);
	T_EQ(t_get(&s.mum.c, t_fmt("/org/%lld/materials/new", s.org)), 404);
	T_EQ(t_get(&s.other.c, t_fmt("/org/%lld/materials/new", s.org)),
	    404);
	t_form(&s.st.c, t_fmt("/org/%lld/materials", s.org));
	T_EQ(t_postf(&s.st.c, t_fmt("/org/%lld/materials/new", s.org),
	    "kind=article&title=x&audience=class&class_id=%lld&body=x",
	    s.c5), 403);
	/* A teacher for a class not theirs: 422 by the class. */
	T_EQ(publish(&s.t6.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=x", t_enc("Чужой класс"),
	    s.c5), &none), 422);
	T_HAS(&s.t6.c, "Выберите класс из списка");
	T_HAS(&s.t6.c, "value=\"Чужой класс\"");
	/* ... or for staff: the administrator's. */
	T_EQ(publish(&s.t6.c, s.org, "kind=article&title=x&audience=staff"
	    "&body=x", &none), 422);
	T_HAS(&s.t6.c, "Только для учителей публикует администратор");
	/* The database refuses it too, whoever writes. */
	T_TRUE(t_sql("BEGIN; SELECT set_config('parta.account', '%lld',"
	    " true); INSERT INTO parta.material (org_id, kind, title,"
	    " audience, body, author_id) VALUES (%lld, 'article', 'x',"
	    " 'staff', 'x', %lld); COMMIT", s.t6.id, s.org, s.t6.id) ==
	    NULL);
	t_school_free(&s);
}

/* A teacher publishes for the whole school only once the administrator
 * allows it; turning it off again stops it. */
static void
teachers_for_all(void)
{
	struct t_school	 s;
	long long	 id, none;

	t_school_new(&s, "Школа разрешений");
	T_EQ(t_get(&s.t6.c, t_fmt("/org/%lld/materials/new", s.org)), 200);
	T_LACKS(&s.t6.c, "Вся школа: ученики");
	T_EQ(t_get(&s.t6.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_LACKS(&s.t6.c, "href=\"#settings\"");
	T_EQ(publish(&s.t6.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=all&body=%s", t_enc("Всем"), t_enc("Текст")), &id),
	    422);
	T_HAS(&s.t6.c, "Для всей школы публикует администратор");
	T_HAS(&s.t6.c, "value=\"Всем\"");
	T_HAS(&s.t6.c, ">Текст</textarea>");

	/* Only the administrator changes the setting. */
	t_form(&s.t6.c, t_fmt("/org/%lld/materials", s.org));
	T_EQ(t_postf(&s.t6.c, t_fmt("/org/%lld/materials/settings", s.org),
	    "teachers_all=1"), 403);
	t_form(&s.admin.c, t_fmt("/org/%lld/materials", s.org));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/materials/settings",
	    s.org), "teachers_all=1"), 303);
	/* Saved: the list says so; the way to the settings near its top. */
	T_EQ(t_get(&s.admin.c, t_header(&s.admin.c, "Location")), 200);
	T_HAS(&s.admin.c, "Настройки сохранены.");
	T_HAS(&s.admin.c, "href=\"#settings\">Настройки материалов</a>");
	T_HAS(&s.admin.c, "id=\"settings\"");
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_LACKS(&s.admin.c, "Настройки сохранены.");
	T_HAS(&s.admin.c, "name=\"teachers_all\" value=\"1\" checked");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'material_setting'", s.org), "1");

	T_EQ(t_get(&s.t6.c, t_fmt("/org/%lld/materials/new", s.org)), 200);
	T_HAS(&s.t6.c, "Вся школа: ученики");
	T_EQ(publish(&s.t6.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=all&body=%s", t_enc("Всем"), t_enc("Текст")), &id),
	    303);
	T_EQ(show(&s.st.c, s.org, id), 200);
	T_EQ(show(&s.mum.c, s.org, id), 200);

	t_form(&s.admin.c, t_fmt("/org/%lld/materials", s.org));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/materials/settings",
	    s.org), "x=1"), 303);
	T_EQ(publish(&s.t6.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=all&body=x", t_enc("Ещё всем")), &none), 422);

	/* Turned off, the author no longer edits what they published for
	 * the school, is told why in words, and still deletes it
	 * (parta.material_may_delete, sql/0057). */
	T_EQ(show(&s.t6.c, s.org, id), 200);
	T_LACKS(&s.t6.c, t_fmt("/materials/%lld/edit", id));
	T_HAS(&s.t6.c, "Публиковать для всей школы сейчас могут только "
	    "администраторы: изменить материал может администратор. "
	    "Удалить его вы можете.");
	T_HAS(&s.t6.c, t_fmt("/materials/%lld/delete", id));
	T_EQ(t_postf(&s.t6.c, t_fmt("/org/%lld/materials/%lld/edit", s.org,
	    id), "title=x&audience=all&body=x"), 403);
	T_STREQ(t_sql("SELECT title FROM parta.material WHERE id = %lld",
	    id), "Всем");
	/* The database too refuses the edit and allows the delete. */
	T_TRUE(t_sql("BEGIN; SELECT set_config('parta.account', '%lld',"
	    " true); UPDATE parta.material SET title = 'y' WHERE id = %lld;"
	    " COMMIT", s.t6.id, id) == NULL);
	/* Another teacher deletes nothing not theirs. */
	T_EQ(t_get(&s.hr.c, t_fmt("/org/%lld/materials/%lld/delete", s.org,
	    id)), 403);
	T_EQ(t_get(&s.t6.c, t_fmt("/org/%lld/materials/%lld/delete", s.org,
	    id)), 200);
	T_EQ(t_postf(&s.t6.c, t_fmt("/org/%lld/materials/%lld/delete",
	    s.org, id), "x=1"), 303);
	T_EQ(show(&s.st.c, s.org, id), 404);
	t_school_free(&s);
}

/*
 * An article's markup by cmark: raw HTML never passed through, a
 * javascript: or data: link and images only text; http, https and
 * mailto links kept.
 */
static void
article_inert(void)
{
	struct t_school	 s;
	long long	 id;
	const char	*text =
	    "Абзац <script>alert(1)</script> и <b onclick=\"x()\">жирный</b>\n"
	    "\n"
	    "<script>alert(2)</script>\n"
	    "\n"
	    "<iframe src=\"https://evil.example/\"></iframe>\n"
	    "\n"
	    "[злая ссылка](javascript:alert(3)) и [ещё](JaVaScRiPt:alert(4))"
	    " и [данные](data:text/html;base64,PHNjcmlwdD4=)"
	    " и [относительная](/logout)\n"
	    "\n"
	    "![картинка](https://evil.example/x.png)\n"
	    "\n"
	    "[добрая ссылка](https://example.org/a?b=1&c=2) и"
	    " [почта](mailto:school@example.org)\n"
	    "\n"
	    "- пункт *один*\n"
	    "- пункт **два**\n";

	char		 fields[4096];

	t_school_new(&s, "Школа статей");
	snprintf(fields, sizeof(fields), "kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=", t_enc("Статья"), s.c5);
	strncat(fields, t_enc(text), sizeof(fields) - strlen(fields) - 1);
	/* Saving refuses a link that would not stay one, naming it, the
	 * text kept. */
	T_EQ(publish(&s.hr.c, s.org, fields, &id), 422);
	/* A link with a scheme of its own: no «https://javascript:…» as
	 * the example. */
	T_HAS(&s.hr.c, "Ссылка «javascript:alert(3)» не откроется: в статье "
	    "работают только адреса, начинающиеся с https://");
	T_LACKS(&s.hr.c, "https://javascript:");
	T_HAS(&s.hr.c, "id=\"body_error\"");
	T_HAS(&s.hr.c, "&lt;https://…&gt;");
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=%s", t_enc("Учи"), s.c5,
	    t_enc("[Учи.ру](www.uchi.ru)")), &id), 422);
	T_HAS(&s.hr.c, "Ссылка «www.uchi.ru» не откроется");
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=%s", t_enc("Учи"), s.c5,
	    t_enc("[Учи.ру](https://uchi.ru) и <https://uchi.ru/a>")), &id),
	    303);
	T_EQ(show(&s.st.c, s.org, id), 200);
	T_HAS(&s.st.c, "<a href=\"https://uchi.ru/a\">https://uchi.ru/a</a>");
	/* What an older article holds is still rendered inert. */
	t_sql("UPDATE parta.material SET body = $t$%s$t$ WHERE id = %lld",
	    text, id);
	T_EQ(show(&s.st.c, s.org, id), 200);
	/* Raw HTML is never passed through, and never lost: it is shown
	 * as the text the author typed. */
	T_LACKS(&s.st.c, "<script>alert");
	T_LACKS(&s.st.c, "<b ");
	T_LACKS(&s.st.c, "onclick=\"");
	T_LACKS(&s.st.c, "<iframe");
	T_HAS(&s.st.c, "<p>Абзац &lt;script&gt;alert(1)&lt;/script&gt; и "
	    "&lt;b onclick=&quot;x()&quot;&gt;жирный&lt;/b&gt;</p>");
	T_HAS(&s.st.c, "<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>");
	T_HAS(&s.st.c, "<p>&lt;iframe src=&quot;https://evil.example/&quot;"
	    "&gt;&lt;/iframe&gt;</p>");
	T_LACKS(&s.st.c, "src=\"https://evil.example");
	T_LACKS(&s.st.c, "javascript:");
	T_LACKS(&s.st.c, "JaVaScRiPt:");
	T_LACKS(&s.st.c, "data:text");
	T_LACKS(&s.st.c, "href=\"/logout\"");
	T_LACKS(&s.st.c, "<img");
	T_LACKS(&s.st.c, "evil.example/x.png");
	T_HAS(&s.st.c, "злая ссылка");
	T_HAS(&s.st.c, "картинка");
	T_HAS(&s.st.c, "<a href=\"https://example.org/a?b=1&amp;c=2\">"
	    "добрая ссылка</a>");
	T_HAS(&s.st.c, "<a href=\"mailto:school@example.org\">почта</a>");
	T_HAS(&s.st.c, "<li>пункт <em>один</em></li>");
	T_HAS(&s.st.c, "<strong>два</strong>");
	/* The page's policy is the site's: nothing from elsewhere runs or
	 * is framed. */
	T_TRUE(strstr(t_header(&s.st.c, "Content-Security-Policy"),
	    "default-src 'self'") != NULL);

	/* A teacher's HTML, as the QA pass typed it: every word stays on
	 * the page, the tags shown as typed, lines of a block kept. */
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=%s", t_enc("Теги"), s.c5,
	    t_enc("Перед уроком.\n\n<b>Важно</b>: взять тетрадь.\n\n"
	    "<div class=\"x\">\nБлок первый\nи второй\n</div>\n\n"
	    "После блока.")), &id), 303);
	T_EQ(show(&s.st.c, s.org, id), 200);
	T_HAS(&s.st.c, "<p>&lt;b&gt;Важно&lt;/b&gt;: взять тетрадь.</p>");
	T_HAS(&s.st.c, "<p>&lt;div class=&quot;x&quot;&gt;<br />\n"
	    "Блок первый<br />\nи второй<br />\n&lt;/div&gt;</p>");
	T_HAS(&s.st.c, "<p>После блока.</p>");
	T_LACKS(&s.st.c, "raw HTML omitted");
	/* The page's title is its one h1: the article's headings from
	 * h2. */
	t_sql("UPDATE parta.material SET body = $t$# Правила\n\n## Форма"
	    "\n\nТекст$t$ WHERE id = %lld", id);
	T_EQ(show(&s.st.c, s.org, id), 200);
	T_HAS(&s.st.c, "<h2>Правила</h2>");
	T_HAS(&s.st.c, "<h3>Форма</h3>");
	T_LACKS(&s.st.c, "<h1>Правила");
	T_LACKS(&s.st.c, "<b>Важно");
	t_school_free(&s);
}

/*
 * 422 next to each field with the values kept: no kind, an empty
 * title, a class missing, a video without a link or with a link that is
 * none, an empty article, a document without a file.
 */
static void
form_errors(void)
{
	struct t_school	 s;
	long long	 id;

	t_school_new(&s, "Школа ошибок");
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=&title=&audience=class"
	    "&class_id=&body=%s", t_enc("Мой текст")), &id), 422);
	T_HAS(&s.hr.c, "Выберите, что публикуете");
	T_HAS(&s.hr.c, "id=\"title_error\"");
	T_HAS(&s.hr.c, "Выберите класс");
	T_HAS(&s.hr.c, ">Мой текст</textarea>");
	T_HAS(&s.hr.c, "<title>Новый материал");

	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=video&title=%s"
	    "&audience=class&class_id=%lld&url=", t_enc("Фильм"), s.c5),
	    &id), 422);
	T_HAS(&s.hr.c, "Вставьте ссылку на видео");
	T_HAS(&s.hr.c, "value=\"Фильм\"");
	T_HAS(&s.hr.c, "value=\"video\" checked");
	T_HAS(&s.hr.c, t_fmt("value=\"%lld\" selected", s.c5));
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=video&title=%s"
	    "&audience=class&class_id=%lld&url=%s", t_enc("Фильм"), s.c5,
	    t_enc("javascript:alert(1)")), &id), 422);
	T_HAS(&s.hr.c, "начиная с https://");
	T_HAS(&s.hr.c, "value=\"javascript:alert(1)\"");
	/* 400 Cyrillic letters fit the field (1 000 characters) but not
	 * the stored link (each letter %D1%8F): too long, in those words. */
	{
		char	 url[1024], body[4096];
		int	 i;

		strcpy(url, "https://school.example.ru/");
		for (i = 0; i < 400; i++)
			strcat(url, "я");
		snprintf(body, sizeof(body), "kind=video&title=%s&audience="
		    "class&class_id=%lld&url=%s", t_enc("Фильм"), s.c5,
		    t_enc(url));
		T_EQ(publish(&s.hr.c, s.org, body, &id), 422);
		T_HAS(&s.hr.c, "Слишком длинная ссылка");
	}
	/* A space in a link, as an address bar shows it: kept as %20. */
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=video&title=%s"
	    "&audience=class&class_id=%lld&url=%s", t_enc("Урок"), s.c5,
	    t_enc("https://school.example.ru/уроки/урок 1.mp4")), &id), 303);
	T_STREQ(t_sql("SELECT url LIKE '%%/%%201.mp4' FROM parta.material"
	    " WHERE id = %lld", id), "t");
	t_sql("DELETE FROM parta.material WHERE id = %lld", id);
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=", t_enc("Пусто"), s.c5),
	    &id), 422);
	T_HAS(&s.hr.c, "Напишите текст статьи");
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=document&title=%s"
	    "&audience=class&class_id=%lld", t_enc("Без файла"), s.c5),
	    &id), 422);
	T_HAS(&s.hr.c, "Выберите файл");
	T_STREQ(t_sql("SELECT count(*) FROM parta.material WHERE org_id ="
	    " %lld", s.org), "0");
	t_school_free(&s);
}

/*
 * Edits and deletion: the author and the administrator; another
 * teacher 403; a change to an audience not theirs 422; deleted, the
 * material is gone for everyone (404) and its content with it; a
 * removed teacher's materials stay.
 */
static void
edit_and_delete(void)
{
	struct t_school	 s;
	long long	 id, id2;

	t_school_new(&s, "Школа правок");
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=video&title=%s"
	    "&audience=class&class_id=%lld&url=%s", t_enc("Опыт"), s.c5,
	    t_enc("https://www.youtube.com/watch?v=abc")), &id), 303);
	T_EQ(show(&s.st.c, s.org, id), 200);
	T_HAS(&s.st.c, "Сайт: Ютуб");

	/* The author changes the title and the link. */
	T_EQ(show(&s.hr.c, s.org, id), 200);
	T_EQ(t_postf(&s.hr.c, t_fmt("/org/%lld/materials/%lld/edit", s.org,
	    id), "title=%s&audience=class&class_id=%lld&url=%s",
	    t_enc("Опыт с водой"), s.c5, t_enc("https://vk.com/video-1_2")),
	    303);
	T_EQ(show(&s.st.c, s.org, id), 200);
	T_HAS(&s.st.c, "Опыт с водой");
	T_HAS(&s.st.c, "Сайт: ВК Видео");
	/* A bad change: 422 on the page, the value kept, nothing changed. */
	T_EQ(show(&s.hr.c, s.org, id), 200);
	T_EQ(t_postf(&s.hr.c, t_fmt("/org/%lld/materials/%lld/edit", s.org,
	    id), "title=%s&audience=staff&url=%s", t_enc("Новое имя"),
	    t_enc("https://vk.com/video-1_2")), 422);
	T_HAS(&s.hr.c, "Только для учителей публикует администратор");
	T_HAS(&s.hr.c, "value=\"Новое имя\"");
	T_STREQ(t_sql("SELECT title FROM parta.material WHERE org_id = %lld"
	    " AND id = %lld", s.org, id), "Опыт с водой");
	/* Another teacher, a student: 403. */
	t_form(&s.t6.c, t_fmt("/org/%lld/materials", s.org));
	T_EQ(t_postf(&s.t6.c, t_fmt("/org/%lld/materials/%lld/edit", s.org,
	    id), "title=x&audience=class&class_id=%lld&url=%s", s.c6,
	    t_enc("https://vk.com/")), 403);
	T_EQ(t_get(&s.t6.c, t_fmt("/org/%lld/materials/%lld/delete", s.org,
	    id)), 403);
	T_EQ(t_postf(&s.t6.c, t_fmt("/org/%lld/materials/%lld/delete",
	    s.org, id), "x=1"), 403);
	t_form(&s.st.c, t_fmt("/org/%lld/materials", s.org));
	T_EQ(t_postf(&s.st.c, t_fmt("/org/%lld/materials/%lld/delete",
	    s.org, id), "x=1"), 403);
	/* The administrator changes it too. */
	T_EQ(show(&s.admin.c, s.org, id), 200);
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/materials/%lld/edit",
	    s.org, id), "title=%s&audience=all&url=%s", t_enc("Опыт для всех"),
	    t_enc("https://vk.com/video-1_2")), 303);
	T_EQ(show(&s.st6.c, s.org, id), 200);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'material_edit'", s.org), "2");

	/* Now for everyone, which the author may not publish: theirs to
	 * change no more (material_may_change), until the school lets
	 * teachers publish for everyone; theirs to delete still
	 * (material_may_delete). */
	T_EQ(show(&s.hr.c, s.org, id), 200);
	T_LACKS(&s.hr.c, t_fmt("/materials/%lld/edit", id));
	T_HAS(&s.hr.c, t_fmt("/materials/%lld/delete", id));
	t_sql("INSERT INTO parta.material_setting (org_id, teachers_all)"
	    " VALUES (%lld, true)", s.org);

	/* Deleting asks first, then removes it for everyone. */
	T_EQ(t_get(&s.hr.c, t_fmt("/org/%lld/materials/%lld/delete", s.org,
	    id)), 200);
	T_HAS(&s.hr.c, "Удалить материал");
	T_EQ(t_postf(&s.hr.c, t_fmt("/org/%lld/materials/%lld/delete",
	    s.org, id), "x=1"), 303);
	T_EQ(t_get(&s.hr.c, t_header(&s.hr.c, "Location")), 200);
	T_HAS(&s.hr.c, "Материал удалён");
	T_LACKS(&s.hr.c, "Опыт для всех");
	T_EQ(show(&s.st.c, s.org, id), 404);
	T_EQ(show(&s.admin.c, s.org, id), 404);
	T_EQ(show(&s.hr.c, s.org, id), 404);
	T_STREQ(t_sql("SELECT title = '' AND url IS NULL FROM parta.material"
	    " WHERE org_id = %lld AND id = %lld", s.org, id), "t");
	T_EQ(t_postf(&s.hr.c, t_fmt("/org/%lld/materials/%lld/delete",
	    s.org, id), "x=1"), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'material_delete'", s.org), "1");

	/* A removed teacher's material stays, their name on it. */
	T_EQ(publish(&s.t6.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=x", t_enc("Памятка 6Б"),
	    s.c6), &id2), 303);
	t_form(&s.admin.c, t_fmt("/org/%lld/members/%lld/remove", s.org,
	    s.t6.id));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/members/%lld/remove",
	    s.org, s.t6.id), "x=1"), 303);
	T_EQ(show(&s.st6.c, s.org, id2), 200);
	T_HAS(&s.st6.c, "Памятка 6Б");
	T_HAS(&s.st6.c, "Шестов Пётр");
	T_EQ(show(&s.t6.c, s.org, id2), 404);
	t_school_free(&s);
}

/* The titles of material_arms' five materials, and which of them the
 * list shows to c: a string of the letters А..Д of those it shows. */
static const char *const arm_titles[] = { "Объявление для всех",
    "Совещание учителей", "Задание пятому", "Задание шестому",
    "Совет завуча" };

static const char *
arm_list(struct t_client *c, long long org)
{
	static char	 seen[16];
	static const char *const letters[] = { "А", "Б", "В", "Г", "Д" };
	size_t		 i;

	seen[0] = '\0';
	if (t_get(c, t_fmt("/org/%lld/materials", org)) != 200)
		return "404";
	for (i = 0; i < sizeof(arm_titles) / sizeof(arm_titles[0]); i++)
		if (c->r.body != NULL && strstr(c->r.body, arm_titles[i]))
			strcat(seen, letters[i]);
	return seen;
}

/* Whether account who reads material id of org by the rule itself
 * (parta.material_visible): 1, 0 (-1 on failure). */
static long long
arm_reads(long long org, long long who, long long id)
{
	return t_ll(t_sql("SELECT parta.material_visible(m.org_id, %lld,"
	    " m.audience, m.class_id, m.author_id)::int FROM parta.material m"
	    " WHERE m.org_id = %lld AND m.id = %lld", who, org, id));
}

/*
 * Each arm of who reads a material (sql/0051_material_reader.sql:
 * material_reader's row, material_sees' rule, the list asking them once
 * per statement), each person's list against what they must see:
 * А the school's, Б the staff's, В 5А's, Г 6Б's (by its subject
 * teacher), Д the staff's by a second administrator.  An arm wrong
 * shows or hides a letter: the administrator reads another's class
 * material; a teacher the staff's, not another class's; a student
 * neither; a student in no class only the school's; a guardian their
 * child's class, a teacher who is a guardian their child's class too;
 * a guardian whose only child left, or whose child studies elsewhere,
 * nothing; an author who left no longer reads their own staff material
 * (as a guardian, still their child's).
 */
static void
material_arms(void)
{
	struct t_school	 s;
	struct t_person	 ad2, st0, tp, lc, gl, ge, ke;
	long long	 m[5], oorg_m;

	t_school_new(&s, "Школа правил чтения");
	t_person_new(&ad2, "Завучева", "Инна", s.org, "admin");
	t_person_new(&st0, "Бесклассов", "Паша", s.org, "student");
	t_person_new(&tp, "Учителева", "Нина", s.org, "teacher");
	t_person_new(&lc, "Уходящий", "Витя", s.org, "student");
	t_class_member_add(s.org, s.c6, lc.id, "student");
	t_signup(&gl, "Уходящая", "Лена");
	t_signup(&ge, "Чужемамова", "Зоя");
	t_person_new(&ke, "Чужедетов", "Коля", s.oorg, "student");
	t_guardian_add(tp.id, s.st6.id);
	t_guardian_add(gl.id, lc.id);
	t_guardian_add(ge.id, ke.id);
	t_guardian_add(ad2.id, s.st.id);

	T_EQ(publish(&s.admin.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=all&body=x", t_enc(arm_titles[0])), &m[0]), 303);
	T_EQ(publish(&s.admin.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=staff&body=x", t_enc(arm_titles[1])), &m[1]), 303);
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=x", t_enc(arm_titles[2]),
	    s.c5), &m[2]), 303);
	T_EQ(publish(&s.t6.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=class&class_id=%lld&body=x", t_enc(arm_titles[3]),
	    s.c6), &m[3]), 303);
	T_EQ(publish(&ad2.c, s.org, t_fmt("kind=article&title=%s"
	    "&audience=staff&body=x", t_enc(arm_titles[4])), &m[4]), 303);
	T_EQ(publish(&s.other.c, s.oorg, t_fmt("kind=article&title=%s"
	    "&audience=all&body=x", t_enc("Чужое объявление")), &oorg_m),
	    303);

	T_STREQ(arm_list(&s.admin.c, s.org), "АБВГД");
	T_STREQ(arm_list(&ad2.c, s.org), "АБВГД");
	T_STREQ(arm_list(&s.hr.c, s.org), "АБВД");
	T_STREQ(arm_list(&s.t6.c, s.org), "АБГД");
	T_STREQ(arm_list(&tp.c, s.org), "АБГД");
	T_STREQ(arm_list(&s.st.c, s.org), "АВ");
	T_STREQ(arm_list(&s.st6.c, s.org), "АГ");
	T_STREQ(arm_list(&st0.c, s.org), "А");
	T_STREQ(arm_list(&s.mum.c, s.org), "АВ");
	T_STREQ(arm_list(&s.dad.c, s.org), "АГ");
	T_STREQ(arm_list(&gl.c, s.org), "АГ");
	T_STREQ(arm_list(&s.nobody.c, s.org), "404");
	T_STREQ(arm_list(&ge.c, s.org), "404");
	/* The one material, by the same rule (the administrator's own
	 * arm too: the list and the item skip the rule for them). */
	T_EQ(arm_reads(s.org, s.admin.id, m[3]), 1);
	T_EQ(arm_reads(s.org, s.admin.id, m[4]), 1);
	T_EQ(show(&gl.c, s.org, m[3]), 200);
	T_EQ(show(&tp.c, s.org, m[2]), 403);
	T_EQ(show(&st0.c, s.org, m[2]), 403);
	T_EQ(show(&st0.c, s.org, m[1]), 403);

	/* The guardian of a child elsewhere reads nothing here, but the
	 * other school's (where the child studies). */
	T_EQ(arm_reads(s.org, ge.id, m[0]), 0);
	T_EQ(arm_reads(s.org, ge.id, m[3]), 0);
	T_EQ(arm_reads(s.oorg, ge.id, oorg_m), 1);

	/* The child leaves: their guardian reads nothing more, neither
	 * the school's nor the class's. */
	T_STREQ(t_sql("SELECT parta.member_end(%lld, %lld, %lld, 'left')",
	    s.org, lc.id, lc.id), "ok");
	T_STREQ(arm_list(&gl.c, s.org), "404");
	T_EQ(show(&gl.c, s.org, m[3]), 404);
	T_EQ(arm_reads(s.org, gl.id, m[0]), 0);
	T_EQ(arm_reads(s.org, gl.id, m[3]), 0);
	T_EQ(arm_reads(s.org, lc.id, m[3]), 0);

	/* The second administrator leaves: their own staff material is
	 * no longer theirs to read; as a guardian of a 5А student they
	 * still read the school's and 5А's. */
	T_STREQ(t_sql("SELECT parta.member_end(%lld, %lld, %lld, 'left')",
	    s.org, ad2.id, ad2.id), "ok");
	T_STREQ(arm_list(&ad2.c, s.org), "АВ");
	T_EQ(show(&ad2.c, s.org, m[4]), 404);
	T_EQ(arm_reads(s.org, ad2.id, m[4]), 0);
	T_EQ(arm_reads(s.org, ad2.id, m[2]), 1);

	t_client_free(&ad2.c);
	t_client_free(&st0.c);
	t_client_free(&tp.c);
	t_client_free(&lc.c);
	t_client_free(&gl.c);
	t_client_free(&ge.c);
	t_client_free(&ke.c);
	t_school_free(&s);
}

/* Filters, search and 50 a page. */
static void
list_and_pages(void)
{
	struct t_school	 s;
	long long	 id;
	const char	*next;
	char		 path[256], longq[102];

	t_school_new(&s, "Школа списков");
	/* 54 articles of the administrator's, by SQL, one minute apart,
	 * and a video of the homeroom teacher's for 5А. */
	T_TRUE(t_sql("INSERT INTO parta.material (org_id, kind, title,"
	    " audience, body, author_id, created_at) SELECT %lld, 'article',"
	    " 'Статья номер ' || n, 'all', 'Текст', %lld,"
	    " now() - n * interval '1 minute'"
	    " FROM generate_series(1, 54) n", s.org, s.admin.id) != NULL);
	T_EQ(publish(&s.hr.c, s.org, t_fmt("kind=video&title=%s"
	    "&audience=class&class_id=%lld&url=%s", t_enc("Экскурсия"),
	    s.c5, t_enc("https://school.example.ru/v/1")), &id), 303);

	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.st.c, "Экскурсия");
	T_HAS(&s.st.c, "Статья номер 1<");
	T_HAS(&s.st.c, "Статья номер 49<");
	T_LACKS(&s.st.c, "Статья номер 50<");
	T_HAS(&s.st.c, "Всего 55 материалов");
	T_HAS(&s.st.c, "Дальше");
	T_LACKS(&s.st.c, "В начало");
	T_TRUE((next = strstr(s.st.c.r.body, "materials?after=")) != NULL);
	snprintf(path, sizeof(path), "/org/%lld/materials?after=%lld",
	    s.org, t_id_after(next, "materials?after="));
	T_EQ(t_get(&s.st.c, path), 200);
	T_HAS(&s.st.c, "Статья номер 50<");
	T_HAS(&s.st.c, "Статья номер 54<");
	T_LACKS(&s.st.c, "Статья номер 49<");
	T_LACKS(&s.st.c, "Дальше");
	T_HAS(&s.st.c, "В начало");
	T_HAS(&s.st.c, "Всего 55 материалов");
	/* A cursor or a filter no page writes. */
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?after=x", s.org)),
	    400);
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?after=-5", s.org)),
	    400);
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?class=x", s.org)),
	    400);
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?kind=poem", s.org)),
	    400);

	/* A filter kept across pages: the articles, 50 and then 4. */
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?kind=article",
	    s.org)), 200);
	T_HAS(&s.st.c, "Всего 54 материала");
	T_HAS(&s.st.c, "Статья номер 50<");
	T_LACKS(&s.st.c, "Статья номер 51<");
	T_TRUE((next = strstr(s.st.c.r.body,
	    "materials?kind=article&amp;after=")) != NULL);
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?kind=article&after=%lld",
	    s.org, t_id_after(next, "&amp;after="))), 200);
	T_HAS(&s.st.c, "Статья номер 51<");
	T_HAS(&s.st.c, "Статья номер 54<");
	T_LACKS(&s.st.c, "Статья номер 50<");
	T_LACKS(&s.st.c, "Экскурсия");
	T_HAS(&s.st.c, "Всего 54 материала");
	T_HAS(&s.st.c, t_fmt("href=\"/org/%lld/materials?kind=article\" "
	    "rel=\"prev\">« В начало", s.org));

	/* The filters. */
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?kind=video", s.org)),
	    200);
	T_HAS(&s.st.c, "Экскурсия");
	T_LACKS(&s.st.c, "Статья номер");
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?class=%lld", s.org,
	    s.c5)), 200);
	T_HAS(&s.st.c, "Экскурсия");
	T_LACKS(&s.st.c, "Статья номер");
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?author=%lld", s.org,
	    s.admin.id)), 200);
	T_LACKS(&s.st.c, "Экскурсия");
	T_HAS(&s.st.c, "Статья номер 3<");
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?q=%s", s.org,
	    t_enc("НОМЕР 4"))), 200);
	T_HAS(&s.st.c, "Статья номер 4<");
	T_HAS(&s.st.c, "Статья номер 41<");
	T_LACKS(&s.st.c, "Статья номер 5<");
	T_LACKS(&s.st.c, "Экскурсия");
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?q=%s", s.org,
	    t_enc("нет такого"))), 200);
	T_HAS(&s.st.c, "Ничего не нашлось");
	T_HAS(&s.st.c, "Всего 0 материалов");
	/* Words past the limit: kept in the box, the limit next to it,
	 * nothing found (not every material). */
	memset(longq, 'w', 101);
	longq[101] = '\0';
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?q=%s", s.org, longq)),
	    422);
	T_HAS(&s.st.c, t_fmt("value=\"%s\"", longq));
	T_HAS(&s.st.c, "Не больше 100 символов");
	T_HAS(&s.st.c, "Ничего не нашлось");
	T_LACKS(&s.st.c, "Статья номер");
	T_LACKS(&s.st.c, "Экскурсия");
	/* The filters' choices: the class and both authors. */
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.st.c, t_fmt("<option value=\"%lld\">5А</option>", s.c5));
	T_HAS(&s.st.c, "Классова Мария");
	/* The other class's student: neither the video nor its class. */
	T_EQ(t_get(&s.st6.c, t_fmt("/org/%lld/materials?class=%lld", s.org,
	    s.c5)), 200);
	T_LACKS(&s.st6.c, "Экскурсия");
	T_LACKS(&s.st6.c, "Классова Мария");
	t_school_free(&s);
}

/* The link whose href="..." comes last before at in body, &amp; as
 * &, into out: 0, or -1. */
static int
href_before(const char *body, const char *at, char *out, size_t outsz)
{
	const char	*h = NULL, *p, *e;
	size_t		 o = 0;

	for (p = body; (p = strstr(p, "href=\"")) != NULL && p < at; p++)
		h = p + 6;
	if (h == NULL || (e = strchr(h, '"')) == NULL)
		return -1;
	for (p = h; p < e && o + 1 < outsz; ) {
		if (strncmp(p, "&amp;", 5) == 0) {
			out[o++] = '&';
			p += 5;
		} else
			out[o++] = *p++;
	}
	out[o] = '\0';
	return p == e ? 0 : -1;
}

/* The way back through a list of three pages and more (lib/pager): each
 * «Дальше» carries the pages passed, «Назад» goes to the page before
 * with the filter kept, and on the second page «В начало» is it. */
static void
pages_back(void)
{
	struct t_school	 s;
	const char	*at;
	char		 next2[256], next3[256], prev[256];

	t_school_new(&s, "Школа страниц назад");
	T_TRUE(t_sql("INSERT INTO parta.material (org_id, kind, title,"
	    " audience, body, author_id, created_at) SELECT %lld, 'article',"
	    " 'Заметка ' || n || '.', 'all', 'Текст', %lld,"
	    " now() - n * interval '1 minute'"
	    " FROM generate_series(1, 160) n", s.org, s.admin.id) != NULL);
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?kind=article", s.org)),
	    200);
	T_LACKS(&s.st.c, "Назад");
	T_TRUE((at = strstr(s.st.c.r.body, "rel=\"next\"")) != NULL);
	T_TRUE(href_before(s.st.c.r.body, at, next2, sizeof(next2)) == 0);
	T_EQ(t_get(&s.st.c, next2), 200);
	T_HAS(&s.st.c, "Заметка 51.");
	/* Page 2: back is the first page. */
	T_LACKS(&s.st.c, "‹ Назад");
	T_HAS(&s.st.c, t_fmt("href=\"/org/%lld/materials?kind=article\" "
	    "rel=\"prev\">« В начало", s.org));
	T_TRUE((at = strstr(s.st.c.r.body, "rel=\"next\"")) != NULL);
	T_TRUE(href_before(s.st.c.r.body, at, next3, sizeof(next3)) == 0);
	T_TRUE(strstr(next3, "&back=") != NULL);
	T_EQ(t_get(&s.st.c, next3), 200);
	T_HAS(&s.st.c, "Заметка 101.");
	T_LACKS(&s.st.c, "Заметка 100.");
	/* Page 3: «Назад» to page 2 (its filter and cursor), and «В
	 * начало». */
	T_HAS(&s.st.c, "« В начало");
	T_TRUE((at = strstr(s.st.c.r.body, "rel=\"prev\">‹ Назад")) != NULL);
	T_TRUE(href_before(s.st.c.r.body, at, prev, sizeof(prev)) == 0);
	T_STREQ(prev, next2);
	T_EQ(t_get(&s.st.c, prev), 200);
	T_HAS(&s.st.c, "Заметка 51.");
	T_HAS(&s.st.c, "Заметка 100.");
	T_LACKS(&s.st.c, "Заметка 101.");
	T_LACKS(&s.st.c, "Заметка 50.");
	/* Page 4 from page 3, and back twice. */
	T_EQ(t_get(&s.st.c, next3), 200);
	T_TRUE((at = strstr(s.st.c.r.body, "rel=\"next\"")) != NULL);
	T_TRUE(href_before(s.st.c.r.body, at, next2, sizeof(next2)) == 0);
	T_EQ(t_get(&s.st.c, next2), 200);
	T_HAS(&s.st.c, "Заметка 151.");
	T_TRUE((at = strstr(s.st.c.r.body, "rel=\"prev\">‹ Назад")) != NULL);
	T_TRUE(href_before(s.st.c.r.body, at, prev, sizeof(prev)) == 0);
	T_STREQ(prev, next3);
	/* A trail no page writes: 400. */
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?back=5", s.org)), 400);
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials?after=5&back=x",
	    s.org)), 400);
	t_school_free(&s);
}

/* A small PDF, and HTML named as one. */
static const char pdf[] = "%PDF-1.4\n"
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    " endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
static const char html_pdf[] = "<!doctype html><html><body>"
    "<script>alert(1)</script></body></html>\n";

/* c publishes a document of org for audience (class cls, 0: none) with
 * file name holding data, multipart as the form sends it: the status;
 * the material's id into *id (0 when none). */
static long
publish_doc(struct t_client *c, long long org, const char *title,
    const char *audience, long long cls, const char *name, const char *data,
    size_t len, long long *id)
{
	struct t_mp	 m = { 0 };
	long		 st;

	t_form(c, t_fmt("/org/%lld/materials/new", org));
	t_mp_field(&m, "csrf", c->csrf);
	t_mp_field(&m, "kind", "document");
	t_mp_field(&m, "title", title);
	t_mp_field(&m, "audience", audience);
	t_mp_field(&m, "class_id", cls > 0 ? t_fmt("%lld", cls) : "");
	t_mp_field(&m, "url", "");
	t_mp_field(&m, "body", "");
	t_mp_file(&m, "file", name, "application/pdf", data, len);
	st = t_mp_post(c, t_fmt("/org/%lld/materials/new", org), &m);
	*id = st == 303 ? t_id_after(t_header(c, "Location"),
	    t_fmt("/org/%lld/materials/", org)) : 0;
	return st;
}

/*
 * A document's file is read by exactly those who read the material:
 * the class's students, teachers and guardians, the administrator, the
 * operator; others of the school 403 as on the material's page, anyone
 * else 404.  HTML named .pdf is refused
 * next to the field.  Deleted, the file answers 404 to everyone.
 */
static void
documents(void)
{
	struct t_school	 s;
	struct t_mp	 m;
	long long	 id, file, file2, none;
	const char	*f;

	t_school_new(&s, "Школа документов");
	T_EQ(publish_doc(&s.hr.c, s.org, "Поддельный", "class", s.c5,
	    "страница.pdf", html_pdf, sizeof(html_pdf) - 1, &none), 422);
	T_HAS(&s.hr.c, "id=\"file_error\"");
	T_HAS(&s.hr.c, "value=\"Поддельный\"");
	T_STREQ(t_sql("SELECT count(*) FROM parta.material WHERE org_id ="
	    " %lld", s.org), "0");

	T_EQ(publish_doc(&s.hr.c, s.org, "Расписание", "class", s.c5,
	    "Расписание 5А.pdf", pdf, sizeof(pdf) - 1, &id), 303);
	T_EQ(show(&s.st.c, s.org, id), 200);
	T_HAS(&s.st.c, "Расписание 5А.pdf");
	T_TRUE((file = t_id_after(s.st.c.r.body, "/files/")) > 0);
	f = t_fmt("/files/%lld", file);
	T_EQ(t_get(&s.st.c, f), 200);
	T_STREQ(t_header(&s.st.c, "Content-Type"), "application/pdf");
	T_TRUE(s.st.c.r.len == sizeof(pdf) - 1);
	T_EQ(t_get(&s.hr.c, f), 200);
	T_EQ(t_get(&s.admin.c, f), 200);
	T_EQ(t_get(&s.mum.c, f), 200);
	T_EQ(t_get(&s.op, f), 200);
	/* Others of the school: 403 with the reason, as the material's
	 * page answers them; a guardian it is not for, anyone outside:
	 * 404. */
	T_EQ(show(&s.t6.c, s.org, id), 403);
	T_EQ(t_get(&s.t6.c, f), 403);
	T_HAS(&s.t6.c, "Файл не для вас");
	T_HAS(&s.t6.c, "из материала школы, который предназначен другим "
	    "читателям");
	T_LACKS(&s.t6.c, "обновите страницу");
	T_EQ(t_get(&s.t6.c, t_fmt("/files/%lld/preview", file)), 403);
	T_EQ(show(&s.st6.c, s.org, id), 403);
	T_EQ(t_get(&s.st6.c, f), 403);
	T_EQ(show(&s.dad.c, s.org, id), 404);
	T_EQ(t_get(&s.dad.c, f), 404);
	T_EQ(t_get(&s.nobody.c, f), 404);
	T_EQ(t_get(&s.other.c, f), 404);
	/* Moved to the school's audience, the other class reads it too. */
	T_EQ(show(&s.admin.c, s.org, id), 200);
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/materials/%lld/edit",
	    s.org, id), "title=%s&audience=all", t_enc("Расписание")), 303);
	T_EQ(t_get(&s.st6.c, f), 200);
	T_EQ(t_get(&s.dad.c, f), 200);
	T_EQ(t_get(&s.nobody.c, f), 404);

	/* The author replaces the file: the old one is held by nothing and
	 * read by nobody, the new one by the readers. */
	t_sql("INSERT INTO parta.material_setting (org_id, teachers_all)"
	    " VALUES (%lld, true)", s.org);
	T_EQ(show(&s.hr.c, s.org, id), 200);
	m = (struct t_mp){ 0 };
	t_mp_field(&m, "csrf", s.hr.c.csrf);
	t_mp_field(&m, "title", "Расписание, новое");
	t_mp_field(&m, "audience", "all");
	t_mp_field(&m, "class_id", "");
	t_mp_file(&m, "file", "Новое.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1);
	T_EQ(t_mp_post(&s.hr.c, t_fmt("/org/%lld/materials/%lld/edit", s.org,
	    id), &m), 303);
	T_EQ(show(&s.st.c, s.org, id), 200);
	T_HAS(&s.st.c, "Новое.pdf");
	T_TRUE((file2 = t_id_after(s.st.c.r.body, "/files/")) > 0);
	T_TRUE(file2 != file);
	T_EQ(t_get(&s.st.c, f), 404);
	T_EQ(t_get(&s.hr.c, f), 404);
	T_STREQ(t_sql("SELECT parta.file_held(%lld)", file), "f");
	file = file2;
	f = t_fmt("/files/%lld", file);
	T_EQ(t_get(&s.dad.c, f), 200);

	/* Deleted: the file with it. */
	t_form(&s.hr.c, t_fmt("/org/%lld/materials", s.org));
	T_EQ(t_postf(&s.hr.c, t_fmt("/org/%lld/materials/%lld/delete",
	    s.org, id), "x=1"), 303);
	T_EQ(t_get(&s.st.c, f), 404);
	T_EQ(t_get(&s.hr.c, f), 404);
	T_EQ(t_get(&s.admin.c, f), 404);
	T_EQ(t_get(&s.op, f), 404);
	T_STREQ(t_sql("SELECT count(*) FROM parta.material WHERE file_id ="
	    " %lld", file), "0");
	T_STREQ(t_sql("SELECT parta.file_held(%lld)", file), "f");
	t_school_free(&s);
}

/* A teacher taken off a class no longer changes that class's materials
 * (parta.material_may_change asks material_may_publish); the
 * administrator still does; the author still deletes them. */
static void
removed_teacher(void)
{
	struct t_school	 s;
	long long	 id, doc, file;

	t_school_new(&s, "Школа ушедшего учителя");
	T_EQ(publish_doc(&s.t6.c, s.org, "Таблица 6", "class", s.c6,
	    "Таблица.pdf", pdf, sizeof(pdf) - 1, &doc), 303);
	T_EQ(show(&s.st6.c, s.org, doc), 200);
	T_TRUE((file = t_id_after(s.st6.c.r.body, "/files/")) > 0);
	T_EQ(t_get(&s.t6.c, t_fmt("/files/%lld", file)), 200);
	T_EQ(publish(&s.t6.c, s.org, t_fmt("kind=video&title=%s"
	    "&audience=class&class_id=%lld&url=%s", t_enc("Опыт 6"), s.c6,
	    t_enc("https://vk.com/video-1_2")), &id), 303);
	T_EQ(show(&s.t6.c, s.org, id), 200);
	T_HAS(&s.t6.c, "/edit");
	t_sql("DELETE FROM parta.class_member WHERE org_id = %lld AND"
	    " class_id = %lld AND account_id = %lld", s.org, s.c6, s.t6.id);
	T_EQ(show(&s.t6.c, s.org, id), 200);
	T_LACKS(&s.t6.c, t_fmt("/materials/%lld/edit", id));
	T_EQ(t_postf(&s.t6.c, t_fmt("/org/%lld/materials/%lld/edit", s.org,
	    id), "title=x&audience=class&class_id=%lld&url=%s", s.c6,
	    t_enc("https://vk.com/")), 403);
	T_EQ(show(&s.t6.c, s.org, id), 200);
	T_HAS(&s.t6.c, "Вы больше не публикуете для этого класса");
	T_STREQ(t_sql("SELECT title FROM parta.material WHERE org_id = %lld"
	    " AND id = %lld", s.org, id), "Опыт 6");
	T_EQ(show(&s.admin.c, s.org, id), 200);
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/materials/%lld/edit",
	    s.org, id), "title=%s&audience=class&class_id=%lld&url=%s",
	    t_enc("Опыт 6 б"), s.c6, t_enc("https://vk.com/video-1_2")), 303);
	/* Its author still deletes it (sql/0057). */
	T_EQ(t_postf(&s.t6.c, t_fmt("/org/%lld/materials/%lld/delete",
	    s.org, id), "x=1"), 303);
	T_EQ(show(&s.admin.c, s.org, id), 404);

	/* Out of the school, the author no longer reads the file they
	 * published by owning it (parta.file's owner arm is their
	 * storage only); the class still does. */
	t_form(&s.admin.c, t_fmt("/org/%lld/members/%lld/remove", s.org,
	    s.t6.id));
	T_EQ(t_postf(&s.admin.c, t_fmt("/org/%lld/members/%lld/remove",
	    s.org, s.t6.id), "x=1"), 303);
	T_EQ(t_get(&s.t6.c, t_fmt("/files/%lld", file)), 404);
	T_EQ(t_get(&s.st6.c, t_fmt("/files/%lld", file)), 200);
	/* Their materials stay, and so does their name among the
	 * authors of the list's filter, for whoever reads them. */
	T_EQ(t_get(&s.st6.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.st6.c, "Таблица 6");
	T_HAS(&s.st6.c, t_fmt("<option value=\"%lld\">Шестов Пётр",
	    s.t6.id));
	T_EQ(t_get(&s.st6.c, t_fmt("/org/%lld/materials?author=%lld", s.org,
	    s.t6.id)), 200);
	T_HAS(&s.st6.c, "Таблица 6");
	T_HAS(&s.st6.c, "Всего 1 материал");
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.admin.c, t_fmt("<option value=\"%lld\">Шестов Пётр",
	    s.t6.id));
	t_school_free(&s);
}

/*
 * The way in: every member who reads materials finds them from /me
 * (each role's card; a guardian's child's class) and from the
 * organization's menu; someone in no school finds no such link.
 */
static void
the_way_in(void)
{
	struct t_school	 s;
	struct t_person	*who[] = { &s.admin, &s.hr, &s.t6, &s.st, &s.st6,
	    &s.mum, &s.dad };
	const char	*link;
	size_t		 i;

	t_school_new(&s, "Школа входа в материалы");
	link = t_fmt("href=\"/org/%lld/materials\"", s.org);
	for (i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		T_EQ(t_get(&who[i]->c, "/me"), 200);
		T_HAS(&who[i]->c, link);
		T_EQ(t_get(&who[i]->c, t_fmt("/org/%lld/materials", s.org)),
		    200);
	}
	/* The organization's menu, for its members and the operator. */
	for (i = 0; i < 5; i++) {
		T_EQ(t_get(&who[i]->c, t_fmt("/org/%lld", s.org)), 200);
		T_HAS(&who[i]->c, link);
	}
	T_EQ(t_get(&s.op, t_fmt("/org/%lld", s.org)), 200);
	T_HAS(&s.op, link);
	T_EQ(t_get(&s.nobody.c, "/me"), 200);
	T_LACKS(&s.nobody.c, "/materials\"");
	t_school_free(&s);
}

/*
 * The school's place for files nearly full: the form says what is left
 * of it, and a document past it is 413
 * naming the file, its size and what is left, in words for whoever
 * publishes -- the administrator is told what to do, a teacher to tell
 * the administrator; nothing is kept.
 */
static void
org_quota_words(void)
{
	struct t_school	 s;
	const char	*q = getenv("PARTA_ORG_QUOTA");
	long long	 quota = q != NULL ? atoll(q) : 20LL << 30, id;

	t_school_new(&s, "Школа без места");
	/* 100 bytes left for the school's files. */
	T_TRUE(t_sql("INSERT INTO parta.file (owner_id, org_id, store_key,"
	    " name, type, size, in_storage) VALUES (%lld, %lld, 'test-full-'"
	    " || %lld, 'заполнитель.zip', 'application/zip', %lld - 100,"
	    " false)", s.admin.id, s.org, s.org, quota) != NULL);
	/* The form says so by the file field: the school's room, the
	 * smaller, not the person's own. */
	T_EQ(t_get(&s.hr.c, t_fmt("/org/%lld/materials/new", s.org)), 200);
	T_HAS(&s.hr.c, "в хранилище школы свободно 100 байт.");
	T_LACKS(&s.hr.c, "у вас свободно");
	T_EQ(publish_doc(&s.admin.c, s.org, "План", "all", 0, "План.pdf", pdf,
	    sizeof(pdf) - 1, &id), 413);
	T_HAS(&s.admin.c, "«План.pdf»: Не хватает места: нужно");
	T_HAS(&s.admin.c, "а у школы для файлов осталось 100 байт из");
	T_HAS(&s.admin.c, "Освободите место");
	T_LACKS(&s.admin.c, "Скажите");
	T_HAS(&s.admin.c, "value=\"План\"");
	T_EQ(publish_doc(&s.hr.c, s.org, "Правила", "class", s.c5,
	    "Правила.pdf", pdf, sizeof(pdf) - 1, &id), 413);
	T_HAS(&s.hr.c, "«Правила.pdf»: Не хватает места");
	T_HAS(&s.hr.c, "Скажите об этом администратору школы");
	T_LACKS(&s.hr.c, "Освободите место");
	T_STREQ(t_sql("SELECT count(*) FROM parta.material WHERE org_id ="
	    " %lld", s.org), "0");
	t_school_free(&s);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "materials found from /me by every role and from the "
		    "organization's menu", the_way_in },
		{ "who reads which material, who publishes: admin, teachers, "
		    "students, guardians, outsiders, another org, operator",
		    who_reads },
		{ "each arm of who reads: admin, teachers, students in and "
		    "out of a class, guardians (a teacher's child, a child "
		    "who left, a child elsewhere), an author who left",
		    material_arms },
		{ "teachers publish for the school only when the admin "
		    "allows it", teachers_for_all },
		{ "an article's script, javascript: links and images "
		    "rendered inert by cmark", article_inert },
		{ "422 next to each field, values kept", form_errors },
		{ "edit and delete: author or admin; deleted 404; a removed "
		    "teacher's materials stay", edit_and_delete },
		{ "a teacher taken off the class no longer changes its "
		    "material", removed_teacher },
		{ "filters, search, 50 a page with the total, a filter kept "
		    "across pages, a bad cursor 400", list_and_pages },
		{ "back through the pages: «Назад» to the page before, the "
		    "filter kept", pages_back },
		{ "a document's file read by exactly its readers; HTML named "
		    ".pdf refused; deleted, the file 404", documents },
		{ "the school's place full: 413 naming the file and what is "
		    "left, in words for the administrator or a teacher",
		    org_quota_words },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
