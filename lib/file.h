/*
 * file: files people upload (issue 22: materials, chat attachments,
 * personal storage) -- the one place that decides which files Parta
 * keeps, what they cost against the quotas, how they are served and
 * who may read them.  The bytes go through lib/store (never under the
 * web root); the rows are parta.file (sql/0040_files.sql).
 *
 * A file is owned by the account that uploaded it and charged to that
 * account's quota (PARTA_USER_QUOTA) and, when uploaded for an
 * organization (a chat message, a material), to the organization's
 * (PARTA_ORG_QUOTA).  A file is in its owner's storage (/me/files) or
 * held by what it was attached to (parta.message_file, sql/0041;
 * parta.material, sql/0042), or both; who may read it is
 * parta.file_visible (owner, or whoever may read a holder).
 *
 * Types are decided by content, never by name (libmagic), from a fixed
 * list: PDF, JPEG, PNG, WebP, office documents (DOCX, XLSX, PPTX, ODT,
 * ODS, ODP, DOC, XLS, PPT), plain text, ZIP.  Images are re-encoded
 * without their metadata (EXIF location of children's photos) and get a
 * small preview, both made by libvips in a child process that can do
 * nothing but read its input and write its output (seccomp).
 */
#ifndef PARTA_FILE_H
#define PARTA_FILE_H

#include <stddef.h>

struct http_req;
struct http_file;
struct html_ctx;
struct pg_result;		/* libpq's PGresult */

/* Where an accepted file belongs: personal storage, or an organization's
 * thing (a message, a material) that the caller attaches it to in the
 * same transaction. */
enum file_place {
	FILE_STORAGE,		/* the owner's /me/files */
	FILE_ORG		/* held by an organization's thing */
};

/*
 * Check an uploaded part and keep it, owned by r->user, in the caller's
 * open transaction: type by content, PARTA_MAX_UPLOAD, the owner's quota
 * and, for FILE_ORG, org_id's quota (checked in the database under a
 * lock, so parallel uploads cannot pass a quota together).  The bytes
 * are stored before the row is written; if the request ends without
 * app_commit, the stored bytes are removed again.
 *
 * *id gets the new parta.file id.  Returns 0; 422 with *error set to a
 * Russian sentence for the field (a type not kept, an empty file); 413
 * with *error saying what is left ("Осталось 12 МБ из 500 МБ"); 429
 * with *error while another upload of the person converts an image
 * (file_prepare: one at a time) or the host's turns are all taken;
 * 503 with *error when the disk is full or the photo did not convert
 * by the request's deadline (both logged); 500 on a database fault
 * (logged).  The quota is checked first by the size uploaded
 * (file_screen), before anything converts.  *error names the file
 * («отчёт.pdf»: …) and lives in r's pool.
 */
int	 file_accept(struct http_req *r, const struct http_file *f,
	    enum file_place place, long long org_id, long long *id,
	    const char **error);

/*
 * The cheap checks of the files a request uploads, before any is
 * converted (a photo takes seconds of CPU): call it in the request's
 * transaction with the chosen parts f[0..n-1] (file_chosen), before
 * file_prepare.  Their sizes as uploaded against what is left of the
 * owner's quota and, for FILE_ORG, org_id's (read without a lock:
 * file_keep checks the exact sizes kept under the locks afterwards):
 * 413 with *error naming every file («а.jpg», «б.pdf» и «в.pdf»: they
 * do not fit together) and saying what they need and what is left.  The photos' pixels together, from
 * their headers (file_image_pixels; one whose header says nothing
 * counts FILE_MAX_PIXELS), against PARTA_CONVERT_BUDGET megapixels, so
 * that converting them fits well inside the time nginx waits: 422 with
 * *error naming the photos and the limit.  0; 500 (logged).
 * file_accept calls it itself.
 */
int	 file_screen(struct http_req *r, const struct http_file *const *f,
	    size_t n, enum file_place place, long long org_id,
	    const char **error);

/*
 * file_accept in two steps, for a request that keeps several files or
 * takes locks: the slow work first, before any lock, then the rows.
 *
 * file_prepare checks uploaded part f as file_accept does (type, size;
 * the same refusals) and stores its bytes (an image re-encoded, with its
 * preview), removed again unless the request commits.  Converting an
 * image takes the person's one conversion slot (sql/0059: one at a time
 * per person, across programs and workers) for the rest of the caller's
 * open transaction; while another request of theirs holds it: 429 with
 * *error saying to wait for the previous file, and Retry-After
 * (FILE_CONVERT_RETRY seconds) set on r.  The request's first photo
 * also waits for one of the host's PARTA_CONVERT_SLOTS conversions at
 * once (sql/0062; so that a program's upload workers never all convert
 * or wait, at most PARTA_UPLOAD_WORKERS - 1 requests of a program wait
 * or convert, a further one 429 at once): the request's photos are
 * converted within PARTA_CONVERT_DEADLINE seconds of then, waiting
 * included, else 503 with *error (nothing kept, logged).  Call it in
 * the transaction, after file_screen, before the quota locks and every
 * write (a conversion takes seconds: no lock is held meanwhile).
 *
 * file_keep then writes the row, charged as file_accept says (the
 * quotas checked under their locks: 413 with *error), *id its id.
 */
#define FILE_CONVERT_RETRY	10
struct file_ready {
	const char	*type;		/* the type kept */
	const char	*name;		/* the name kept */
	char		*key;		/* lib/store's keys */
	char		*pkey;		/* the preview's, or NULL */
	size_t		 len;		/* bytes kept */
};
int	 file_prepare(struct http_req *r, const struct http_file *f,
	    struct file_ready *out, const char **error);
int	 file_keep(struct http_req *r, const struct file_ready *f,
	    enum file_place place, long long org_id, long long *id,
	    const char **error);

/*
 * The words of a refusal over a quota (refused: parta.file_insert's
 * "user" or "org", sql/0040) of a file of size bytes, with what is left
 * of the quota: "нужно 12 МБ, а в вашем хранилище осталось 3 МБ
 * из 500 МБ…" -- what the person can do, by their role in org_id (its
 * administrator frees the organization's place or asks for more; anyone
 * else tells the administrator).  Without the file's name: the caller
 * names it (file_refusal_add).  From r's pool; NULL on a fault (logged).
 */
const char	*file_quota_words(struct http_req *r, const char *refused,
		    long long org_id, long long size, long long left,
		    long long quota);

/*
 * Serve file id to r->user if parta.file_visible admits them: the
 * stored type, Content-Disposition inline for images and PDF and
 * attachment otherwise, with the file's name (RFC 6266: an ASCII
 * fallback and filename*=UTF-8''...), X-Content-Type-Options: nosniff
 * and a Content-Security-Policy that runs nothing.  preview != 0 serves
 * the image's preview instead, which the person's own browser may keep
 * (Cache-Control: private, max-age; the file: no-store).  Returns 0 when the response is built,
 * 404 when there is no such file or r->user may not see it (a file's
 * existence is not told), except a material's file refused to a member
 * of the material's organization: 403 saying why, as the material's
 * page answers them; 500 on a fault (logged).
 */
int	 file_serve(struct http_req *r, long long id, int preview);

/*
 * Set, in list item c, what a page shows of file id: file_id, file_name,
 * file_size ("1,2 МБ"), file_type ("PDF", "Фото", "Документ Word"...),
 * file_url (/files/ID), and, for images, file_preview_url.  The keys are
 * those of html/templates/_file.html, the one partial that draws a file.
 * res's row must carry the columns file_id, file_name, file_type,
 * file_size and file_preview (boolean), as every statement that lists
 * files selects them (the SQL that names them is one view or function
 * of sql/0040, not copied per program).  Never fails.
 */
void	 file_set(struct html_ctx *c, const struct pg_result *res, int row);

/*
 * Take file id out of r->user's storage (/me/files/ID/delete), in the
 * caller's open transaction.  Whatever holds it still shows it; when
 * nothing does, its row goes now and its bytes once app_commit
 * succeeds.  0; 404 when r->user has no such file in storage; 500 on a
 * fault (logged).
 */
int	 file_remove(struct http_req *r, long long id);

/*
 * Remove the bytes of the files this request's holders let go, once it
 * commits: call it in the transaction that deletes a holder's row (a
 * chat message).  A file let go (sql/0050_file_let_go.sql: a message's
 * file row deleted, a material's file replaced or emptied) that is not
 * in its owner's storage and held by nothing else loses its row in that
 * transaction, so it stops counting against the quotas at once, and its
 * keys wait in parta.file_gone.  file_accept and file_remove call it
 * themselves (a material's edit replaces its file by uploading one).
 * 0, or 500 (logged).
 */
int	 file_released(struct http_req *r);

/* Remove the bytes of files parta.file_purge() deleted (res's columns
 * store_key and preview_key): the clean-up, after its commit.  The
 * number of files whose bytes were removed. */
int	 file_purged(const struct pg_result *res);
/* Remove the bytes queued in parta.file_gone, outside a transaction
 * (file_released after the commit; the clean-up): the number of files
 * removed, or -1 on a database fault (logged). */
int	 file_gone_remove(void);

/*
 * Add the refusal of uploaded part f (error: file_prepare's or
 * file_keep's words) to *all, naming the file as it will be named
 * (file_name_kept): "«отчёт.pdf»: Файл пустой: выберите другой"; each
 * further one after ". ".  A form that takes several files checks them
 * all and names every one refused, never only the first.  *all starts
 * NULL; it lives in r's pool.
 */
void	 file_refusal_add(struct http_req *r, const char **all,
	    const struct http_file *f, const char *error);

/* What r->user's files use of their quota (PARTA_USER_QUOTA), bytes
 * (parta.file_used, sql/0040): >= 0, or -1 on a fault (logged). */
long long	 file_used(void);
/* The same in two halves (lib/db.h, db_send): queue it, then read its
 * answer (file_used_read: as file_used).  It reads for the request's
 * account (parta.rls_account()), so it may be queued before r->user is
 * known (lib/app.h, APP_ONE_TRIP). */
struct db_query;
struct db_query	*file_used_send(void);
long long	 file_used_read(struct db_query *);

/* What is left for r->user's next files charged to organization org, in
 * bytes (parta.file_room, sql/0067): of their own quota
 * (PARTA_USER_QUOTA) into *user_left and of the organization's
 * (PARTA_ORG_QUOTA) into *org_left, each >= 0, by what is used now (an
 * upload is checked again under the locks).  r->user must be in org.
 * 0, or an HTTP status (logged). */
int	 file_room(struct http_req *r, long long org, long long *user_left,
	    long long *org_left);

/* Whether uploaded part f is a file chosen for the form's field "file"
 * (a file input left empty sends a part with no name and no bytes). */
int	 file_chosen(const struct http_file *f);

/* For lib/file and its tests. */
struct pool;
/* The type kept for data, decided by its content (libmagic; and
 * "text/plain" for UTF-16LE text without a byte order mark, which
 * libmagic does not tell from binary data): one of the list above
 * ("application/pdf", "image/jpeg"...), or NULL for anything else (HTML,
 * scripts, programs, unknown). */
const char	*file_type_of(const void *data, size_t len);
/* Plain text in UTF-8 (lib/file.c says how): 0 with *out NULL when
 * in is UTF-8 already, or *out malloc'd holding it converted from
 * UTF-16 (with a BOM, or UTF-16LE text without one) or Windows-1251,
 * *outlen its bytes; 1 when it
 * cannot be read as any of those; -1 on a fault (logged). */
int		 file_text_utf8(const char *in, size_t len, char **out,
		    size_t *outlen);
/* What a person calls a file of that type: "PDF", "Фото", "Документ
 * Word", "Таблица Excel"... */
const char	*file_type_word(const char *type);
/* The name a file is kept under: the last part of what the browser sent
 * (no folders), control characters replaced, at most 255 bytes of
 * UTF-8, ending in an extension of its type ("фото.jpg"). */
char		*file_name_kept(struct pool *, const char *sent,
		    const char *type);
/* The Content-Disposition value for name (RFC 6266): an ASCII fallback
 * and filename*=UTF-8''... */
char		*file_disposition(struct pool *, const char *name, int inline_);

/*
 * Re-encode an image without its metadata (EXIF, GPS, XMP, ICC),
 * turned upright by its orientation, and make a JPEG preview at most
 * FILE_PREVIEW_PX on a side: libvips, in a child process confined by
 * seccomp (lib/file_image.c).  type is the image's ("image/jpeg"...).
 * 0 with *out and *preview malloc'd; 1 when the image cannot be read
 * (broken); 2 when it has more than FILE_MAX_PIXELS (the one place for
 * that number: the refusal says it); -1 on a fault (logged).
 */
#define FILE_PREVIEW_PX		320
#define FILE_MAX_PIXELS		(50 * 1000 * 1000)
struct file_image {
	char	*out;
	size_t	 out_len;
	char	*preview;
	size_t	 preview_len;
};
int		 file_image(const void *data, size_t len, const char *type,
		    struct file_image *);
/* file_image done by deadline (ms of CLOCK_MONOTONIC) at the latest:
 * 3 when it was not (the child ended). */
int		 file_image_by(const void *data, size_t len, const char *type,
		    long long deadline, struct file_image *);
/* The pixels (width times height) an image of type ("image/jpeg",
 * "image/png", "image/webp") says in its header that it has, into
 * *pixels: 0, or -1 when the header says nothing readable (*pixels 0).
 * Reads only the header's fixed fields, within len (lib/file_pixels.c);
 * nothing is decoded. */
int		 file_image_pixels(const void *data, size_t len,
		    const char *type, unsigned long long *pixels);
/* For the tests: 1 when a child confined as file_image's is (libvips
 * started, then the seccomp filter) is refused opening a file and
 * ended when it starts a process; else 0. */
int		 file_image_confined(void);

#endif
