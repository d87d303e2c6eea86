/*
 * pager: the one way a long list of an organization is paged (members,
 * classes, applications, links, the audit log, materials).
 *
 * A list is ordered by a stable, unique key that ends in the row's id
 * ((name, id), (created_at, id)...), and is read by keyset, never by
 * OFFSET: a page is the PAGER_SIZE rows after the row whose id the
 * link carries, ?after=ID, the statement looking that row's key up
 * itself, in the same organization (an id that is none there, or NULL
 * on the first page, gives the key below every row: the first page,
 * never another organization's rows):
 *
 *	AND (x.k, x.id) > (SELECT coalesce(max(y.k), <lowest>),
 *	 coalesce(max(y.id), 0) FROM ... y
 *	 WHERE y.org_id = $1 AND y.id = $N)
 *	ORDER BY x.k, x.id LIMIT <PAGER_SIZE + 1>
 *
 * so that a row added or removed between pages neither repeats nor
 * hides another.  No "$N IS NULL OR": the programs run generic plans
 * (lib/db.c), and the row comparison is what lets the plan walk the
 * order's index and stop after 51 rows.  The statement also gives the list's total under the
 * same filters, one column "total" on every row; when the page is
 * empty it still answers one row with the total and a NULL id
 * (SELECT t.total, x.* FROM (SELECT count(*) ...) t LEFT JOIN LATERAL
 * (...) x ON true), which pager_ctx counts as no row.
 *
 * The way back: a keyset page knows the rows after it, not the page
 * before, so each link forward also carries the cursors of the pages
 * passed, ?back=ID.ID... (oldest first, at most PAGER_TRAIL: past that
 * the oldest is dropped, and going back from that far lands on the
 * first page a few pages early -- past 1 000 rows).  «Назад» goes to
 * the last of them with the rest; on the second page «В начало» is the
 * way back.  No statement changes: a previous page is the same
 * ?after= page it was.
 *
 * A page writes into its context, for the partial html/templates/
 * pager.html: pager_total («Всего 3 000 участников»), pager_first
 * (the first page's URL, when not on it), pager_prev (the previous
 * page's, from the third page on) and pager_next (the next page's,
 * when there is one).
 */
#ifndef PARTA_PAGER_H
#define PARTA_PAGER_H

struct http_req;
struct html_ctx;
struct pg_result;

#define PAGER_SIZE	50	/* rows a page */
#define PAGER_TRAIL	20	/* cursors of earlier pages a link keeps */

struct pager {
	const char	*after;	/* the id the page starts after; NULL:
				 * the first page */
	const char	*back;	/* the earlier pages' cursors, "ID.ID"
				 * oldest first; NULL: none */
	const char	*path;	/* the list's URL with its filters */
};

/* Read ?after= and ?back= of the request for the list at path (its
 * query, if any, already percent-encoded: pager_path).  0, or
 * HTTP_BAD_REQUEST for an after that is not a row's id (pager_id), a
 * back that is not up to PAGER_TRAIL of them joined by '.', or a back
 * without an after. */
int		 pager_read(struct http_req *, struct pager *,
		    const char *path);
/* The query parameter name as a row's id, the cursor's or a filter's
 * (class, who): *out NULL when it is missing or empty.  0, or
 * HTTP_BAD_REQUEST when it is not 1 to 18 digits without a leading
 * zero. */
int		 pager_id(struct http_req *, const char *name,
		    const char **out);
/* path with the query parameters given as name, value pairs ending in
 * NULL; a NULL or empty value is left out. */
const char	*pager_path(struct http_req *, const char *path, ...)
		    __attribute__((sentinel));
/* The rows of res to show (at most PAGER_SIZE; none when the first's
 * idcol is NULL), with the total (column "total") in words (the noun's
 * three forms: участник, участника, участников; one NULL: a list that
 * does not count its rows) and the links into c. */
int		 pager_ctx(struct http_req *, struct html_ctx *,
		    const struct pager *, const struct pg_result *,
		    const char *idcol, const char *one, const char *few,
		    const char *many);
/* n with its thousands apart («3 000», a no-break space), from the
 * request's pool. */
const char	*pager_number(struct http_req *, long long n);

#endif
