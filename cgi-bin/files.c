/*
 * files: stored files (lib/file) and a person's own storage.
 *
 * /files/ID serves a file to whoever parta.file_visible admits (its
 * owner while it is in their storage, whoever may read the message or
 * the material that holds it); anyone else, in whatever organization,
 * gets 404, so a file's existence is not told.  /me/files is a person's
 * storage: upload (one file or several at once, all or none kept),
 * list with what is used and left of PARTA_USER_QUOTA, take out, and
 * send to a chat (a page of the chats they may write in, each a form
 * POSTing to the chat program with the file's id).
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "config.h"
#include "db.h"
#include "file.h"
#include "pool.h"
#include "utf8.h"

static int	file_get(struct http_req *);
static int	file_preview(struct http_req *);
static int	files_list(struct http_req *);
static int	files_upload(struct http_req *);
static int	file_delete_confirm(struct http_req *);
static int	file_delete(struct http_req *);
static int	file_send(struct http_req *);
static int	file_too_large(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN, "/files/{n}", file_get },
	{ APP_GET | APP_LOGIN, "/files/{n}/preview", file_preview },
	{ APP_GET | APP_LOGIN | APP_ONE_TRIP, "/me/files", files_list },
	{ APP_POST | APP_LOGIN | APP_UPLOAD, "/me/files", files_upload },
	{ APP_GET | APP_LOGIN, "/me/files/{n}/delete", file_delete_confirm },
	{ APP_POST | APP_LOGIN, "/me/files/{n}/delete", file_delete },
	{ APP_GET | APP_LOGIN, "/me/files/{n}/send", file_send },
	{ APP_GET, "/files/too-large", file_too_large },
};

/* The storage of the request's account (parta.rls_account(): the page's
 * statements go with the session's lookup, APP_ONE_TRIP), newest
 * first.  Times as on their other pages (/me, /me/calendar): their
 * schools' time, as the chats and materials where the same files are
 * show it (lib/app.h); the zone asked once (parta.calendar_zone,
 * sql/0054), not per row. */
static const struct db_stmt q_files = {
	"files_list",
	"SELECT f.file_id, f.file_name, f.file_type, f.file_size,"
	" f.file_preview, parta.zone_time(f.created_at, z.zone) AS at"
	" FROM parta.calendar_zone(parta.rls_account()) z(zone),"
	" parta.file_list f"
	" WHERE f.owner_id = parta.rls_account() AND f.in_storage"
	" ORDER BY f.created_at DESC, f.file_id DESC LIMIT 1000"
};

/* What else the person has out of storage: files sent to a chat or
 * published in a material, with where (sql/0050), when, as q_files, and
 * whether they still open it (sql/0058: if not, it does not count). */
static const struct db_stmt q_held = {
	"files_held",
	"SELECT file_id, file_name, file_type, file_size, file_preview,"
	" org_id, chat_id, message_id, chat_title, material_id,"
	" material_title, file_open,"
	" parta.zone_time(created_at, z.zone) AS at"
	" FROM parta.calendar_zone(parta.rls_account()) z(zone),"
	" parta.file_held_mine()"
};

/* One file of the person's storage. */
static const struct db_stmt q_file = {
	"files_one",
	"SELECT f.file_id, f.file_name, f.file_type, f.file_size,"
	" f.file_preview FROM parta.file_list f"
	" WHERE f.file_id = $1 AND f.owner_id = $2 AND f.in_storage"
};

static const struct db_stmt q_chats = {
	"files_chats",
	"SELECT chat_id, title, org_name FROM parta.chats_writable($1)"
};

/*
 * GET /files/ID
 * Whoever may see the file (parta.file_visible); anyone else 404.  The
 * file, with its stored type and name (lib/file: file_serve).
 */
static int
file_get(struct http_req *r)
{
	return file_serve(r, r->id[0], 0);
}

/*
 * GET /files/ID/preview
 * As /files/ID.  An image's small JPEG preview; 404 for other files.
 */
static int
file_preview(struct http_req *r)
{
	return file_serve(r, r->id[0], 1);
}

/* The statements of the storage page, queued (lib/db.h) for
 * files_show: they read for the request's account, so they may go
 * before the session is known (APP_ONE_TRIP). */
struct files_q {
	struct db_query	*used, *files, *held;
};

static void
files_send(struct files_q *q)
{
	q->used = file_used_send();
	q->files = db_send(&q_files, PGRES_TUPLES_OK);
	q->held = db_send(&q_held, PGRES_TUPLES_OK);
}

/* The storage page of q, with status and, after a refused upload, the
 * field's error. */
static int
files_show(struct http_req *r, int status, const char *error,
    const struct files_q *q)
{
	struct html_ctx	*c = app_ctx(r);
	PGresult	*res;
	long long	 used, left;
	char		 w[32];
	int		 i;

	html_set_str(c, "title", "Мои файлы");
	if (error != NULL) {
		html_set_str(c, "file_error", error);
		html_set_bool(c, "form_errors", 1);
	}
	if (status == HTTP_OK) {
		const char *v;

		if ((v = http_query(r, "saved")) != NULL &&
		    strspn(v, "0123456789") == strlen(v) && strlen(v) < 4)
			html_set_str(c, "saved", v);
		html_set_bool(c, "deleted", http_query(r, "deleted") != NULL);
	}
	if ((used = file_used_read(q->used)) == -1)
		return app_db_error();
	left = used < config->user_quota ? config->user_quota - used : 0;
	html_set_str(c, "used", ru_size_words(w, sizeof(w), used));
	html_set_str(c, "quota", ru_size_words(w, sizeof(w),
	    config->user_quota));
	html_set_str(c, "left", ru_size_words(w, sizeof(w), left));
	html_set_int(c, "used_bytes", used < config->user_quota ? used :
	    config->user_quota);
	html_set_int(c, "quota_bytes", config->user_quota);
	html_set_str(c, "max_upload", ru_size_words(w, sizeof(w),
	    (long long)config->max_upload));
	html_set_int(c, "upload_max_bytes", (long long)config->max_upload);
	html_set_int(c, "max_files", HTTP_MAX_FILES);
	if ((res = db_result(q->files)) == NULL)
		return app_db_error();
	html_list_init(c, "files");
	for (i = 0; i < PQntuples(res); i++) {
		struct html_ctx *item = html_list_add(c, "files");

		file_set(item, res, i);
		html_set_str(item, "at", db_get(res, i, "at"));
	}
	if ((res = db_result(q->held)) == NULL)
		return app_db_error();
	html_list_init(c, "held");
	for (i = 0; i < PQntuples(res); i++) {
		struct html_ctx *item = html_list_add(c, "held");

		file_set(item, res, i);
		html_set_str(item, "at", db_get(res, i, "at"));
		if (!db_getbool(res, i, "file_open")) {
			/* No link: /files/ID and the holder's page 404. */
			html_set_bool(item, "gone", 1);
			if (!db_isnull(res, i, "chat_id"))
				html_set_str(item, "gone_chat",
				    db_get(res, i, "chat_title"));
			else if (!db_isnull(res, i, "material_id"))
				html_set_str(item, "gone_material",
				    db_get(res, i, "material_title"));
		} else if (!db_isnull(res, i, "chat_id")) {
			html_set_strf(item, "where_url", "/chats/%s#m%s",
			    db_get(res, i, "chat_id"),
			    db_get(res, i, "message_id"));
			html_set_str(item, "where_chat",
			    db_get(res, i, "chat_title"));
		} else if (!db_isnull(res, i, "material_id")) {
			html_set_strf(item, "where_url",
			    "/org/%s/materials/%s", db_get(res, i, "org_id"),
			    db_get(res, i, "material_id"));
			html_set_str(item, "where_material",
			    db_get(res, i, "material_title"));
		}
	}
	return app_page(r, status, "me_files", c);
}

/* The storage page (files_show), its statements sent now: after a
 * refused upload, rolled back. */
static int
files_page(struct http_req *r, int status, const char *error)
{
	struct files_q	 q;

	files_send(&q);
	return files_show(r, status, error, &q);
}

/*
 * GET /me/files[?saved=N|deleted=1]
 * Logged in.  My storage: what is used and left, the upload form, my
 * files with links to send or delete each; then my files sent to chats
 * or published in materials, each with where; one I no longer open
 * (moved out of the chat, out of the school) without links, saying why
 * and that it does not count against my quota (sql/0058).
 */
static int
files_list(struct http_req *r)
{
	struct files_q	 q;
	int		 rc, answered;

	/* The page's statements with the session's lookup (APP_ONE_TRIP). */
	files_send(&q);
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	return files_show(r, HTTP_OK, NULL, &q);
}

/* Whether rc of file_prepare or file_keep refuses the file (the words
 * are for the person), rather than being a fault. */
static int
upload_refusal(int rc, const char *error)
{
	return rc == HTTP_UNPROCESSABLE || rc == HTTP_TOO_LARGE ||
	    rc == HTTP_TOO_MANY || (rc == HTTP_UNAVAILABLE && error != NULL);
}

/*
 * POST /me/files
 * Logged in; multipart, field `file` (one or more).  Keeps every file
 * in my storage, or none: a type not kept or an empty file 422, over
 * PARTA_MAX_UPLOAD or my quota 413, each with the page saying why and
 * what is left; a photo while another upload of mine converts one 429
 * saying to wait for it (lib/file: one at a time), with Retry-After;
 * photos of more than PARTA_CONVERT_BUDGET megapixels together 422, not
 * converted in time (the server busy) 503.  The files are checked
 * (their sizes against my quota, their pixels) and converted first,
 * then kept under the quota lock.  303 to /me/files?saved=N.
 */
static int
files_upload(struct http_req *r)
{
	struct file_ready	*ready;
	const struct http_file	**from;
	const char		*error = NULL, *refused = NULL;
	long long		 id;
	size_t			 i;
	int			 n = 0, rc, status = 0;

	/* Parts past HTTP_MAX_FILES were counted, not kept (lib/http). */
	if (r->files.over > 0)
		return files_page(r, HTTP_UNPROCESSABLE, pool_printf(r->pool,
		    "Не больше %d файлов за раз (выбрано %zu)",
		    HTTP_MAX_FILES, r->files.n + r->files.over));
	ready = pool_alloc(r->pool, (r->files.n + 1) * sizeof(*ready));
	from = pool_alloc(r->pool, (r->files.n + 1) * sizeof(*from));
	if (db_begin() == -1)
		return app_db_error();
	for (i = 0; i < r->files.n; i++)
		if (file_chosen(&r->files.v[i]))
			from[n++] = &r->files.v[i];
	if (n == 0) {
		app_rollback();
		return files_page(r, HTTP_UNPROCESSABLE, "Выберите файл");
	}
	/* Their sizes against my quota and the photos' pixels against
	 * the budget, before anything converts. */
	if ((rc = file_screen(r, from, (size_t)n, FILE_STORAGE, 0,
	    &error)) != 0) {
		if (error == NULL)
			return rc;
		app_rollback();
		return files_page(r, rc, error);
	}
	/* Every file checked, and every one refused named. */
	for (i = 0; i < (size_t)n; i++) {
		if ((rc = file_prepare(r, from[i], &ready[i], &error)) == 0)
			continue;
		if (!upload_refusal(rc, error))
			return rc;
		file_refusal_add(r, &refused, from[i], error);
		if (status == 0)
			status = rc;
	}
	if (refused != NULL) {
		app_rollback();
		return files_page(r, status, refused);
	}
	for (i = 0; i < (size_t)n; i++)
		if ((rc = file_keep(r, &ready[i], FILE_STORAGE, 0, &id,
		    &error)) != 0) {
			if (!upload_refusal(rc, error))
				return rc;
			app_rollback();
			file_refusal_add(r, &refused, from[i], error);
			return files_page(r, rc, refused);
		}
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/me/files?saved=%d", n));
}

/*
 * GET /me/files/ID/delete
 * The file's owner while it is in their storage; anyone else 404.
 * What deleting does, and the button.
 */
static int
file_delete_confirm(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	PGresult	*res;

	if ((res = db_exec(&q_file, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	html_set_str(c, "title", "Удалить файл?");
	html_set_str(c, "lead", pool_printf(r->pool, "Файл «%s» будет удалён "
	    "из вашего хранилища.", db_get(res, 0, "file_name")));
	app_confirm_point(c, "если вы отправляли его в чат или публиковали "
	    "в материалах, там он останется;");
	app_confirm_point(c, "вернуть удалённый файл нельзя.");
	return app_confirm(r, c, pool_printf(r->pool, "/me/files/%lld/delete",
	    r->id[0]), "Удалить файл", "/me/files");
}

/*
 * POST /me/files/ID/delete
 * The file's owner while it is in their storage; anyone else 404.
 * Takes it out of my storage; when nothing else holds it, it is gone
 * with its bytes.  303 to /me/files?deleted=1.
 */
static int
file_delete(struct http_req *r)
{
	int	 rc;

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = file_remove(r, r->id[0])) != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, "/me/files?deleted=1");
}

/*
 * GET /me/files/ID/send
 * The file's owner while it is in their storage; anyone else 404.  The
 * chats I may write in, each with a button that posts the file there
 * (POST /chats/CHAT/messages, file_id: the chat program attaches it).
 */
static int
file_send(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	PGresult	*res;
	int		 i;

	if ((res = db_exec(&q_file, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	html_set_str(c, "title", "Отправить файл в чат");
	file_set(c, res, 0);
	if ((res = db_exec(&q_chats, PGRES_TUPLES_OK, app_num(r,
	    r->user->id))) == NULL)
		return app_db_error();
	html_list_init(c, "chats");
	for (i = 0; i < PQntuples(res); i++) {
		struct html_ctx *item = html_list_add(c, "chats");

		app_set_cols(item, res, i, "chat_id", "title", "org_name",
		    NULL);
	}
	return app_page(r, HTTP_OK, "me_files_send", c);
}

/*
 * GET /files/too-large
 * Anyone.  What the web server answers a body past its own limit with
 * (nginx's client_max_body_size: error_page 413 in nginx/local.conf.in
 * and nginx/parta.conf; Apache's ErrorDocument 413, docs/deploy.md), so
 * an upload too big for it gets the site's page: 413 saying
 * PARTA_MAX_UPLOAD and what to do, as an upload past that gets here.
 */
static int
file_too_large(struct http_req *r)
{
	return app_upload_too_large(r);
}

int
main(int argc, char *argv[])
{
	return app_main("files", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
