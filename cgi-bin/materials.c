/*
 * materials: the school's materials («Документы, Видео, Статьи»): a
 * document is a stored file (lib/file), a video a link shown as a card
 * with its title and host, and above it the video itself when the
 * administrator allows its site (lib/embed; the page's CSP then allows
 * that one player's host, every other page keeps the site's), an
 * article text with a small markup rendered by cmark
 * (libcmark: raw HTML off, links only http, https and mailto, no
 * images).
 *
 * Who reads which material and who may publish, change or delete one is
 * said once, in sql/0042_materials.sql: administrators publish for
 * everyone, the staff or a class; teachers for the classes they lead or
 * teach, and for everyone when the administrator allows it (the setting
 * on the list page); students read what is for everyone or for their
 * class; guardians, who are no members, what is for everyone and for
 * their child's class.  So the list and a material's page carry no role
 * flag (APP_GUEST: the standing loaded with the session, refusing
 * nobody) and their handlers ask: a member or the
 * operator sees the organization's menu, a guardian of its students
 * the page without it, anyone else 404.  A material a member may not
 * read is 403; another organization's, 404.  The trigger material_guard
 * refuses what this program would let through by mistake (PA403).
 *
 * Publishing, changes and deletions are audited (lib/audit).  Deleting
 * empties the row: nothing of it is shown or served again, and its file
 * goes with the clean-up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmark.h>

#include "app.h"
#include "config.h"
#include "audit.h"
#include "auth.h"
#include "db.h"
#include "embed.h"
#include "file.h"
#include "log.h"
#include "org.h"
#include "pager.h"
#include "pool.h"

static int	materials_list(struct http_req *);
struct settings_form;
static int	list_page(struct http_req *, int,
		    const struct settings_form *);
static int	material_new_form(struct http_req *);
static int	material_create(struct http_req *);
static int	materials_settings(struct http_req *);
static int	material_show(struct http_req *);
static int	material_edit(struct http_req *);
static int	material_delete_confirm(struct http_req *);
static int	material_delete(struct http_req *);

static const struct app_route routes[] = {
	/* Members, the operator and guardians: the handler decides. */
	{ APP_GET | APP_LOGIN | APP_GUEST | APP_ONE_TRIP, "/org/{n}/materials",
	    materials_list },
	{ APP_GET | APP_LOGIN | APP_STAFF, "/org/{n}/materials/new",
	    material_new_form },
	{ APP_POST | APP_LOGIN | APP_STAFF | APP_UPLOAD,
	    "/org/{n}/materials/new", material_create },
	{ APP_POST | APP_LOGIN | APP_ADMIN, "/org/{n}/materials/settings",
	    materials_settings },
	/* Members, the operator and guardians: the handler decides. */
	{ APP_GET | APP_LOGIN | APP_GUEST, "/org/{n}/materials/{n}",
	    material_show },
	{ APP_POST | APP_LOGIN | APP_STAFF | APP_UPLOAD,
	    "/org/{n}/materials/{n}/edit", material_edit },
	{ APP_GET | APP_LOGIN | APP_STAFF, "/org/{n}/materials/{n}/delete",
	    material_delete_confirm },
	{ APP_POST | APP_LOGIN | APP_STAFF, "/org/{n}/materials/{n}/delete",
	    material_delete },
};

#define MATERIAL_TITLE_MAX	200	/* characters of a title */
#define MATERIAL_URL_MAX	1000	/* bytes of a video's link */
#define MATERIAL_BODY_MAX	20000	/* characters of an article */
#define MATERIAL_SEARCH_MAX	100	/* characters searched for */

/* What a material being changed has now: its audience and class stay
 * offered, and may stay, whoever changes it (an administrator may have
 * made a teacher's material the school's). */
struct material_now {
	const char	*audience;
	const char	*class_id;	/* "" for none */
	const char	*class_name;
};

static const char *valid_kind(const char *, char *, size_t);
static const char *valid_title(const char *, char *, size_t);
static const char *valid_audience(const char *, char *, size_t);
static const char *valid_video_url(const char *, char *, size_t);
static const char *valid_search(const char *, char *, size_t);

enum material_key {
	MF_KIND, MF_TITLE, MF_AUDIENCE, MF_CLASS, MF_URL, MF__MAX
};

/* The kind and the audience show as checked radio buttons, the class
 * as the option selected (html keys unread: audience).
 * The two radio groups are required by form_read, in their own words. */
static const struct valid_field material_fields[MF__MAX] = {
	{ "kind", valid_kind, 0 },		/* MF_KIND */
	{ "title", valid_title, 1 },		/* MF_TITLE */
	{ "audience", valid_audience, 0 },	/* MF_AUDIENCE */
	{ "class_id", valid_uint, 0 },		/* MF_CLASS */
	{ "url", valid_video_url, 0 },		/* MF_URL */
};

/* What a material is, in the order the form offers them. */
static const struct {
	const char	*value;
	const char	*name;		/* the form's choice, a badge */
	const char	*hint;		/* under the choice */
} kinds[] = {
	{ "document", "Документ", "файл: PDF, документ, таблица Excel, "
	    "презентация, фото" },
	{ "video", "Видео", "ссылка на ВК Видео, Рутуб, Ютуб или сайт "
	    "школы" },
	{ "article", "Статья", "текст, который читают прямо на сайте" },
};
#define KIND_N	(sizeof(kinds) / sizeof(kinds[0]))

/* Whom a material is for, in the order the form offers them. */
static const struct {
	const char	*value;
	const char	*name;		/* the form's choice */
	const char	*words;		/* the page: «Для кого» */
} audiences[] = {
	{ "class", "Один класс: его ученики, их родители и учителя класса",
	    "класс" },
	{ "all", "Вся школа: ученики, родители и учителя",
	    "вся школа: ученики, родители и учителя" },
	{ "staff", "Только учителя", "только учителя" },
};
#define AUDIENCE_N	(sizeof(audiences) / sizeof(audiences[0]))

/* The organization's name, and whether the request's account is the
 * guardian of one of its students (parta.org_children). */
static const struct db_stmt q_guardian = {
	"materials_guardian",
	"SELECT o.short_name, EXISTS (SELECT 1"
	"  FROM parta.org_children(org => o.id,"
	"  account => parta.rls_account())) AS guardian"
	" FROM parta.org o WHERE o.id = $1"
};

/* The classes the person may publish for. */
static const struct db_stmt q_classes = {
	"materials_classes",
	"SELECT id, class_name FROM parta.material_classes($1, $2)"
};

/* Whether $2 may publish in $1 for audience $3 (class $4), and whether
 * teachers may publish for everyone there. */
static const struct db_stmt q_may = {
	"materials_may",
	"SELECT parta.material_may_publish($1, $2, $3, $4) AS may,"
	" coalesce((SELECT s.teachers_all FROM parta.material_setting s"
	"  WHERE s.org_id = $1), false) AS teachers_all"
};

static const struct db_stmt q_setting = {
	"materials_setting",
	"SELECT coalesce((SELECT s.teachers_all FROM parta.material_setting s"
	"  WHERE s.org_id = $1), false) AS teachers_all"
};

/* Set $1's teachers_all to $2 (by $3), locking the organization's row
 * (so two administrators' settings are saved one after the other):
 * whether it changed. */
static const struct db_stmt q_setting_set = {
	"materials_setting_set",
	"WITH old AS (SELECT s.teachers_all FROM parta.material_setting s"
	"  WHERE s.org_id = $1)"
	" INSERT INTO parta.material_setting (org_id, teachers_all, updated_by)"
	" VALUES ($1, $2, $3) ON CONFLICT (org_id) DO UPDATE SET"
	" teachers_all = EXCLUDED.teachers_all,"
	" updated_by = EXCLUDED.updated_by, updated_at = now()"
	" RETURNING coalesce((SELECT teachers_all FROM old), false)"
	"  <> $2::boolean AS changed",
	"PA403"
};

/* The sites whose videos $1 shows in the page (sql/0049_embed). */
static const struct db_stmt q_embed_sites = {
	"materials_embed_sites",
	"SELECT site FROM parta.material_embed WHERE org_id = $1"
	" ORDER BY site COLLATE \"C\""
};

/* Whether $1 shows videos of site $2 (a provider's key or a host). */
static const struct db_stmt q_embed_allowed = {
	"materials_embed_allowed",
	"SELECT EXISTS (SELECT 1 FROM parta.material_embed"
	" WHERE org_id = $1 AND site = $2) AS allowed"
};

static const struct db_stmt q_embed_clear = {
	"materials_embed_clear",
	"DELETE FROM parta.material_embed WHERE org_id = $1",
	"PA403"
};

static const struct db_stmt q_embed_add = {
	"materials_embed_add",
	"INSERT INTO parta.material_embed (org_id, site, added_by)"
	" SELECT $1, s, $3 FROM unnest($2::text[]) s",
	"PA403"
};

static const struct db_stmt q_insert = {
	"materials_insert",
	"INSERT INTO parta.material (org_id, kind, title, audience, class_id,"
	" file_id, url, body, author_id)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
	"PA403"
};

/*
 * A page of the live materials of $1 the request's account reads
 * (parta.material_sees: all of them for its administrator; the operator
 * reads all too), newest first (lib/pager),
 * filtered by kind $2, class $3, author $4 and words $5 of the title
 * (NULL: any): those after material $6 (NULL, or none here: from the
 * newest), $7 rows; with the total under the filters.  The cursor's
 * row comparison, no OR, lets the generic plan walk material_org_time;
 * who reads what is asked once (material_reader), not per row.
 */
static const struct db_stmt q_list = {
	"materials_list",
	"WITH f AS NOT MATERIALIZED (SELECT m.org_id, m.id, m.kind, m.title,"
	"  m.audience, m.class_id, m.author_id, m.created_at"
	"  FROM parta.material_reader($1, parta.rls_account()) rd,"
	"  parta.material m"
	"  WHERE m.org_id = $1 AND m.deleted_at IS NULL"
	"  AND (parta.rls_operator() IS TRUE OR parta.material_sees(rd.role,"
	"   rd.guardian, rd.classes, parta.rls_account(), m.audience,"
	"   m.class_id, m.author_id))"
	"  AND ($2::text IS NULL OR m.kind = $2)"
	"  AND ($3::bigint IS NULL OR m.class_id = $3)"
	"  AND ($4::bigint IS NULL OR m.author_id = $4)"
	"  AND ($5::text IS NULL OR strpos(lower(m.title), lower($5)) > 0))"
	" SELECT t.total, x.* FROM (SELECT count(*) AS total FROM f) t"
	" LEFT JOIN LATERAL (SELECT f.id, f.kind, f.title, f.audience,"
	"  coalesce(parta.class_name(k.grade, k.letter, k.title), '')"
	"   AS class_name,"
	"  coalesce(parta.full_name(a.last_name, a.first_name,"
	"   a.patronymic), '') AS author,"
	"  parta.local_time(f.created_at, r.tz) AS created"
	"  FROM f JOIN parta.org o ON o.id = f.org_id"
	"  JOIN parta.region r ON r.code = o.region"
	"  LEFT JOIN parta.class k ON k.org_id = f.org_id AND k.id = f.class_id"
	"  LEFT JOIN parta.account a ON a.id = f.author_id"
	"  WHERE (f.created_at, f.id) < (SELECT"
	"   coalesce(max(b.created_at), 'infinity'), coalesce(max(b.id), 0)"
	"   FROM parta.material b WHERE b.org_id = $1 AND b.id = $6)"
	"  ORDER BY f.created_at DESC, f.id DESC LIMIT $7) x ON true"
};

/* The classes and authors of the materials the request's account reads
 * in $1, for the list's filters: kind 'class' or 'author', an id, a
 * name. */
static const struct db_stmt q_filters = {
	"materials_filters",
	"SELECT DISTINCT 'class' AS what, k.id,"
	" parta.class_name(k.grade, k.letter, k.title) AS name,"
	" k.grade AS sort_n, k.letter AS sort_t"
	" FROM parta.material_reader($1, parta.rls_account()) rd,"
	" parta.material m"
	" JOIN parta.class k ON k.org_id = m.org_id AND k.id = m.class_id"
	" WHERE m.org_id = $1 AND m.deleted_at IS NULL"
	" AND (parta.rls_operator() IS TRUE OR parta.material_sees(rd.role,"
	"  rd.guardian, rd.classes, parta.rls_account(), m.audience,"
	"  m.class_id, m.author_id))"
	" UNION"
	" SELECT DISTINCT 'author', a.id, parta.full_name(a.last_name,"
	"  a.first_name, a.patronymic), NULL::smallint, a.last_name || ' ' ||"
	"  a.first_name"
	" FROM parta.material_reader($1, parta.rls_account()) rd,"
	" parta.material m"
	" JOIN parta.account a ON a.id = m.author_id"
	" WHERE m.org_id = $1 AND m.deleted_at IS NULL"
	" AND (parta.rls_operator() IS TRUE OR parta.material_sees(rd.role,"
	"  rd.guardian, rd.classes, parta.rls_account(), m.audience,"
	"  m.class_id, m.author_id))"
	" ORDER BY 1, 4 NULLS LAST, 5, 2"
};

/* One live material with what its page shows, whether the person ($3)
 * reads it ($4: the operator reads all) and may change it. */
static const struct db_stmt q_material = {
	"materials_get",
	"SELECT m.kind, m.title, m.audience,"
	" coalesce(m.class_id::text, '') AS class_id,"
	" coalesce(m.url, '') AS url, coalesce(m.body, '') AS body,"
	" coalesce(parta.class_name(k.grade, k.letter, k.title), '')"
	"  AS class_name,"
	" coalesce(parta.full_name(a.last_name, a.first_name, a.patronymic),"
	"  '') AS author, coalesce(a.gender, '') AS author_gender,"
	" parta.local_time(m.created_at, r.tz) AS created,"
	" coalesce(parta.local_time(m.updated_at, r.tz), '') AS updated,"
	" o.short_name AS org_name,"
	" $4::boolean OR parta.material_visible(m.org_id, $3, m.audience,"
	"  m.class_id, m.author_id) AS visible,"
	" parta.material_may_change(m.org_id, $3, m.author_id, m.audience,"
	"  m.class_id) AS may_change,"
	" parta.material_may_delete(m.org_id, $3, m.author_id, m.audience,"
	"  m.class_id) AS may_delete,"
	" f.file_id, f.file_name, f.file_type, f.file_size, f.file_preview"
	" FROM parta.material m JOIN parta.org o ON o.id = m.org_id"
	" JOIN parta.region r ON r.code = o.region"
	" LEFT JOIN parta.class k ON k.org_id = m.org_id AND k.id = m.class_id"
	" LEFT JOIN parta.account a ON a.id = m.author_id"
	" LEFT JOIN parta.file_list f ON f.file_id = m.file_id"
	" WHERE m.org_id = $1 AND m.id = $2 AND m.deleted_at IS NULL"
};

/* The live material locked for a change, and whether $3 may change or
 * delete it (sql/0057: its author deletes it even when they may no
 * longer change it). */
static const struct db_stmt q_lock = {
	"materials_lock",
	"SELECT m.kind, m.title, m.audience,"
	" coalesce(m.class_id::text, '') AS class_id,"
	" coalesce(parta.class_name(k.grade, k.letter, k.title), '')"
	"  AS class_name,"
	" parta.material_may_change(m.org_id, $3, m.author_id, m.audience,"
	"  m.class_id) AS may_change,"
	" parta.material_may_delete(m.org_id, $3, m.author_id, m.audience,"
	"  m.class_id) AS may_delete"
	" FROM parta.material m"
	" LEFT JOIN parta.class k ON k.org_id = m.org_id AND k.id = m.class_id"
	" WHERE m.org_id = $1 AND m.id = $2 AND m.deleted_at IS NULL"
	" FOR UPDATE OF m"
};

static const struct db_stmt q_update = {
	"materials_update",
	"UPDATE parta.material SET title = $3, audience = $4, class_id = $5,"
	" file_id = coalesce($6, file_id), url = $7, body = $8,"
	" updated_at = now() WHERE org_id = $1 AND id = $2",
	"PA403"
};

/* Deleting keeps nothing: the row stays only to say it was deleted. */
static const struct db_stmt q_delete = {
	"materials_delete",
	"UPDATE parta.material SET deleted_at = now(), deleted_by = $3,"
	" title = '', file_id = NULL, url = NULL, body = NULL"
	" WHERE org_id = $1 AND id = $2 AND deleted_at IS NULL",
	"PA403"
};

static const char *
valid_kind(const char *in, char *out, size_t outsz)
{
	return valid_choice(in, out, outsz, &kinds[0].value, KIND_N,
	    sizeof(kinds[0]), "Выберите, что публикуете: документ, видео "
	    "или статью");
}

/* A title: one line of at most MATERIAL_TITLE_MAX characters. */
static const char *
valid_title(const char *in, char *out, size_t outsz)
{
	return valid_line_max(in, out, outsz, MATERIAL_TITLE_MAX,
	    "Не больше 200 символов");
}

/* Words of a title searched for: one line of at most
 * MATERIAL_SEARCH_MAX characters. */
static const char *
valid_search(const char *in, char *out, size_t outsz)
{
	return valid_line_max(in, out, outsz, MATERIAL_SEARCH_MAX,
	    "Не больше 100 символов: сократите запрос");
}

static const char *
valid_audience(const char *in, char *out, size_t outsz)
{
	return valid_choice(in, out, outsz, &audiences[0].value, AUDIENCE_N,
	    sizeof(audiences[0]), "Выберите, для кого материал");
}

/*
 * The host of an http or https URL into host (lower-cased, without a
 * user part or a port): 0, or -1 when url is no such URL.
 */
static int
url_host(const char *url, char *host, size_t hostsz)
{
	const char	*p, *e, *at;
	size_t		 n, i;

	if (strncasecmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (strncasecmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return -1;
	e = p + strcspn(p, "/?#");
	if ((at = memchr(p, '@', (size_t)(e - p))) != NULL)
		p = at + 1;
	n = strcspn(p, ":/?#");
	if (p + n > e)
		n = (size_t)(e - p);
	/* A fully qualified name's final dot names the same host. */
	if (n > 1 && p[n - 1] == '.' && p[n - 2] != '.')
		n--;
	if (n == 0 || n >= hostsz)
		return -1;
	for (i = 0; i < n; i++) {
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-.",
		    p[i] | 0x20) == NULL)
			return -1;
		host[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] | 0x20 :
		    p[i]);
	}
	host[n] = '\0';
	if (strchr(host, '.') == NULL)
		return -1;
	return 0;
}

/* A video's link: http or https with a host, no spaces, at most
 * MATERIAL_URL_MAX bytes. */
static const char *
valid_video_url(const char *in, char *out, size_t outsz)
{
	static const char	 bad[] = "Вставьте ссылку на видео целиком, "
	    "начиная с https://";
	char			 host[256], typed[MATERIAL_URL_MAX + 1];
	size_t			 n, i, k;

	while (*in == ' ')
		in++;
	n = strlen(in);
	while (n > 0 && in[n - 1] == ' ')
		n--;
	if (n > MATERIAL_URL_MAX || n >= outsz)
		return "Слишком длинная ссылка";
	/* A space inside, as a browser's address bar shows one, is
	 * written %20 as the browser sends it. */
	for (i = 0, k = 0; i < n; i++) {
		if ((unsigned char)in[i] < ' ' || in[i] == 0x7f)
			return bad;
		if (k + 4 > outsz)
			return "Слишком длинная ссылка";
		if (in[i] == ' ') {
			memcpy(out + k, "%20", 3);
			k += 3;
		} else
			out[k++] = in[i];
	}
	out[k] = '\0';
	n = k;
	if (n > MATERIAL_URL_MAX)
		return "Слишком длинная ссылка";
	if (strncasecmp(out, "https://", 8) != 0 &&
	    strncasecmp(out, "http://", 7) != 0)
		return bad;
	/* Stored in one form: a host in Cyrillic (видео.школа.рф) as its
	 * ASCII name, as links and allowed hosts are compared (lib/embed);
	 * shown to people in Cyrillic again. */
	memcpy(typed, out, n + 1);
	/* As stored, each byte past ASCII is three (%D1): too long then is
	 * too long, not a link without a host. */
	for (i = 0, k = n; i < n; i++)
		k += (unsigned char)typed[i] >= 0x80 ? 2 : 0;
	if (k > MATERIAL_URL_MAX)
		return "Слишком длинная ссылка";
	if (embed_url_canonical(typed, out, outsz) == -1 ||
	    url_host(out, host, sizeof(host)) == -1)
		return "В ссылке нет адреса сайта: проверьте, что после "
		    "https:// написано имя сайта, например "
		    "https://rutube.ru/video/… или https://видео.школа.рф/…";
	if (strlen(out) > MATERIAL_URL_MAX)
		return "Слишком длинная ссылка";
	return NULL;
}

/* What a person calls the host of a video's link: a provider's name as
 * people say it (lib/embed: «ВК Видео», «Рутуб», «Ютуб»), or the host
 * itself without "www.". */
static const char *
video_host(struct http_req *r, const char *url)
{
	const char	*name;
	char		 host[256], shown[1024];

	if (url_host(url, host, sizeof(host)) == -1)
		return "";
	if ((name = embed_host_name(host)) != NULL)
		return name;
	/* In the script it was typed in (видео.школа.рф), never as
	 * xn--...: lib/embed. */
	embed_host_unicode(host, shown, sizeof(shown));
	return pool_strdup(r->pool, strncmp(shown, "www.", 4) == 0 ?
	    shown + 4 : shown);
}

/* A stored video link as people typed it (lib/embed: its host and
 * path in their own script), for the form.  From r's pool. */
static const char *
video_url_shown(struct http_req *r, const char *url)
{
	char	 shown[4 * MATERIAL_URL_MAX + 1];

	return pool_strdup(r->pool, embed_url_readable(url, shown,
	    sizeof(shown)));
}

static const char *
kind_name(const char *value)
{
	size_t	 i;

	for (i = 0; i < KIND_N; i++)
		if (strcmp(value, kinds[i].value) == 0)
			return kinds[i].name;
	return "";
}

/* Whom a material is for, as its page and the list say it. */
static const char *
audience_words(struct http_req *r, const char *value, const char *cls)
{
	size_t	 i;

	if (strcmp(value, "class") == 0)
		return pool_printf(r->pool, "класс %s: его ученики, их "
		    "родители и учителя", cls);
	for (i = 0; i < AUDIENCE_N; i++)
		if (strcmp(value, audiences[i].value) == 0)
			return audiences[i].words;
	return "";
}

/* 1 if a link of an article may stay a link: http, https, mailto. */
static int
link_allowed(const char *url)
{
	return url != NULL && (strncasecmp(url, "https://", 8) == 0 ||
	    strncasecmp(url, "http://", 7) == 0 ||
	    strncasecmp(url, "mailto:", 7) == 0);
}

/*
 * The words of a refusal when an article's text has a link whose
 * address article_html would not keep as a link (link_allowed: no
 * scheme, as «www.uchi.ru», or another one), naming the first such; NULL
 * when every link is kept or cmark fails (article_html then says so).
 * From r's pool.
 */
static const char *
article_bad_link(struct http_req *r, const char *text)
{
	cmark_node		*doc, *node;
	cmark_iter		*it;
	cmark_event_type	 ev;
	const char		*url, *bad = NULL;

	if ((doc = cmark_parse_document(text, strlen(text),
	    CMARK_OPT_VALIDATE_UTF8)) == NULL)
		return NULL;
	it = cmark_iter_new(doc);
	while (bad == NULL &&
	    (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(node) != CMARK_NODE_LINK)
			continue;
		url = cmark_node_get_url(node);
		if (link_allowed(url))
			continue;
		bad = url == NULL || url[0] == '\0' ? "У ссылки нет адреса: "
		    "впишите его в скобках, начиная с https://, например "
		    "[текст](https://uchi.ru)" : strchr(url, ':') != NULL ?
		    pool_printf(r->pool, "Ссылка «%s» не откроется: "
		    "в статье работают только адреса, начинающиеся с "
		    "https://, например [текст](https://uchi.ru)", url) :
		    pool_printf(r->pool, "Ссылка «%s» не откроется: начните "
		    "адрес с https://, например [текст](https://%s)", url,
		    url);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	return bad;
}

/*
 * What replaces raw HTML in an article (cmark's html_inline or
 * html_block node raw): its characters as text, shown as the author
 * typed them -- «<b>Важно</b>» reads so on the page, escaped by cmark's
 * renderer like any text.  Never passed through as HTML, and never
 * dropped: cmark's own safe mode leaves out raw HTML silently, and a
 * teacher would lose a sentence without knowing (an informatics
 * teacher's article about <div> is text, too).  A block becomes a
 * paragraph, its lines kept.  NULL when cmark cannot make a node.
 */
static cmark_node *
article_literal(cmark_node *raw)
{
	cmark_node	*out, *t;
	const char	*s = cmark_node_get_literal(raw), *e;
	char		*line;
	size_t		 n, len;

	if (s == NULL)
		s = "";
	if (cmark_node_get_type(raw) == CMARK_NODE_HTML_INLINE) {
		if ((out = cmark_node_new(CMARK_NODE_TEXT)) == NULL ||
		    !cmark_node_set_literal(out, s)) {
			cmark_node_free(out);
			return NULL;
		}
		return out;
	}
	if ((out = cmark_node_new(CMARK_NODE_PARAGRAPH)) == NULL)
		return NULL;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	for (e = s + n;;) {
		len = strcspn(s, "\n");
		if (s + len > e)
			len = (size_t)(e - s);
		if ((line = strndup(s, len)) == NULL)
			goto fail;
		line[strcspn(line, "\r")] = '\0';
		t = cmark_node_new(CMARK_NODE_TEXT);
		if (t == NULL || !cmark_node_set_literal(t, line) ||
		    !cmark_node_append_child(out, t)) {
			free(line);
			cmark_node_free(t);
			goto fail;
		}
		free(line);
		if ((s += len) >= e)
			break;
		s++;
		if ((t = cmark_node_new(CMARK_NODE_LINEBREAK)) == NULL ||
		    !cmark_node_append_child(out, t)) {
			cmark_node_free(t);
			goto fail;
		}
	}
	return out;
fail:
	cmark_node_free(out);
	return NULL;
}

/*
 * An article's text as HTML, by cmark: CommonMark (paragraphs,
 * headings, lists, links, emphasis; a line break is kept), raw HTML
 * shown as the text it is (article_literal: never passed through, never
 * lost), a link whose address is not http, https or mailto and every
 * image replaced by their text.  NULL when cmark fails (logged).  From
 * r's pool.
 */
static const char *
article_html(struct http_req *r, const char *text)
{
	cmark_node		*doc, *node, *child, **drop = NULL, **more;
	cmark_iter		*it;
	cmark_event_type	 ev;
	size_t			 n = 0, cap = 0, i;
	char			*html;
	const char		*out;
	const int		 opts = CMARK_OPT_HARDBREAKS |
	    CMARK_OPT_VALIDATE_UTF8;

	if ((doc = cmark_parse_document(text, strlen(text), opts)) == NULL) {
		log_err("materials", "cmark: cannot parse an article");
		return NULL;
	}
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		/* The page's title is its one h1: the article's headings
		 * start at h2. */
		if (cmark_node_get_type(node) == CMARK_NODE_HEADING &&
		    cmark_node_get_heading_level(node) < 6)
			cmark_node_set_heading_level(node,
			    cmark_node_get_heading_level(node) + 1);
		if (cmark_node_get_type(node) == CMARK_NODE_IMAGE ||
		    cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE ||
		    cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK ||
		    (cmark_node_get_type(node) == CMARK_NODE_LINK &&
		    !link_allowed(cmark_node_get_url(node)))) {
			if (n == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				more = pool_alloc(r->pool, cap * sizeof(*more));
				if (n > 0)
					memcpy(more, drop, n * sizeof(*more));
				drop = more;
			}
			drop[n++] = node;
		}
	}
	cmark_iter_free(it);
	/* Outer first: a dropped link's children move out before it goes,
	 * an image inside it with them. */
	for (i = 0; i < n; i++) {
		if (cmark_node_get_type(drop[i]) == CMARK_NODE_HTML_INLINE ||
		    cmark_node_get_type(drop[i]) == CMARK_NODE_HTML_BLOCK) {
			if ((child = article_literal(drop[i])) == NULL ||
			    !cmark_node_replace(drop[i], child)) {
				cmark_node_free(child);
				cmark_node_free(doc);
				log_err("materials", "cmark: cannot keep an "
				    "article's raw HTML as text");
				return NULL;
			}
			cmark_node_free(drop[i]);
			continue;
		}
		while ((child = cmark_node_first_child(drop[i])) != NULL)
			if (!cmark_node_insert_before(drop[i], child)) {
				cmark_node_free(child);
			}
		cmark_node_free(drop[i]);
	}
	html = cmark_render_html(doc, opts);
	cmark_node_free(doc);
	if (html == NULL) {
		log_err("materials", "cmark: cannot render an article");
		return NULL;
	}
	out = pool_strdup(r->pool, html);
	free(html);
	return out;
}

/*
 * The person's standing to read the organization's materials: a member
 * or the operator (r->org set, *c with the organization's menu), or a
 * guardian of one of its students (r->org NULL, *c without the menu).
 * Anyone else 404.  0, or an HTTP status.
 */
static struct db_query	*reader_send(struct http_req *);
static int		 reader_read(struct http_req *, const char *,
			    struct db_query *, struct html_ctx **);

static int
reader_ctx(struct http_req *r, const char *title, struct html_ctx **c)
{
	return reader_read(r, title, NULL, c);
}

/* The statement reader_read asks whether the person is a guardian by,
 * queued (lib/db.h): it reads for the request's account, so it may go
 * before the session is known (APP_ONE_TRIP). */
static struct db_query *
reader_send(struct http_req *r)
{
	return db_send(&q_guardian, PGRES_TUPLES_OK, app_num(r, r->id[0]));
}

/* As reader_ctx, the guardian's statement queued as guardian
 * (reader_send; NULL: asked here when it applies). */
static int
reader_read(struct http_req *r, const char *title, struct db_query *guardian,
    struct html_ctx **c)
{
	PGresult		*res;

	/* A member or the operator: loaded by the dispatcher (APP_GUEST). */
	if (r->org != NULL) {
		*c = org_page_ctx(r, title);
		return 0;
	}
	if (guardian == NULL)
		guardian = reader_send(r);
	if ((res = db_result(guardian)) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1 || !db_getbool(res, 0, "guardian"))
		return HTTP_NOT_FOUND;
	*c = org_guest_ctx(r, r->id[0], db_get(res, 0, "short_name"), title);
	return 0;
}

/*
 * The administrator's settings form as sent, kept for a 422: whether
 * teachers publish for the whole school, and the sites whose videos show
 * in the page -- the providers ticked (embed_vk, embed_rutube,
 * embed_youtube) and the school's own hosts typed (embed_hosts).
 */
struct settings_form {
	int		 teachers_all;
	int		 tick[EMBED_OWN];	/* by enum embed_site */
	const char	*hosts;		/* as typed, or stored one a line */
	/* The keys of the providers ticked and the hosts. */
	const char	*sites[EMBED_OWN + EMBED_HOSTS_MAX];
	size_t		 n;
	const char	*error;		/* next to embed_hosts */
};

/* The providers, in the order the form offers them. */
static const enum embed_site providers[] = {
	EMBED_VK, EMBED_RUTUBE, EMBED_YOUTUBE,
};
#define PROVIDER_N	(sizeof(providers) / sizeof(providers[0]))
#define EMBED_HOSTS_TYPED	3000	/* bytes of the hosts field */

static int	embed_stored_read(struct http_req *, struct db_query *,
		    struct settings_form *);

/* The sites org shows videos from now, into f (f->sites: sorted as
 * strcmp sorts). 0, or an HTTP status. */
static int
embed_stored(struct http_req *r, long long org, struct settings_form *f)
{
	return embed_stored_read(r, db_send(&q_embed_sites, PGRES_TUPLES_OK,
	    app_num(r, org)), f);
}

/* The same from its statement, sent with others (lib/db.h). */
static int
embed_stored_read(struct http_req *r, struct db_query *q,
    struct settings_form *f)
{
	PGresult	*res;
	struct buf	 b;
	const char	*site;
	int		 k;
	char		 shown[1024];

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	buf_init(&b);
	for (k = 0; k < PQntuples(res) && f->n < sizeof(f->sites) /
	    sizeof(f->sites[0]); k++) {
		site = db_get(res, k, "site");
		f->sites[f->n++] = site;
		if (embed_site_of_key(site) != EMBED_NONE)
			f->tick[embed_site_of_key(site)] = 1;
		else
			buf_printf(&b, "%s%s", b.len > 0 ? "\n" : "",
			    embed_host_unicode(site, shown, sizeof(shown)));
	}
	buf_putc(&b, '\0');
	f->hosts = pool_strdup(r->pool, b.data);
	buf_free(&b);
	return 0;
}

static int
site_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sites of the settings form into f (sorted as strcmp sorts):
 * 0, or -1 with f->error set (a host that is none, too many). */
static int
embed_read(struct http_req *r, struct settings_form *f)
{
	const char	*v, *e;
	char		*copy, *tok, *save = NULL, host[EMBED_HOST_MAX + 1];
	size_t		 i, j, nhosts = 0;

	for (i = 0; i < PROVIDER_N; i++) {
		v = http_form(r, pool_printf(r->pool, "embed_%s",
		    embed_site_key(providers[i])));
		if (v != NULL && strcmp(v, "1") == 0) {
			f->tick[providers[i]] = 1;
			f->sites[f->n++] = embed_site_key(providers[i]);
		}
	}
	f->hosts = (v = http_form(r, "embed_hosts")) != NULL ? v : "";
	if (strlen(f->hosts) > EMBED_HOSTS_TYPED) {
		f->error = "Слишком длинный список";
		return -1;
	}
	copy = pool_strdup(r->pool, f->hosts);
	for (tok = strtok_r(copy, " \t\r\n,;", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n,;", &save)) {
		if ((e = embed_valid_host(tok, host, sizeof(host))) != NULL) {
			f->error = pool_printf(r->pool, "«%s»: %s", tok, e);
			return -1;
		}
		for (j = 0; j < f->n; j++)
			if (strcmp(f->sites[j], host) == 0)
				break;
		if (j < f->n)
			continue;
		if (++nhosts > EMBED_HOSTS_MAX) {
			f->error = pool_printf(r->pool, "Не больше %d сайтов "
			    "школы", EMBED_HOSTS_MAX);
			return -1;
		}
		f->sites[f->n++] = pool_strdup(r->pool, host);
	}
	qsort(f->sites, f->n, sizeof(f->sites[0]), site_cmp);
	return 0;
}

/* The settings form's values (f) into c; a box a provider, named
 * embed_KEY (html keys: embed_vk embed_rutube embed_youtube.). */
static void
settings_ctx(struct http_req *r, struct html_ctx *c,
    const struct settings_form *f)
{
	size_t	 i;

	html_set_bool(c, "show_setting", 1);
	html_set_bool(c, "teachers_all", f->teachers_all);
	for (i = 0; i < PROVIDER_N; i++)
		html_set_bool(c, pool_printf(r->pool, "embed_%s",
		    embed_site_key(providers[i])), f->tick[providers[i]]);
	html_set_str(c, "embed_hosts", f->hosts);
	if (f->error != NULL)
		html_set_str(c, "embed_error", f->error);
}

/*
 * A filter of the list from the query: a positive number (NULL when
 * absent or empty; *bad when it is something else).
 */
static const char *
filter_num(struct http_req *r, const char *name, int *bad)
{
	const char	*v = http_query(r, name);
	char		 num[24];

	if (v == NULL || v[0] == '\0')
		return NULL;
	if (valid_uint(v, num, sizeof(num)) != NULL) {
		*bad = 1;
		return NULL;
	}
	return pool_strdup(r->pool, num);
}

/*
 * GET /org/N/materials[?kind=&class=&author=&q=&after=ID]
 * Members, the operator and the guardians of the organization's
 * students (anyone else 404).  The materials the person reads, newest
 * first, 50 a page (lib/pager), with how many there are under the
 * filters (kind, class, author, words of the title); those who may
 * publish get the way to, the administrator the settings.  A
 * filter or cursor no page sends: 400.  Words past the limit: 422, kept
 * in the box with the limit next to it, nothing found.
 */
static int
materials_list(struct http_req *r)
{
	return list_page(r, HTTP_OK, NULL);
}

/* The list with status; kept: the administrator's settings form as
 * sent (a 422), NULL for the settings as they are. */
static int
list_page(struct http_req *r, int status, const struct settings_form *kept)
{
	struct settings_form	 now;
	struct html_ctx	*c, *item;
	struct pager	 pg;
	PGresult	*res;
	struct db_query	*setting = NULL, *sites = NULL, *filters = NULL;
	struct db_query	*list = NULL, *guardian;
	const char	*kind, *cls, *author, *q = NULL, *q_error = NULL;
	const char	*org = app_num(r, r->id[0]);
	char		 qbuf[VALID_MAX];
	size_t		 i;
	int		 rc, bad = 0, n, k, answered;

	cls = filter_num(r, "class", &bad);
	author = filter_num(r, "author", &bad);
	kind = http_query(r, "kind");
	if (kind != NULL && kind[0] == '\0')
		kind = NULL;
	if (bad || (kind != NULL && kind_name(kind)[0] == '\0'))
		bad = HTTP_BAD_REQUEST;
	if (bad == 0) {
		q = http_query(r, "q");
		if (q != NULL && q[strspn(q, " \t")] == '\0')
			q = NULL;		/* blank: no search */
		else if (q != NULL && (q_error = valid_search(q, qbuf,
		    sizeof(qbuf))) == NULL)
			q = pool_strdup(r->pool, qbuf);
		bad = pager_read(r, &pg, pager_path(r, pool_printf(r->pool,
		    "/org/%s/materials", org), "kind", kind, "class", cls,
		    "author", author, "q", q, NULL));
	}
	/* The page's statements with the session's lookup (APP_ONE_TRIP),
	 * whoever asks: whether the person is a guardian is read for one
	 * who is no member only, the settings for the administrator. */
	guardian = reader_send(r);
	if (bad == 0) {
		if (kept == NULL) {
			setting = db_send(&q_setting, PGRES_TUPLES_OK, org);
			sites = db_send(&q_embed_sites, PGRES_TUPLES_OK, org);
		}
		filters = db_send(&q_filters, PGRES_TUPLES_OK, org);
		if (q_error == NULL)
			list = db_send(&q_list, PGRES_TUPLES_OK, org, kind,
			    cls, author, q, pg.after,
			    app_num(r, PAGER_SIZE + 1));
	}
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	if ((rc = reader_read(r, "Материалы", guardian, &c)) != 0)
		return rc;
	/* A filter or cursor no page sends. */
	if (bad != 0)
		return bad;
	if (r->org == NULL || !r->org->is_admin)
		setting = NULL;

	html_set_bool(c, "may_publish", r->org != NULL && !r->org->is_operator
	    && !r->org->is_student);
	html_set_bool(c, "is_guest", r->org == NULL);
	html_set_bool(c, "deleted", http_query(r, "deleted") != NULL);
	html_set_bool(c, "saved", http_query(r, "saved") != NULL);
	if (setting != NULL) {
		if ((res = db_result(setting)) == NULL)
			return app_db_error();
		memset(&now, 0, sizeof(now));
		now.teachers_all = db_getbool(res, 0, "teachers_all");
		if ((rc = embed_stored_read(r, sites, &now)) != 0)
			return rc;
		settings_ctx(r, c, &now);
	} else if (r->org != NULL && r->org->is_admin)
		settings_ctx(r, c, kept);

	/* The filters' choices, the chosen ones selected. */
	for (i = 0; i < KIND_N; i++) {
		item = html_list_add(c, "kinds");
		html_set_str(item, "value", kinds[i].value);
		html_set_str(item, "name", kinds[i].name);
		html_set_bool(item, "selected", kind != NULL &&
		    strcmp(kind, kinds[i].value) == 0);
	}
	if ((res = db_result(filters)) == NULL)
		return app_db_error();
	html_list_init(c, "f_classes");
	html_list_init(c, "f_authors");
	for (k = 0; k < PQntuples(res); k++) {
		int	 is_class = strcmp(db_get(res, k, "what"), "class") == 0;
		const char *sel = is_class ? cls : author;

		item = html_list_add(c, is_class ? "f_classes" : "f_authors");
		html_set_str(item, "id", db_get(res, k, "id"));
		html_set_str(item, "name", db_get(res, k, "name"));
		html_set_bool(item, "selected", sel != NULL &&
		    strcmp(sel, db_get(res, k, "id")) == 0);
	}
	if (q != NULL)
		html_set_str(c, "q", q);
	html_set_bool(c, "filtered", kind != NULL || cls != NULL ||
	    author != NULL || q != NULL);
	html_set_bool(c, "after", pg.after != NULL);
	html_list_init(c, "materials");
	if (q_error != NULL) {
		html_set_str(c, "q_error", q_error);
		return app_page(r, HTTP_UNPROCESSABLE, "materials", c);
	}

	if ((res = db_result(list)) == NULL)
		return app_db_error();
	n = pager_ctx(r, c, &pg, res, "id", "материал", "материала",
	    "материалов");
	for (k = 0; k < n; k++) {
		item = html_list_add(c, "materials");
		app_set_cols(item, res, k, "id", "title", "author", "created",
		    NULL);
		html_set_str(item, "kind_name", kind_name(db_get(res, k,
		    "kind")));
		html_set_str(item, "kind", db_get(res, k, "kind"));
		html_set_str(item, "for_whom", strcmp(db_get(res, k,
		    "audience"), "class") == 0 ? db_get(res, k, "class_name") :
		    strcmp(db_get(res, k, "audience"), "staff") == 0 ?
		    "учителя" : "вся школа");
	}
	return app_page(r, status, "materials", c);
}

/*
 * The material form's choices into c: the kinds (kind chosen), the
 * audiences the person may choose (aud chosen; the class audience only
 * with classes to offer, the school only for whom it is allowed), the
 * classes (cls chosen), and for a change (now, else NULL) the material's
 * own audience and class too; may_publish when there is anything to
 * choose.  0, or an HTTP status.
 */
static int
form_ctx(struct http_req *r, struct html_ctx *c, const char *kind,
    const char *aud, const char *cls, const struct material_now *now)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*item;
	PGresult		*res, *set;
	size_t			 i;
	int			 k, nclass, school, found = 0, rc;
	long long		 user_left, org_left;
	char			 w[32];

	/* The limits shown by the file field: a file's, and what is left
	 * of the person's own quota and of the school's, the smaller (a
	 * material's file counts in both). */
	html_set_int(c, "upload_max_bytes", (long long)config->max_upload);
	html_set_str(c, "upload_max", ru_size_words(w, sizeof(w),
	    (long long)config->max_upload));
	if ((rc = file_room(r, a->id, &user_left, &org_left)) != 0)
		return rc;
	html_set_str(c, "quota_left", ru_size_words(w, sizeof(w),
	    org_left < user_left ? org_left : user_left));
	html_set_bool(c, "school_quota", org_left < user_left);

	if ((res = db_exec(&q_classes, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if ((set = db_exec(&q_setting, PGRES_TUPLES_OK,
	    app_num(r, a->id))) == NULL)
		return app_db_error();
	nclass = PQntuples(res);
	for (k = 0; now != NULL && k < nclass; k++)
		if (strcmp(now->class_id, db_get(res, k, "id")) == 0)
			found = 1;
	school = a->is_admin || db_getbool(set, 0, "teachers_all");
	html_set_bool(c, "may_publish", nclass > 0 || school);
	html_set_bool(c, "teachers_all", db_getbool(set, 0, "teachers_all"));
	for (i = 0; i < KIND_N; i++) {
		item = html_list_add(c, "kinds");
		html_set_str(item, "value", kinds[i].value);
		html_set_str(item, "name", kinds[i].name);
		html_set_str(item, "hint", kinds[i].hint);
		html_set_bool(item, "selected", kind != NULL ?
		    strcmp(kind, kinds[i].value) == 0 : i == 0);
	}
	if (aud == NULL)
		aud = nclass > 0 ? "class" : "all";
	for (i = 0; i < AUDIENCE_N; i++) {
		if (((strcmp(audiences[i].value, "class") == 0 && nclass == 0) ||
		    (strcmp(audiences[i].value, "all") == 0 && !school) ||
		    (strcmp(audiences[i].value, "staff") == 0 &&
		    !a->is_admin)) && (now == NULL ||
		    strcmp(now->audience, audiences[i].value) != 0))
			continue;
		item = html_list_add(c, "audiences");
		html_set_str(item, "value", audiences[i].value);
		html_set_str(item, "name", audiences[i].name);
		html_set_bool(item, "selected",
		    strcmp(aud, audiences[i].value) == 0);
	}
	html_list_init(c, "classes");
	for (k = 0; k < nclass; k++) {
		item = html_list_add(c, "classes");
		html_set_str(item, "id", db_get(res, k, "id"));
		html_set_str(item, "name", db_get(res, k, "class_name"));
		html_set_bool(item, "selected", cls != NULL &&
		    strcmp(cls, db_get(res, k, "id")) == 0);
	}
	if (now != NULL && now->class_id[0] != '\0' && !found) {
		item = html_list_add(c, "classes");
		html_set_str(item, "id", now->class_id);
		html_set_str(item, "name", now->class_name);
		html_set_bool(item, "selected", cls != NULL &&
		    strcmp(cls, now->class_id) == 0);
	}
	return 0;
}

/* The new material's page with status (the form's values in c). */
static int
new_page(struct http_req *r, struct html_ctx *c, int status,
    const char *kind, const char *aud, const char *cls)
{
	int	 rc;

	html_set_bool(c, "is_new", 1);
	html_set_str(c, "form_action", pool_printf(r->pool,
	    "/org/%lld/materials/new", r->org->id));
	html_set_str(c, "form_button", "Опубликовать");
	if ((rc = form_ctx(r, c, kind, aud, cls, NULL)) != 0)
		return rc;
	return app_page(r, status, "material_new", c);
}

/*
 * GET /org/N/materials/new
 * The administrator and teachers (students and the operator 403).  The
 * form: kind, title, for whom, the class, and the file, link or text;
 * a teacher without a class (and not allowed to publish for everyone)
 * is told whom to ask.
 */
static int
material_new_form(struct http_req *r)
{
	return new_page(r, org_page_ctx(r, "Новый материал"), HTTP_OK,
	    NULL, NULL, NULL);
}

/* The uploaded file of field "file", or NULL when none was chosen (a
 * form sends an empty part then). */
static const struct http_file *
form_file(const struct http_req *r)
{
	const struct http_file	*f = http_file_get(&r->files, "file");

	if (f == NULL || (f->len == 0 && f->filename[0] == '\0'))
		return NULL;
	return f;
}

/*
 * Read and check the material form into v and c (app_form; the article's
 * text, longer than a field, as body): the audience and class are ones
 * the person may publish for, or for a change (kind and now set, else
 * NULL) the material's own; what the kind needs is there (need_file: a
 * new document).  A field's error goes next to it.  *errors gets their
 * number; 0, or an HTTP status.
 */
static int
form_read(struct http_req *r, struct html_ctx *c, struct valid_result *v,
    const char *kind, const struct material_now *now, int need_file,
    const char **body, int *errors)
{
	const struct org_access	*a = r->org;
	PGresult		*res;
	const char		*e;
	char			*text;
	size_t			 chars;

	*errors = app_form(r, material_fields, MF__MAX, v, c);
	if (kind != NULL && v[MF_KIND].error != NULL) {
		/* A change keeps the kind: its form has no such field. */
		html_set_str(c, "kind_error", "");
		(*errors)--;
	} else if (kind == NULL && v[MF_KIND].error == NULL &&
	    v[MF_KIND].value[0] == '\0') {
		html_set_str(c, "kind_error", valid_kind("", NULL, 0));
		(*errors)++;
	}
	if (kind == NULL)
		kind = v[MF_KIND].error == NULL ? v[MF_KIND].value : "";
	html_set_str(c, "material_title", v[MF_TITLE].value);
	if (v[MF_AUDIENCE].error == NULL && v[MF_AUDIENCE].value[0] == '\0') {
		v[MF_AUDIENCE].error = valid_audience("", NULL, 0);
		html_set_str(c, "audience_error", v[MF_AUDIENCE].error);
		(*errors)++;
	}
	*body = NULL;
	text = pool_strdup(r->pool, http_form(r, "body") != NULL ?
	    http_form(r, "body") : "");
	if (strcmp(kind, "article") == 0) {
		if ((e = valid_message(text, MATERIAL_BODY_MAX, &chars)) !=
		    NULL) {
			if (strcmp(e, VALID_E_TEXT_EMPTY) == 0)
				e = "Напишите текст статьи";
			else if (strcmp(e, VALID_E_TEXT_LONG) == 0)
				e = pool_printf(r->pool, "Не больше %d "
				    "символов (сейчас %zu)", MATERIAL_BODY_MAX,
				    chars);
			html_set_str(c, "body_error", e);
			(*errors)++;
		} else if ((e = article_bad_link(r, text)) != NULL) {
			html_set_str(c, "body_error", e);
			(*errors)++;
		} else
			*body = text;
	}
	html_set_str(c, "body", text);
	if (strcmp(kind, "video") == 0 && v[MF_URL].error == NULL &&
	    v[MF_URL].value[0] == '\0') {
		html_set_str(c, "url_error", "Вставьте ссылку на видео");
		(*errors)++;
	}
	if (http_file_count(&r->files, "file") > 1) {
		html_set_str(c, "file_error", VALID_E_ONE_FILE);
		(*errors)++;
	} else if (strcmp(kind, "document") == 0 && need_file &&
	    form_file(r) == NULL) {
		html_set_str(c, "file_error", "Выберите файл");
		(*errors)++;
	}
	if (v[MF_AUDIENCE].error != NULL || v[MF_CLASS].error != NULL)
		return 0;
	if (strcmp(v[MF_AUDIENCE].value, "class") == 0 &&
	    v[MF_CLASS].value[0] == '\0') {
		html_set_str(c, "class_id_error", "Выберите класс");
		(*errors)++;
		return 0;
	}
	if (strcmp(v[MF_AUDIENCE].value, "class") != 0)
		v[MF_CLASS].value[0] = '\0';
	if (now != NULL && strcmp(v[MF_AUDIENCE].value, now->audience) == 0 &&
	    strcmp(v[MF_CLASS].value, now->class_id) == 0)
		return 0;
	if ((res = db_exec(&q_may, PGRES_TUPLES_OK, app_num(r, a->id),
	    app_num(r, r->user->id), v[MF_AUDIENCE].value,
	    v[MF_CLASS].value[0] != '\0' ? v[MF_CLASS].value : NULL)) == NULL)
		return app_db_error();
	if (db_getbool(res, 0, "may"))
		return 0;
	(*errors)++;
	if (strcmp(v[MF_AUDIENCE].value, "class") == 0)
		html_set_str(c, "class_id_error", "Выберите класс из списка: "
		    "учитель публикует для классов, где ведёт уроки");
	else if (strcmp(v[MF_AUDIENCE].value, "staff") == 0)
		html_set_str(c, "audience_error", "Только для учителей "
		    "публикует администратор");
	else
		html_set_str(c, "audience_error", "Для всей школы публикует "
		    "администратор (учителю — если администратор разрешил)");
	return 0;
}

/*
 * Keep the form's file for the material (lib/file, charged to the
 * organization): 0 with its id in *id; a refusal of the file (422,
 * 413 over a limit, 429 while another photo of the person converts)
 * with its words next to the field, *status set; or an HTTP status.
 */
static int
form_file_keep(struct http_req *r, struct html_ctx *c, long long *id,
    int *status)
{
	const char	*err = NULL;
	int		 rc;

	*status = 0;
	rc = file_accept(r, form_file(r), FILE_ORG, r->org->id, id, &err);
	if (rc == HTTP_UNPROCESSABLE || rc == HTTP_TOO_LARGE ||
	    rc == HTTP_TOO_MANY || (rc == HTTP_UNAVAILABLE && err != NULL)) {
		/* Named by file_accept. */
		html_set_str(c, "file_error", err != NULL ? err :
		    "Этот файл нельзя сохранить");
		*status = rc;
		return 0;
	}
	return rc;
}

/*
 * POST /org/N/materials/new   fields: kind (document|video|article)
 *   title audience (all|staff|class) class_id, and file (a document,
 *   multipart), url (a video) or body (an article)
 * The administrator and teachers, for the audiences they may publish
 * for (sql/0042); students and the operator 403.  Publishes the
 * material and audits it; 303 to its page.  Bad fields: 422 with the
 * form, values kept (a file must be chosen again); a file over a limit:
 * 413 with what is left.
 */
static int
material_create(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct valid_result	 v[MF__MAX];
	struct html_ctx		*c;
	PGresult		*res;
	const char		*body, *kind, *id;
	long long		 file_id = 0;
	int			 rc, errors, status;

	c = org_page_ctx(r, "Новый материал");
	if ((rc = form_read(r, c, v, NULL, NULL, 1, &body, &errors)) != 0)
		return rc;
	kind = v[MF_KIND].value;
	html_set_str(c, "title", "Новый материал");
	if (errors > 0) {
		html_set_bool(c, "form_errors", 1);
		return new_page(r, c, HTTP_UNPROCESSABLE, kind,
		    v[MF_AUDIENCE].value, v[MF_CLASS].value);
	}
	if (db_begin() == -1)
		return app_db_error();
	if (strcmp(kind, "document") == 0) {
		if ((rc = form_file_keep(r, c, &file_id, &status)) != 0)
			return rc;
		if (status != 0) {
			app_rollback();
			html_set_bool(c, "form_errors", 1);
			return new_page(r, c, status, kind,
			    v[MF_AUDIENCE].value, v[MF_CLASS].value);
		}
	}
	res = db_exec(&q_insert, PGRES_TUPLES_OK, app_num(r, a->id), kind,
	    v[MF_TITLE].value, v[MF_AUDIENCE].value,
	    v[MF_CLASS].value[0] != '\0' ? v[MF_CLASS].value : NULL,
	    file_id > 0 ? app_num(r, file_id) : NULL,
	    strcmp(kind, "video") == 0 ? v[MF_URL].value : NULL,
	    strcmp(kind, "article") == 0 ? body : NULL,
	    app_num(r, r->user->id));
	if (res == NULL && strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0)
		return HTTP_FORBIDDEN;
	if (res == NULL)
		return app_db_error();
	id = pool_strdup(r->pool, db_get(res, 0, "id"));
	if (audit_write(a->id, r->user->id, "material_create", 0,
	    pool_printf(r->pool, "%s «%s»", kind_name(kind),
	    v[MF_TITLE].value)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/materials/%s",
	    a->id, id));
}

/*
 * The sites f names as the audit says them, the providers first in the
 * form's order: «ВК Видео, Ютуб, video.school.ru», or "" for none.
 */
static const char *
embed_words(struct http_req *r, const struct settings_form *f)
{
	char		 shown[1024];
	struct buf	 b;
	const char	*out;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < PROVIDER_N; i++)
		if (f->tick[providers[i]])
			buf_printf(&b, "%s%s", b.len > 0 ? ", " : "",
			    embed_site_name(providers[i]));
	for (i = 0; i < f->n; i++)
		if (embed_site_of_key(f->sites[i]) == EMBED_NONE)
			buf_printf(&b, "%s%s", b.len > 0 ? ", " : "",
			    embed_host_unicode(f->sites[i], shown,
			    sizeof(shown)));
	buf_putc(&b, '\0');
	out = pool_strdup(r->pool, b.data);
	buf_free(&b);
	return out;
}

/* Save f's sites as org's when they differ from what is stored, audited
 * (in the transaction of q_setting_set, whose lock on the organization's
 * setting row keeps two administrators' saves apart).  0, or an HTTP
 * status. */
static int
embed_save(struct http_req *r, long long org, const struct settings_form *f)
{
	struct settings_form	 old;
	struct buf		 arr;
	const char		*words;
	size_t			 i;
	int			 rc, same;

	memset(&old, 0, sizeof(old));
	if ((rc = embed_stored(r, org, &old)) != 0)
		return rc;
	same = old.n == f->n;
	for (i = 0; same && i < f->n; i++)
		same = strcmp(old.sites[i], f->sites[i]) == 0;
	if (same)
		return 0;
	if (db_exec(&q_embed_clear, PGRES_COMMAND_OK, app_num(r, org)) == NULL)
		return strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0 ?
		    HTTP_FORBIDDEN : app_db_error();
	/* Keys and host names hold no character an array literal quotes. */
	buf_init(&arr);
	buf_putc(&arr, '{');
	for (i = 0; i < f->n; i++)
		buf_printf(&arr, "%s%s", i > 0 ? "," : "", f->sites[i]);
	buf_puts(&arr, "}");
	buf_putc(&arr, '\0');
	words = pool_strdup(r->pool, arr.data);
	buf_free(&arr);
	if (db_exec(&q_embed_add, PGRES_COMMAND_OK, app_num(r, org), words,
	    app_num(r, r->user->id)) == NULL)
		return strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0 ?
		    HTTP_FORBIDDEN : app_db_error();
	words = embed_words(r, f);
	if (audit_write(org, r->user->id, "material_embed", 0,
	    words[0] != '\0' ? pool_printf(r->pool, "видео показываются на "
	    "странице материала: %s", words) : "видео только ссылками, на "
	    "странице материала ничего не показывается") == -1)
		return app_db_error();
	return 0;
}

/*
 * POST /org/N/materials/settings   fields: teachers_all, embed_vk,
 *   embed_rutube, embed_youtube ("1" when ticked), embed_hosts (the
 *   school's own video servers: host names, one a line)
 * The administrator (teachers and students 403, another organization
 * 404).  Whether teachers may publish for the whole school (else only
 * for their classes), and the sites whose videos show in a material's
 * page (lib/embed; a box not ticked is a site not allowed), in one
 * transaction, each change audited.  303 to the list saying «Настройки
 * сохранены.»; a host that is
 * none, or too many: 422, the list with the form as sent and the words
 * next to the hosts, nothing changed.
 */
static int
materials_settings(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct settings_form	 f;
	PGresult		*res;
	const char		*v = http_form(r, "teachers_all");
	int			 rc;

	memset(&f, 0, sizeof(f));
	f.teachers_all = v != NULL && strcmp(v, "1") == 0;
	if (embed_read(r, &f) == -1)
		return list_page(r, HTTP_UNPROCESSABLE, &f);
	if (db_begin() == -1)
		return app_db_error();
	if ((res = db_exec(&q_setting_set, PGRES_TUPLES_OK, app_num(r, a->id),
	    f.teachers_all ? "true" : "false", app_num(r, r->user->id))) ==
	    NULL)
		return strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0 ?
		    HTTP_FORBIDDEN : app_db_error();
	if (db_getbool(res, 0, "changed") && audit_write(a->id, r->user->id,
	    "material_setting", 0, f.teachers_all ? "учителя могут "
	    "публиковать для всей школы" : "учителя публикуют только для "
	    "своих классов") == -1)
		return app_db_error();
	if ((rc = embed_save(r, a->id, &f)) != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/materials?saved=1", a->id));
}

/*
 * The video of link url in org's material page c, when org shows its
 * site: the provider's player in a sandboxed frame (embed_frame) or a
 * school's own video file (embed_video), and the page's CSP then allows
 * that one host (frame-src or media-src) besides the site's.  Otherwise
 * nothing: the link card alone.  0, or an HTTP status.
 */
static int
video_embed(struct http_req *r, struct html_ctx *c, long long org,
    const char *url)
{
	struct embed	 e;
	PGresult	*res;

	if (embed_parse(url, &e) == EMBED_NONE)
		return 0;
	if ((res = db_exec(&q_embed_allowed, PGRES_TUPLES_OK, app_num(r, org),
	    e.site == EMBED_OWN ? e.host : embed_site_key(e.site))) == NULL)
		return app_db_error();
	if (!db_getbool(res, 0, "allowed"))
		return 0;
	html_set_bool(c, "embedded", 1);
	if (e.site == EMBED_OWN) {
		html_set_str(c, "embed_video", e.src);
		http_csp(r, pool_printf(r->pool, "%s; media-src %s", HTTP_CSP,
		    e.origin));
	} else {
		html_set_str(c, "embed_frame", e.src);
		http_csp(r, pool_printf(r->pool, "%s; frame-src %s", HTTP_CSP,
		    e.origin));
	}
	return 0;
}

/*
 * A material's page into c with status: what it is, who published it
 * and when, for whom; the document's file card, the video's link card
 * or the article rendered; for whoever may change it the edit form (its
 * values from the material unless c has them: a 422) and the way to
 * delete it.  Not in the organization: 404; not for the person: 403 to
 * a member, 404 to a guardian.
 */
static int
material_page(struct http_req *r, struct html_ctx *c, int status,
    const char *aud, const char *cls)
{
	const struct org_access	*a = r->org;
	struct material_now	 now;
	PGresult		*res;
	const char		*kind, *html, *url;
	int			 may_change, rc;

	res = db_exec(&q_material, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->id[1]), app_num(r, r->user->id),
	    a != NULL && a->is_operator ? "t" : "f");
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (!db_getbool(res, 0, "visible"))
		return a != NULL ? app_refuse(r, HTTP_FORBIDDEN,
		    "Материал не для вас", pool_printf(r->pool, "Этот "
		    "материал для других читателей (%s), поэтому открыть его "
		    "вы не можете. Если он вам нужен, попросите его у автора "
		    "или у администратора школы.", audience_words(r,
		    db_get(res, 0, "audience"), db_get(res, 0, "class_name")))) :
		    HTTP_NOT_FOUND;
	kind = pool_strdup(r->pool, db_get(res, 0, "kind"));
	if (status == HTTP_OK)
		html_set_str(c, "title", db_get(res, 0, "title"));
	html_set_str(c, "m_title", db_get(res, 0, "title"));
	html_set_str(c, "m_kind", kind_name(kind));
	html_set_str(c, "m_for", audience_words(r, db_get(res, 0, "audience"),
	    db_get(res, 0, "class_name")));
	html_set_str(c, "m_author", db_get(res, 0, "author"));
	html_set_str(c, "m_author_gender", db_get(res, 0, "author_gender"));
	html_set_str(c, "m_created", db_get(res, 0, "created"));
	html_set_str(c, "m_updated", db_get(res, 0, "updated"));
	html_set_str(c, "m_org", db_get(res, 0, "org_name"));
	html_set_str(c, "m_id", app_num(r, r->id[1]));
	html_set_str(c, "m_org_id", app_num(r, r->id[0]));
	if (strcmp(kind, "document") == 0 && !db_isnull(res, 0, "file_id"))
		file_set(html_list_add(c, "document"), res, 0);
	if (strcmp(kind, "video") == 0) {
		url = db_get(res, 0, "url");
		html_set_str(c, "video_url", url);
		html_set_str(c, "video_host", video_host(r, url));
		if ((rc = video_embed(r, c, r->id[0], url)) != 0)
			return rc;
	}
	if (strcmp(kind, "article") == 0) {
		if ((html = article_html(r, db_get(res, 0, "body"))) == NULL)
			return HTTP_SERVER_ERROR;
		html_set_str(c, "article_html", html);
	}
	may_change = a != NULL && !a->is_operator &&
	    db_getbool(res, 0, "may_change");
	html_set_bool(c, "may_change", may_change);
	if (a != NULL && !a->is_operator && db_getbool(res, 0, "may_delete")) {
		html_set_bool(c, "may_delete", 1);
		if (!may_change)
			html_set_str(c, "why_no_edit", strcmp(db_get(res, 0,
			    "audience"), "all") == 0 ? "Публиковать для всей "
			    "школы сейчас могут только администраторы: "
			    "изменить материал может администратор. Удалить "
			    "его вы можете." : "Вы больше не публикуете для "
			    "этого класса: изменить материал может "
			    "администратор. Удалить его вы можете.");
	}
	if (!may_change)
		return app_page(r, status, "material", c);
	html_set_bool(c, "is_document", strcmp(kind, "document") == 0);
	html_set_bool(c, "is_video", strcmp(kind, "video") == 0);
	html_set_bool(c, "is_article", strcmp(kind, "article") == 0);
	if (html_get_str(c, "material_title") == NULL) {
		html_set_str(c, "material_title", db_get(res, 0, "title"));
		html_set_str(c, "url", video_url_shown(r,
		    db_get(res, 0, "url")));
		html_set_str(c, "body", db_get(res, 0, "body"));
	}
	html_set_str(c, "form_action", pool_printf(r->pool,
	    "/org/%lld/materials/%lld/edit", r->id[0], r->id[1]));
	html_set_str(c, "form_button", "Сохранить");
	aud = pool_strdup(r->pool, aud != NULL ? aud :
	    db_get(res, 0, "audience"));
	cls = pool_strdup(r->pool, cls != NULL ? cls :
	    db_get(res, 0, "class_id"));
	now.audience = db_get(res, 0, "audience");
	now.class_id = db_get(res, 0, "class_id");
	now.class_name = db_get(res, 0, "class_name");
	if ((rc = form_ctx(r, c, kind, aud, cls, &now)) != 0)
		return rc;
	return app_page(r, status, "material", c);
}

/*
 * GET /org/N/materials/ID
 * Whoever reads the material (sql/0042: its audience, its author, the
 * administrators), the operator, guardians it is for.  Other members
 * 403; anyone else 404; a deleted material 404.
 */
static int
material_show(struct http_req *r)
{
	struct html_ctx	*c;
	int		 rc;

	if ((rc = reader_ctx(r, "Материал", &c)) != 0)
		return rc;
	return material_page(r, c, HTTP_OK, NULL, NULL);
}

/*
 * The material of the route locked for a change by the person: 0 with
 * its kind and title, and (now not NULL) its audience and class, into
 * the out-parameters; 404 (none, or deleted), 403 (not theirs to
 * change, or with delete set to delete).
 */
static int
material_lock(struct http_req *r, const char **kind, const char **title,
    struct material_now *now, int delete)
{
	PGresult	*res;

	if ((res = db_exec(&q_lock, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->id[1]), app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (!db_getbool(res, 0, delete ? "may_delete" : "may_change"))
		return HTTP_FORBIDDEN;
	*kind = pool_strdup(r->pool, db_get(res, 0, "kind"));
	*title = pool_strdup(r->pool, db_get(res, 0, "title"));
	if (now != NULL) {
		now->audience = db_get(res, 0, "audience");
		now->class_id = db_get(res, 0, "class_id");
		now->class_name = db_get(res, 0, "class_name");
	}
	return 0;
}

/*
 * POST /org/N/materials/ID/edit   fields: as the new material's but the
 *   kind (a document's file only when it is replaced)
 * Its author and the administrators; the audience and class stay as they
 * are or become ones the person may publish for.  Changes it and audits it; 303 to its
 * page.  Bad fields: 422 on its page; a file over a limit: 413.
 */
static int
material_edit(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct valid_result	 v[MF__MAX];
	struct material_now	 now;
	struct html_ctx		*c;
	const char		*kind, *old, *body;
	long long		 file_id = 0;
	int			 rc, errors, status = HTTP_UNPROCESSABLE;

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = material_lock(r, &kind, &old, &now, 0)) != 0)
		return rc;
	c = org_page_ctx(r, "Материал");
	if ((rc = form_read(r, c, v, kind, &now, 0, &body, &errors)) != 0)
		return rc;
	if (errors == 0 && strcmp(kind, "document") == 0 &&
	    form_file(r) != NULL) {
		if ((rc = form_file_keep(r, c, &file_id, &status)) != 0)
			return rc;
		if (status != 0)
			errors = 1;
	}
	if (errors > 0) {
		app_rollback();
		html_set_bool(c, "form_errors", 1);
		html_set_str(c, "title", "Материал");
		return material_page(r, c, status == 0 ? HTTP_UNPROCESSABLE :
		    status, v[MF_AUDIENCE].value, v[MF_CLASS].value);
	}
	if (db_exec(&q_update, PGRES_COMMAND_OK, app_num(r, a->id),
	    app_num(r, r->id[1]), v[MF_TITLE].value, v[MF_AUDIENCE].value,
	    v[MF_CLASS].value[0] != '\0' ? v[MF_CLASS].value : NULL,
	    file_id > 0 ? app_num(r, file_id) : NULL,
	    strcmp(kind, "video") == 0 ? v[MF_URL].value : NULL,
	    strcmp(kind, "article") == 0 ? body : NULL) == NULL)
		return strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0 ?
		    HTTP_FORBIDDEN : app_db_error();
	if (audit_write(a->id, r->user->id, "material_edit", 0,
	    pool_printf(r->pool, "«%s»: теперь «%s»", old,
	    v[MF_TITLE].value)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/materials/%lld", a->id, r->id[1]));
}

/*
 * GET /org/N/materials/ID/delete
 * Its author and the administrators.  What deleting does, and the
 * button.
 */
static int
material_delete_confirm(struct http_req *r)
{
	struct html_ctx	*c;
	const char	*kind, *title;
	int		 rc;

	if ((rc = material_lock(r, &kind, &title, NULL, 1)) != 0)
		return rc;
	c = org_page_ctx(r, "Удалить материал?");
	html_set_str(c, "lead", pool_printf(r->pool, "Материал «%s» будет "
	    "удалён.", title));
	app_confirm_point(c, "его больше никто не увидит: ни в списке, ни "
	    "по ссылке;");
	if (strcmp(kind, "document") == 0)
		app_confirm_point(c, "файл документа перестанет открываться;");
	app_confirm_point(c, "вернуть удалённый материал нельзя: если нужно, "
	    "опубликуйте его снова.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/org/%lld/materials/%lld/delete", r->org->id, r->id[1]),
	    "Удалить материал", pool_printf(r->pool,
	    "/org/%lld/materials/%lld", r->org->id, r->id[1]));
}

/*
 * POST /org/N/materials/ID/delete
 * Its author and the administrators.  Empties the material (nothing of
 * it is shown or served again; its file goes with the clean-up) and
 * audits it; 303 to the list.  Deleted already: 404.
 */
static int
material_delete(struct http_req *r)
{
	const struct org_access	*a = r->org;
	const char		*kind, *title;
	int			 rc;

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = material_lock(r, &kind, &title, NULL, 1)) != 0)
		return rc;
	if (db_exec(&q_delete, PGRES_COMMAND_OK, app_num(r, a->id),
	    app_num(r, r->id[1]), app_num(r, r->user->id)) == NULL)
		return strcmp(db_sqlstate(), DB_NOT_ALLOWED) == 0 ?
		    HTTP_FORBIDDEN : app_db_error();
	if (audit_write(a->id, r->user->id, "material_delete", 0,
	    pool_printf(r->pool, "%s «%s»", kind_name(kind), title)) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/materials?deleted=1", a->id));
}

int
main(int argc, char *argv[])
{
	return app_main("materials", routes, sizeof(routes) /
	    sizeof(routes[0]), argc, argv);
}
