/*
 * Videos shown in a material's page (cgi-bin/materials.c, lib/embed,
 * sql/0049_embed.sql): only from the sites the administrator allows on
 * the materials' settings form (VK Video, RuTube, YouTube ticked, the
 * school's own hosts typed), each page then with exactly one
 * Content-Security-Policy: the site's and frame-src for that one
 * player's origin (media-src for a school's own file); any other video
 * a link card under the site's policy unchanged.  The settings:
 * administrators only (teachers and students 403, another school 404,
 * no CSRF 403), saved with teachers_all in one transaction and audited;
 * a bad host 422 next to the field, the typed values kept, nothing
 * saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* The site's policy, lib/http.h's HTTP_CSP. */
#define SITE_CSP	"default-src 'self'; object-src 'none'; " \
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

#define YT_ID		"dQw4w9WgXcQ"
#define YT_URL		"https://www.youtube.com/watch?v=" YT_ID
#define YT_PLAYER	"https://www.youtube-nocookie.com/embed/" YT_ID
#define RT_ID		"0123456789abcdef0123456789abcdef"
#define RT_URL		"https://rutube.ru/video/" RT_ID "/"
#define OWN_HOST	"video.school-embed.example.ru"
#define OWN_URL		"https://" OWN_HOST "/lessons/opyt.mp4"

/* A school: its administrator, a teacher and a student of 5А, the
 * student's guardian; another school's administrator. */
struct school {
	struct t_person	 admin, teacher, st, mum, other;
	long long	 org, c5, oorg;
};

static void
school_new(struct school *s, const char *name)
{
	t_signup(&s->admin, "Директорова", "Анна");
	s->org = t_org_create(&s->admin, name);
	s->c5 = t_class_add(s->org, 5, "А", 0);
	t_person_new(&s->teacher, "Учителева", "Мария", s->org, "teacher");
	t_class_member_add(s->org, s->c5, s->teacher.id, "homeroom");
	t_person_new(&s->st, "Ученикова", "Катя", s->org, "student");
	t_class_member_add(s->org, s->c5, s->st.id, "student");
	t_signup(&s->mum, "Ученикова", "Ольга");
	t_sql("INSERT INTO parta.guardian (parent_id, child_id)"
	    " VALUES (%lld, %lld)", s->mum.id, s->st.id);
	t_signup(&s->other, "Чужова", "Вера");
	s->oorg = t_org_create(&s->other, "Чужая школа видео");
}

static void
school_free(struct school *s)
{
	t_client_free(&s->admin.c);
	t_client_free(&s->teacher.c);
	t_client_free(&s->st.c);
	t_client_free(&s->mum.c);
	t_client_free(&s->other.c);
}

/* admin of org publishes a video for the whole school: its id. */
static long long
video(struct t_person *admin, long long org, const char *title,
    const char *url)
{
	const char	*path = t_fmt("/org/%lld/materials/new", org);

	T_TRUE(t_form(&admin->c, path) != NULL);
	T_EQ(t_postf(&admin->c, path, "kind=video&title=%s&audience=all"
	    "&url=%s", t_enc(title), t_enc(url)), 303);
	return t_id_after(t_header(&admin->c, "Location"),
	    t_fmt("/org/%lld/materials/", org));
}

/* c posts org's settings form (fields form-encoded, csrf added): the
 * status. */
static long
settings(struct t_client *c, long long org, const char *fields)
{
	t_form(c, t_fmt("/org/%lld/materials", org));
	return t_postf(c, t_fmt("/org/%lld/materials/settings", org), "%s",
	    fields);
}

/* The sites org allows, by SQL: "site,site" in the order of their
 * bytes. */
static const char *
sites(long long org)
{
	return t_sql("SELECT coalesce(string_agg(site, ',' ORDER BY site"
	    " COLLATE \"C\"), '') FROM parta.material_embed WHERE org_id ="
	    " %lld", org);
}

/* c's page of material id of org: 200 with exactly one policy, want. */
static void
page_csp(struct t_client *c, long long org, long long id, const char *want)
{
	T_EQ(t_get(c, t_fmt("/org/%lld/materials/%lld", org, id)), 200);
	T_EQ(t_header_count(c, "Content-Security-Policy"), 1);
	T_STREQ(t_header(c, "Content-Security-Policy"), want);
}

/*
 * Who changes the settings: the administrator; a teacher, a student
 * 403, a guardian and another school's administrator 404, a post
 * without the CSRF token 403, nothing saved by any of them.  The
 * administrator's change: teachers_all and the sites together, one
 * audit row each, none when nothing changes; the form shows what is
 * saved.
 */
static void
who_sets(void)
{
	struct school	 s;

	school_new(&s, "Школа настроек видео");
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.admin.c, "Видео прямо на странице");
	T_HAS(&s.admin.c, "name=\"embed_youtube\" value=\"1\">");
	T_HAS(&s.admin.c, "name=\"embed_hosts\"");
	T_EQ(t_get(&s.teacher.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_LACKS(&s.teacher.c, "embed_youtube");

	T_EQ(settings(&s.teacher.c, s.org, "embed_youtube=1"), 403);
	T_EQ(settings(&s.st.c, s.org, "embed_youtube=1"), 403);
	t_form(&s.mum.c, "/me");
	T_EQ(t_postf(&s.mum.c, t_fmt("/org/%lld/materials/settings", s.org),
	    "embed_youtube=1"), 404);
	t_form(&s.other.c, t_fmt("/org/%lld/materials", s.oorg));
	T_EQ(t_postf(&s.other.c, t_fmt("/org/%lld/materials/settings",
	    s.org), "embed_youtube=1"), 404);
	T_EQ(t_post(&s.admin.c, t_fmt("/org/%lld/materials/settings", s.org),
	    "embed_youtube=1"), 403);
	T_STREQ(sites(s.org), "");
	/* The database refuses a teacher's row whoever writes it. */
	T_TRUE(t_sql("BEGIN; SELECT set_config('parta.account', '%lld',"
	    " true); INSERT INTO parta.material_embed (org_id, site)"
	    " VALUES (%lld, 'youtube'); COMMIT", s.teacher.id, s.org) ==
	    NULL);
	T_STREQ(sites(s.org), "");

	/* The administrator: both settings, in one post. */
	T_EQ(settings(&s.admin.c, s.org, "teachers_all=1&embed_youtube=1"
	    "&embed_vk=1&embed_hosts=" "https%3A%2F%2FVideo.School-Embed."
	    "example.ru%2F"), 303);
	T_STREQ(t_header(&s.admin.c, "Location"),
	    t_fmt("/org/%lld/materials?saved=1", s.org));
	T_STREQ(sites(s.org), OWN_HOST ",vk,youtube");
	T_STREQ(t_sql("SELECT teachers_all FROM parta.material_setting"
	    " WHERE org_id = %lld", s.org), "t");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'material_embed'", s.org), "1");
	T_STREQ(t_sql("SELECT detail FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'material_embed'", s.org),
	    "видео показываются на странице материала: ВК Видео, Ютуб, "
	    OWN_HOST);
	T_STREQ(t_sql("SELECT actor_id FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'material_embed'", s.org),
	    t_fmt("%lld", s.admin.id));
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'material_setting'", s.org), "1");
	/* The form shows it as saved. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.admin.c, "name=\"teachers_all\" value=\"1\" checked");
	T_HAS(&s.admin.c, "name=\"embed_youtube\" value=\"1\" checked");
	T_HAS(&s.admin.c, "name=\"embed_vk\" value=\"1\" checked");
	T_HAS(&s.admin.c, "name=\"embed_rutube\" value=\"1\">");
	T_HAS(&s.admin.c, ">" OWN_HOST "</textarea>");
	/* The same again: nothing changes, nothing more in the log. */
	T_EQ(settings(&s.admin.c, s.org, "teachers_all=1&embed_youtube=1"
	    "&embed_vk=1&embed_hosts=" OWN_HOST), 303);
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND action IN ('material_embed', 'material_setting')", s.org),
	    "2");
	/* Everything off: the sites go, said so in the log. */
	T_EQ(settings(&s.admin.c, s.org, "embed_hosts="), 303);
	T_STREQ(sites(s.org), "");
	T_STREQ(t_sql("SELECT teachers_all FROM parta.material_setting"
	    " WHERE org_id = %lld", s.org), "f");
	T_STREQ(t_sql("SELECT detail FROM parta.audit WHERE org_id = %lld"
	    " AND action = 'material_embed' ORDER BY id DESC LIMIT 1", s.org),
	    "видео только ссылками, на странице материала ничего не "
	    "показывается");
	/* Another school's settings are its own. */
	T_STREQ(sites(s.oorg), "");
	school_free(&s);
}

/*
 * A bad host: 422 with the words next to the field and at the top, the
 * form as typed (boxes, hosts, teachers_all), nothing saved or logged.
 */
static void
bad_host(void)
{
	struct school	 s;
	char		 audits[32];

	school_new(&s, "Школа ошибок видео");
	T_EQ(settings(&s.admin.c, s.org, "embed_youtube=1"), 303);
	snprintf(audits, sizeof(audits), "%s", t_sql("SELECT count(*) FROM"
	    " parta.audit WHERE org_id = %lld", s.org));

	T_EQ(settings(&s.admin.c, s.org, t_fmt("teachers_all=1&embed_rutube=1"
	    "&embed_hosts=%s", t_enc("video.school.ru\n-школа.рф"))), 422);
	T_HAS(&s.admin.c, "id=\"embed_hosts_error\"");
	T_HAS(&s.admin.c, "«-школа.рф»: Это не адрес сайта");
	T_HAS(&s.admin.c, "Настройки не сохранены");
	T_HAS(&s.admin.c, "aria-invalid=\"true\"");
	T_HAS(&s.admin.c, ">video.school.ru\n-школа.рф</textarea>");
	T_HAS(&s.admin.c, "name=\"teachers_all\" value=\"1\" checked");
	T_HAS(&s.admin.c, "name=\"embed_rutube\" value=\"1\" checked");
	T_HAS(&s.admin.c, "name=\"embed_youtube\" value=\"1\">");
	/* The list is still the list. */
	T_HAS(&s.admin.c, "<h1 id=\"materials\">Материалы</h1>");
	T_STREQ(sites(s.org), "youtube");
	T_STREQ(t_sql("SELECT coalesce((SELECT teachers_all FROM"
	    " parta.material_setting WHERE org_id = %lld), false)", s.org),
	    "f");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
	    " %lld", s.org), audits);

	/* A provider's site typed as the school's, a path, too many. */
	T_EQ(settings(&s.admin.c, s.org, t_fmt("embed_hosts=%s",
	    t_enc("www.youtube.com"))), 422);
	T_HAS(&s.admin.c, "отмечаются галочками");
	T_EQ(settings(&s.admin.c, s.org, t_fmt("embed_hosts=%s",
	    t_enc("school.ru/video"))), 422);
	T_HAS(&s.admin.c, "без пути");
	T_EQ(settings(&s.admin.c, s.org, t_fmt("embed_hosts=%s",
	    t_enc("a1.ru a2.ru a3.ru a4.ru a5.ru a6.ru a7.ru a8.ru a9.ru"
	    " a10.ru a11.ru"))), 422);
	T_HAS(&s.admin.c, "Не больше 10 сайтов школы");
	T_STREQ(sites(s.org), "youtube");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id ="
	    " %lld", s.org), audits);
	school_free(&s);
}

/*
 * A video page's policy and player: nothing allowed, the link card and
 * the site's policy; YouTube allowed, its player in a sandboxed frame
 * and frame-src for exactly its origin, the card under it; a RuTube
 * video of that school still a card; a school's own file in <video>
 * with media-src; the site taken off, the frame gone at once.  Another
 * school's allowing nothing changes here.
 */
static void
video_page(void)
{
	struct school	 s;
	long long	 yt, rt, own, bad, other;
	const char	*body, *frame, *card;

	school_new(&s, "Школа видео");
	yt = video(&s.admin, s.org, "Опыт с водой", YT_URL);
	rt = video(&s.admin, s.org, "Опыт с огнём", RT_URL);
	own = video(&s.admin, s.org, "Урок с сервера школы", OWN_URL);
	bad = video(&s.admin, s.org, "Ютуб, но не видео",
	    "https://www.youtube.com/channel/UC123");
	other = video(&s.other, s.oorg, "Чужой опыт", YT_URL);

	/* Nothing allowed: a card, the site's policy, no frame. */
	page_csp(&s.st.c, s.org, yt, SITE_CSP);
	T_LACKS(&s.st.c, "<iframe");
	T_HAS(&s.st.c, "href=\"" YT_URL "\"");
	T_HAS(&s.st.c, "Видео откроется там, не здесь");

	/* Another school allows YouTube: nothing changes here. */
	T_EQ(settings(&s.other.c, s.oorg, "embed_youtube=1"), 303);
	page_csp(&s.st.c, s.org, yt, SITE_CSP);
	T_LACKS(&s.st.c, "<iframe");
	page_csp(&s.other.c, s.oorg, other, SITE_CSP
	    "; frame-src https://www.youtube-nocookie.com");

	/* This school allows YouTube. */
	T_EQ(settings(&s.admin.c, s.org, "embed_youtube=1"), 303);
	page_csp(&s.st.c, s.org, yt, SITE_CSP
	    "; frame-src https://www.youtube-nocookie.com");
	T_HAS(&s.st.c, "<iframe src=\"" YT_PLAYER "\"");
	T_HAS(&s.st.c, "title=\"Видео: Опыт с водой\"");
	T_HAS(&s.st.c, "sandbox=\"allow-scripts allow-same-origin "
	    "allow-presentation\"");
	T_HAS(&s.st.c, "referrerpolicy=\"strict-origin\"");
	T_HAS(&s.st.c, "loading=\"lazy\"");
	/* The link card stays, under the player. */
	body = s.st.c.r.body;
	T_TRUE((frame = strstr(body, "<iframe")) != NULL);
	T_TRUE((card = strstr(body, "class=\"linkcard\"")) != NULL);
	T_TRUE(frame < card);
	T_HAS(&s.st.c, "href=\"" YT_URL "\"");
	/* A guardian sees it too; the list keeps the site's policy. */
	page_csp(&s.mum.c, s.org, yt, SITE_CSP
	    "; frame-src https://www.youtube-nocookie.com");
	T_HAS(&s.mum.c, "<iframe src=\"" YT_PLAYER "\"");
	T_EQ(t_get(&s.st.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_EQ(t_header_count(&s.st.c, "Content-Security-Policy"), 1);
	T_STREQ(t_header(&s.st.c, "Content-Security-Policy"), SITE_CSP);

	/* A YouTube school does not embed RuTube, nor a YouTube link that
	 * is no video, nor a school's file from a host not allowed. */
	page_csp(&s.st.c, s.org, rt, SITE_CSP);
	T_LACKS(&s.st.c, "<iframe");
	T_HAS(&s.st.c, "Сайт: Рутуб");
	page_csp(&s.st.c, s.org, bad, SITE_CSP);
	T_LACKS(&s.st.c, "<iframe");
	page_csp(&s.st.c, s.org, own, SITE_CSP);
	T_LACKS(&s.st.c, "<video");

	/* RuTube and the school's own server too. */
	T_EQ(settings(&s.admin.c, s.org, "embed_youtube=1&embed_rutube=1"
	    "&embed_hosts=" OWN_HOST), 303);
	page_csp(&s.st.c, s.org, rt, SITE_CSP
	    "; frame-src https://rutube.ru");
	T_HAS(&s.st.c, "<iframe src=\"https://rutube.ru/play/embed/" RT_ID
	    "\"");
	page_csp(&s.st.c, s.org, own, SITE_CSP
	    "; media-src https://" OWN_HOST);
	T_HAS(&s.st.c, "<video src=\"" OWN_URL "\"");
	T_LACKS(&s.st.c, "<iframe");

	/* YouTube taken off: its video is a card again, at once. */
	T_EQ(settings(&s.admin.c, s.org, "embed_rutube=1"), 303);
	page_csp(&s.st.c, s.org, yt, SITE_CSP);
	T_LACKS(&s.st.c, "<iframe");
	T_HAS(&s.st.c, "href=\"" YT_URL "\"");
	page_csp(&s.st.c, s.org, rt, SITE_CSP
	    "; frame-src https://rutube.ru");
	school_free(&s);
}

/*
 * A school's own server on an internationalized name: allowed as typed
 * in Cyrillic, stored in its one ASCII form, shown in Cyrillic in the
 * settings and the audit; a video link on it published, stored in the
 * same form, embedded (the page's policy names the ASCII host) and its
 * card saying the host in Cyrillic, never xn--.
 */
#define IDN_HOST	"видео.школа.рф"
#define IDN_ASCII	"xn--b1aedk6a.xn--80atdl2c.xn--p1ai"

static void
idn_host(void)
{
	struct school	 s;
	long long	 id;

	school_new(&s, "Школа на кириллице");
	T_EQ(settings(&s.admin.c, s.org, t_fmt("embed_hosts=%s",
	    t_enc("https://Видео.Школа.РФ/"))), 303);
	T_STREQ(sites(s.org), IDN_ASCII);
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/materials", s.org)), 200);
	T_HAS(&s.admin.c, ">" IDN_HOST "</textarea>");
	T_LACKS(&s.admin.c, "xn--");
	T_STREQ(t_sql("SELECT count(*) FROM parta.audit WHERE org_id = %lld"
	    " AND detail LIKE '%%" IDN_HOST "%%'", s.org), "1");

	T_TRUE((id = video(&s.admin, s.org, "Опыт",
	    "https://" IDN_HOST "/уроки/опыт.mp4")) > 0);
	T_STREQ(t_sql("SELECT url FROM parta.material WHERE id = %lld", id),
	    "https://" IDN_ASCII "/%D1%83%D1%80%D0%BE%D0%BA%D0%B8/"
	    "%D0%BE%D0%BF%D1%8B%D1%82.mp4");
	page_csp(&s.st.c, s.org, id, SITE_CSP "; media-src https://"
	    IDN_ASCII);
	T_HAS(&s.st.c, "<video src=\"https://" IDN_ASCII "/");
	T_HAS(&s.st.c, "Сайт: " IDN_HOST ". ");
	/* The author's form shows the link as typed, host and path. */
	T_EQ(t_get(&s.admin.c, t_fmt("/org/%lld/materials/%lld", s.org,
	    id)), 200);
	T_HAS(&s.admin.c, "value=\"https://" IDN_HOST "/уроки/опыт.mp4\"");
	/* The same host typed in its ASCII form is the same site. */
	T_EQ(settings(&s.admin.c, s.org, t_fmt("embed_hosts=%s",
	    t_enc(IDN_ASCII))), 303);
	T_STREQ(sites(s.org), IDN_ASCII);
	school_free(&s);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "the video settings: the administrator only (teacher, "
		    "student 403; guardian, other school 404; no CSRF 403), "
		    "saved with teachers_all, audited", who_sets },
		{ "a bad host: 422 next to the field, values kept, nothing "
		    "saved", bad_host },
		{ "a video page: the player and frame-src for its one origin "
		    "only when its site is allowed; one policy; taken off at "
		    "once", video_page },
		{ "a host on an internationalized name: allowed and linked "
		    "as typed, stored in one ASCII form, shown in Cyrillic",
		    idn_host },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
