/*
 * invite: an organization's invite links.  Create a link for one role
 * (and, for students, one class), list them, show one with its full link
 * and who joined by it, revoke it; make personal single-use links for a
 * list of names, with a printable A4 sheet of cut-out cards (QR codes)
 * and a CSV of name and link.
 *
 * Who: the organization's admin, for any role and class; a homeroom
 * teacher, only student links for their own classes, and they see only
 * those links (and the ones they made).  Other members get 403, people
 * outside the organization 404 (APP_REVIEWER in the routes table: the
 * dispatcher says so before a handler runs).
 *
 * Limits (README, "Configuration"): lifetime 1..PARTA_INVITE_MAX_HOURS
 * hours, 1..PARTA_INVITE_MAX_USES uses, and at most PARTA_INVITE_DAILY
 * links per person per organization in any 24 hours (roster links
 * aside: see below).  The daily count is
 * taken in the creating transaction after locking the creator's member
 * row, so parallel requests of one person queue there and never pass
 * the limit together.
 *
 * The right to make links is the database's word at the moment a link is
 * made (trigger invite_admit, sql/0012_membership.sql): a person whose
 * right ended while the request was on its way (taken out of the
 * organization, no longer the class's homeroom teacher) gets 403 and no
 * link.  The links a person made are revoked when that right ends; their
 * pages say so.
 *
 * Tokens.  A link is /join/TOKEN; the database keeps only SHA-256(TOKEN)
 * (what join looks up), yet a link's page must show the link again.  So
 * the token is not stored but derived: TOKEN = base64url(HMAC-SHA256(
 * PARTA_SECRET, "parta-invite-v1" 0 org_id 0 salt)), salt being 32 bytes
 * from getrandom(2) kept in the row.  The derivation is lib's
 * (crypto_link_*, lib/crypto.h), shared with the chat program's links.
 * Neither a copy of the database nor the key alone gives a working link;
 * the 256 random bits of the salt make every token unpredictable.
 * Changing PARTA_SECRET keeps old links working (their hashes stay) but
 * their pages can no longer show them: the derived token no longer
 * matches the stored hash, and the page says so.
 *
 * Roster links (issue 20).  The same bulk route, given roster_id instead
 * of names, makes one personal single-use link for each expected person
 * of an applied roster (parta.roster_row, state 'expected') who has no
 * working link yet, in one batch per role and class (invite_batch
 * .roster_id set; roster_row.invite_id points at the link): mode=print
 * for the rows without phone or e-mail (cards and CSV, as any batch),
 * mode=send for the rows with them, the link going by SMS and e-mail
 * through lib/outbox, each message counted against its recipient's
 * limit (lib/code's code_quota: a recipient over it is skipped and the
 * page says when to try again; roster_row.link_sent_at is set for the
 * rows reached).  Roster links do not count against the daily limit:
 * that limit is against the spam of shared links, and a roster is
 * bounded by itself.  Whoever follows a roster link files an
 * application like any other (sql/0012's triggers refuse a barred
 * person; the roster rules of 0029 may accept it at once).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "code.h"
#include "csv.h"
#include "config.h"
#include "crypto.h"
#include "db.h"
#include "json.h"
#include "log.h"
#include "org.h"
#include "outbox.h"
#include "pager.h"
#include "pool.h"
#include "qr.h"
#include "utf8.h"

static int	invite_list(struct http_req *);
static int	invite_create(struct http_req *);
static int	invite_show(struct http_req *);
static int	revoke_confirm(struct http_req *);
static int	invite_revoke(struct http_req *);
static int	bulk_form(struct http_req *);
static int	bulk_create(struct http_req *);
static int	batch_show(struct http_req *);
static int	batch_print(struct http_req *);
static int	batch_csv(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN | APP_REVIEWER | APP_ONE_TRIP, "/org/{n}/invites",
	    invite_list },
	{ APP_POST | APP_LOGIN | APP_REVIEWER, "/org/{n}/invites",
	    invite_create },
	{ APP_GET | APP_LOGIN | APP_REVIEWER, "/org/{n}/invites/bulk",
	    bulk_form },
	{ APP_POST | APP_LOGIN | APP_REVIEWER | APP_UPLOAD,
	    "/org/{n}/invites/bulk", bulk_create },
	{ APP_GET | APP_LOGIN | APP_REVIEWER, "/org/{n}/invites/{n}",
	    invite_show },
	{ APP_GET | APP_LOGIN | APP_REVIEWER, "/org/{n}/invites/{n}/revoke",
	    revoke_confirm },
	{ APP_POST | APP_LOGIN | APP_REVIEWER, "/org/{n}/invites/{n}/revoke",
	    invite_revoke },
	{ APP_GET | APP_LOGIN | APP_REVIEWER, "/org/{n}/invites/batches/{n}",
	    batch_show },
	{ APP_GET | APP_LOGIN | APP_REVIEWER,
	    "/org/{n}/invites/batches/{n}/print", batch_print },
	{ APP_GET | APP_LOGIN | APP_REVIEWER,
	    "/org/{n}/invites/batches/{n}/csv", batch_csv },
};

enum inv_key { INV_ROLE, INV_CLASS, INV_TTL, INV_USES, INV__MAX };


static const struct valid_field inv_fields[INV__MAX] = {
	{ "role", valid_role, 1 },		/* INV_ROLE */
	{ "class_id", valid_uint, 0 },		/* INV_CLASS */
	{ "ttl_hours", valid_uint, 1 },		/* INV_TTL */
	{ "max_uses", valid_uint, 1 },		/* INV_USES */
};

enum bulk_key { BULK_ROLE, BULK_CLASS, BULK_TTL, BULK__MAX };

static const struct valid_field bulk_fields[BULK__MAX] = {
	{ "role", valid_role, 1 },		/* BULK_ROLE */
	{ "class_id", valid_uint, 0 },		/* BULK_CLASS */
	{ "ttl_hours", valid_uint, 1 },		/* BULK_TTL */
};

#define LABEL_MAX	100	/* characters of a name in a personal link */
#define BULK_MAX	1000	/* names read from one list or file */
#define BAD_LINES_SHOWN	5



/* Classes a link may be for: all current ones for the admin, the
 * homeroom teacher's own for them (the request's account). */
static const struct db_stmt q_classes = {
	"invite_classes",
	"SELECT c.id, parta.class_name(c.grade, c.letter, c.title) AS name,"
	" c.kind"
	" FROM parta.class c WHERE c.org_id = $1 AND c.archived_at IS NULL"
	" AND (coalesce((SELECT v.role = 'admin'"
	"  FROM parta.viewer_role($1) v), false)"
	"  OR EXISTS (SELECT 1 FROM parta.class_member cm"
	"  WHERE cm.org_id = c.org_id AND cm.class_id = c.id"
	"  AND cm.account_id = parta.rls_account() AND cm.role = 'homeroom'))"
	" ORDER BY c.kind, c.grade NULLS LAST, c.letter, c.title, c.id"
};

static const struct db_stmt q_class_check = {
	"invite_class_check",
	"SELECT c.kind, c.archived_at IS NULL AS live,"
	" EXISTS (SELECT 1 FROM parta.class_member cm"
	"  WHERE cm.org_id = c.org_id AND cm.class_id = c.id"
	"  AND cm.account_id = $3 AND cm.role = 'homeroom') AS mine"
	" FROM parta.class c WHERE c.org_id = $1 AND c.id = $2"
};

/* Serializes one person's link creation in one organization. */
static const struct db_stmt q_lock_member = {
	"invite_lock_member",
	"SELECT role FROM parta.member WHERE org_id = $1 AND account_id = $2"
	" FOR UPDATE"
};

/*
 * Links the person (the request's account) made in the last 24 hours,
 * and when the window will have room for more: the moment the
 * ($2 + 1)-th newest one ages out, in the organization's time.
 * A roster's links are not counted (see the top of this file).
 */
static const struct db_stmt q_window = {
	"invite_window",
	"WITH w AS (SELECT i.created_at FROM parta.invite i"
	"  WHERE i.org_id = $1 AND i.created_by = parta.rls_account()"
	"  AND i.created_at > now() - interval '24 hours'"
	"  AND NOT EXISTS (SELECT 1 FROM parta.invite_batch b"
	"   WHERE b.org_id = i.org_id AND b.id = i.batch_id"
	"   AND b.roster_id IS NOT NULL)),"
	" k AS (SELECT created_at + interval '24 hours' AS at FROM w"
	"  ORDER BY created_at DESC OFFSET $2::int LIMIT 1)"
	" SELECT (SELECT count(*) FROM w) AS n,"
	" (SELECT parta.local_time(k.at, z.tz) FROM k, parta.org_tz($1) z)"
	"  AS next_at,"
	" (SELECT ceil(extract(epoch FROM at - now()))::bigint FROM k)"
	"  AS wait_s"
};

/*
 * Links of one role, class, number of uses, lifetime and batch, one per
 * element of the JSON array $5 ({"hash", "salt", "label"}: links_insert),
 * in its order: the one statement every link is made by.  Refused by
 * the database when the maker's right ended meanwhile.
 */
static const struct db_stmt q_insert = {
	"invite_insert",
	"INSERT INTO parta.invite (org_id, created_by, role, class_id,"
	" token_hash, token_salt, label, max_uses, expires_at, batch_id)"
	" SELECT $1, $2, $3, nullif($4, '')::bigint, decode(l.v->>'hash', 'hex'),"
	" decode(l.v->>'salt', 'hex'), l.v->>'label', $6::int,"
	" now() + make_interval(hours => $7::int), nullif($8, '')::bigint"
	" FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS l(v, n)"
	" ORDER BY l.n RETURNING id",
	DB_NOT_ALLOWED
};

/* A batch of personal links: of a list of names, or of roster $5. */
static const struct db_stmt q_batch_insert = {
	"invite_batch_insert",
	"INSERT INTO parta.invite_batch (org_id, created_by, role, class_id,"
	" roster_id) VALUES ($1, $2, $3, nullif($4, '')::bigint,"
	" nullif($5, '')::bigint) RETURNING id"
};

/*
 * A page of the links the request's account may see (lib/pager), newest
 * first: for class $3 (NULL: any), in state $4 ('active', 'inactive':
 * used up, expired or revoked; NULL: any), after link $5, $2 rows; with
 * the total under the filters; times in the organization's zone.  The
 * page's links are chosen on invite alone (p) before anything is joined
 * to them, their creators read once each by their key (cr: with the
 * viewer's standing read in the statement, the planner may otherwise
 * join every account of the platform, 7 000 rows in test_lists) and
 * each one's class by its key: planned for an organization of average
 * size (five links among 10 000 schools), a join before the LIMIT read
 * an account and a class for each of the big school's 300 links, and a
 * set of the school's classes read once was joined to the page by
 * comparing every link with every class (its size misjudged as one
 * row: 51 x 120 comparisons, 0.7 ms of the big school's page among
 * 10 000 schools, bench of 1 December).  The viewer's standing is a
 * column of its own (va), not a sub-select among parta.link_visible's
 * arguments: with one there, the planner does not inline the function
 * and calls it once a link (its statement set up anew each time, under
 * the policies: 8 M instructions of the big school's page).
 */
static const struct db_stmt q_list = {
	"invite_list",
	"WITH f AS NOT MATERIALIZED (SELECT i.* FROM parta.invite i"
	"  CROSS JOIN (SELECT coalesce((SELECT v.role = 'admin'"
	"   FROM parta.viewer_role($1) v), false) AS admin) va"
	"  CROSS JOIN LATERAL parta.link_visible(org => $1,"
	"  viewer => parta.rls_account(), viewer_admin => va.admin,"
	"  made_by => i.created_by, link_role => i.role,"
	"  link_class => i.class_id) v"
	"  WHERE i.org_id = $1 AND v.visible"
	"  AND ($3::bigint IS NULL OR i.class_id = $3)"
	"  AND ($4::text IS NULL OR (parta.link_status(i.revoked_at, i.uses,"
	"   i.max_uses, i.expires_at) = 'active') = ($4 = 'active'))),"
	" p AS MATERIALIZED (SELECT f.* FROM f"
	"  WHERE f.id < coalesce($5::bigint, 9223372036854775807)"
	"  ORDER BY f.id DESC LIMIT $2::int),"
	" cr AS MATERIALIZED (SELECT a.id, a.creator, a.gender"
	"  FROM (SELECT DISTINCT p.created_by FROM p) d"
	"  CROSS JOIN LATERAL (SELECT a.id,"
	"   a.last_name || ' ' || a.first_name AS creator, a.gender"
	"   FROM parta.account a WHERE a.id = d.created_by LIMIT 1) a),"
	" tz AS MATERIALIZED (SELECT z.tz FROM parta.org_tz($1) z)"
	" SELECT t.total, x.* FROM (SELECT count(*) AS total FROM f) t"
	" LEFT JOIN LATERAL (SELECT i.id, i.role, i.label, i.batch_id,"
	" i.max_uses - i.uses AS uses_left, i.max_uses,"
	" parta.local_time(i.expires_at, tz.tz) AS expires,"
	" to_char(i.created_at AT TIME ZONE tz.tz, 'DD.MM.YYYY') AS created,"
	" parta.link_status(i.revoked_at, i.uses, i.max_uses, i.expires_at)"
	"  AS status,"
	" cl.name AS class_name, cr.creator, cr.gender AS creator_gender"
	" FROM p i CROSS JOIN tz JOIN cr ON cr.id = i.created_by"
	" LEFT JOIN LATERAL (SELECT"
	"  parta.class_name(c.grade, c.letter, c.title) AS name"
	"  FROM parta.class c WHERE c.org_id = $1 AND c.id = i.class_id) cl"
	" ON true"
	" ORDER BY i.id DESC) x ON true"
};

static const struct db_stmt q_get = {
	"invite_get",
	"SELECT i.id, i.role, i.label, i.batch_id, i.uses, i.max_uses,"
	" i.max_uses - i.uses AS uses_left,"
	" parta.local_time(i.expires_at, $4) AS expires,"
	" parta.local_time(i.created_at, $4) AS created,"
	" parta.local_time(i.revoked_at, $4) AS revoked,"
	" parta.link_status(i.revoked_at, i.uses, i.max_uses, i.expires_at)"
	"  AS status,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name,"
	" encode(i.token_hash, 'hex') AS token_hash,"
	" coalesce(encode(i.token_salt, 'hex'), '') AS token_salt,"
	" a.last_name || ' ' || a.first_name AS creator,"
	" a.gender AS creator_gender,"
	" v.visible, g.gone AS creator_gone"
	" FROM parta.invite i JOIN parta.account a ON a.id = i.created_by"
	" LEFT JOIN parta.class c ON c.org_id = i.org_id AND c.id = i.class_id"
	" CROSS JOIN LATERAL parta.link_visible(org => $1, viewer => $2,"
	"  viewer_admin => $3, made_by => i.created_by, link_role => i.role,"
	"  link_class => i.class_id) v"
	" CROSS JOIN LATERAL parta.link_maker_gone(org => i.org_id,"
	"  made_by => i.created_by, link_class => i.class_id) g"
	" WHERE i.org_id = $1 AND i.id = $5"
};

/* Attribution: the applications filed by following the link. */
static const struct db_stmt q_joined = {
	"invite_joined",
	"SELECT ap.account_id, ap.role, ap.status, ac.gender,"
	" EXISTS (SELECT 1 FROM parta.member m WHERE m.org_id = ap.org_id"
	"  AND m.account_id = ap.account_id) AS member,"
	" parta.full_name(ac.last_name, ac.first_name, ac.patronymic)"
	"  AS name,"
	" parta.local_time(ap.created_at, $3) AS at"
	" FROM parta.application ap JOIN parta.account ac"
	" ON ac.id = ap.account_id"
	" WHERE ap.org_id = $1 AND ap.invite_id = $2"
	" ORDER BY ap.created_at, ap.id"
};

static const struct db_stmt q_revoke = {
	"invite_revoke",
	"UPDATE parta.invite SET revoked_at = now()"
	" WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING id"
};

static const struct db_stmt q_batch = {
	"invite_batch",
	"SELECT b.id, b.role, b.roster_id,"
	" b.roster_id IS NOT NULL"
	"  AND parta.roster_authority(b.org_id, b.roster_id) IS NULL"
	"  AS roster_off,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name,"
	" parta.local_time(b.created_at, $4) AS created,"
	" a.last_name || ' ' || a.first_name AS creator,"
	" a.gender AS creator_gender, v.visible"
	" FROM parta.invite_batch b JOIN parta.account a ON a.id = b.created_by"
	" LEFT JOIN parta.class c ON c.org_id = b.org_id AND c.id = b.class_id"
	" CROSS JOIN LATERAL parta.link_visible(org => $1, viewer => $2,"
	"  viewer_admin => $3, made_by => b.created_by, link_role => b.role,"
	"  link_class => b.class_id) v"
	" WHERE b.org_id = $1 AND b.id = $5"
};

static const struct db_stmt q_batch_links = {
	"invite_batch_links",
	"SELECT i.id, i.label,"
	" parta.local_time(i.expires_at, $3) AS expires,"
	" parta.link_status(i.revoked_at, i.uses, i.max_uses, i.expires_at)"
	"  AS status,"
	" encode(i.token_hash, 'hex') AS token_hash,"
	" coalesce(encode(i.token_salt, 'hex'), '') AS token_salt"
	" FROM parta.invite i WHERE i.org_id = $1 AND i.batch_id = $2"
	" ORDER BY i.id"
};

/*
 * The batches the request's account may see, newest first ($2: of
 * roster $2 only, '' all; at most $3): their links, how many were followed (used) and
 * how many brought someone in (joined: an application by the link was
 * accepted, or the roster row the link was made for has joined, by
 * whatever way); sent: its links went by SMS or e-mail.  The viewer's
 * standing is a column of its own, as in invite_list.
 */
static const struct db_stmt q_batches = {
	"invite_batches",
	"WITH b AS (SELECT b.id, b.role, b.class_id, b.roster_id,"
	"  b.created_by, b.created_at FROM parta.invite_batch b"
	"  CROSS JOIN (SELECT coalesce((SELECT v.role = 'admin'"
	"   FROM parta.viewer_role($1) v), false) AS admin) va"
	"  CROSS JOIN LATERAL parta.link_visible(org => $1,"
	"   viewer => parta.rls_account(), viewer_admin => va.admin,"
	"   made_by => b.created_by, link_role => b.role,"
	"   link_class => b.class_id) v"
	"  WHERE b.org_id = $1 AND v.visible"
	"  AND ($2 = '' OR b.roster_id = nullif($2, '')::bigint)"
	"  ORDER BY b.id DESC LIMIT $3::int),"
	" n AS (SELECT i.batch_id, count(*) AS links,"
	"  count(*) FILTER (WHERE i.uses > 0) AS used,"
	"  count(*) FILTER (WHERE EXISTS (SELECT 1 FROM parta.roster_row rr"
	"   WHERE rr.org_id = i.org_id AND rr.invite_id = i.id"
	"   AND rr.link_sent_at IS NOT NULL)) AS sent"
	"  FROM parta.invite i WHERE i.org_id = $1"
	"  AND i.batch_id IN (SELECT id FROM b) GROUP BY i.batch_id),"
	" j AS (SELECT i.batch_id, count(DISTINCT i.id) AS joined"
	"  FROM parta.invite i"
	"  LEFT JOIN parta.application ap ON ap.org_id = i.org_id"
	"   AND ap.invite_id = i.id AND ap.status = 'accepted'"
	"  LEFT JOIN parta.roster_row rr ON rr.org_id = i.org_id"
	"   AND rr.invite_id = i.id AND rr.state = 'joined'"
	"  WHERE i.org_id = $1 AND i.batch_id IN (SELECT id FROM b)"
	"  AND (ap.id IS NOT NULL OR rr.line IS NOT NULL)"
	"  GROUP BY i.batch_id)"
	" SELECT b.id, b.role, b.roster_id,"
	" parta.local_time(b.created_at, (SELECT z.tz"
	"  FROM parta.org_tz($1) z))"
	"  AS created,"
	" parta.class_name(c.grade, c.letter, c.title) AS class_name,"
	" a.last_name || ' ' || a.first_name AS creator,"
	" coalesce(n.links, 0) AS links, coalesce(n.used, 0) AS used,"
	" coalesce(n.sent, 0) > 0 AS sent,"
	" coalesce(j.joined, 0) AS joined"
	" FROM b JOIN parta.account a ON a.id = b.created_by"
	" LEFT JOIN parta.class c ON c.org_id = $1 AND c.id = b.class_id"
	" LEFT JOIN n ON n.batch_id = b.id LEFT JOIN j ON j.batch_id = b.id"
	" ORDER BY b.id DESC"
};

/* A roster of the organization ($3: the time zone), whether it is
 * applied but no longer in force (parta.roster_authority), and whether
 * person $4 (admin: $5) may see it, as on the roster's own pages. */
static const struct db_stmt q_roster = {
	"invite_roster",
	"SELECT r.id, r.file_name, r.applied_at IS NOT NULL AS applied,"
	" r.applied_at IS NOT NULL"
	"  AND parta.roster_authority(r.org_id, r.id) IS NULL AS off,"
	" parta.local_time(r.created_at, $3) AS created, v.visible"
	" FROM parta.roster r"
	" CROSS JOIN LATERAL parta.roster_visible(org => r.org_id,"
	"  viewer => $4, viewer_admin => $5, roster_class => r.class_id) v"
	" WHERE r.org_id = $1 AND r.id = $2"
};

/* Serializes the making of one roster's links: a second request waits
 * here, then sees the links the first one made.  Whether person $3
 * (admin: $4) may see the roster. */
static const struct db_stmt q_roster_lock = {
	"invite_roster_lock",
	"SELECT r.applied_at IS NOT NULL AS applied, v.visible"
	" FROM parta.roster r"
	" CROSS JOIN LATERAL parta.roster_visible(org => r.org_id,"
	"  viewer => $3, viewer_admin => $4, roster_class => r.class_id) v"
	" WHERE r.org_id = $1 AND r.id = $2 FOR NO KEY UPDATE OF r"
};

/*
 * The expected people of roster $2 who need a link: no link yet, or one
 * that ended unused (revoked, expired); of class $3 ('' any); $4 'print'
 * those without phone and e-mail, 'send' those with one, '' both; the
 * admin ($5) any row, a homeroom teacher ($6) the students of their own
 * classes.  A class in the archive takes nobody.  Ordered by class and
 * role (one batch each), then name.
 */
static const struct db_stmt q_roster_rows = {
	"invite_roster_rows",
	"SELECT rr.line, rr.role, rr.class_id,"
	" parta.class_name(k.grade, k.letter, k.title) AS class_name,"
	" parta.full_name(rr.last_name, rr.first_name, rr.patronymic) AS name,"
	" rr.phone, rr.email,"
	" rr.phone IS NOT NULL OR rr.email IS NOT NULL AS contact"
	" FROM parta.roster_row rr"
	" LEFT JOIN parta.class k ON k.org_id = rr.org_id AND k.id = rr.class_id"
	" LEFT JOIN parta.invite i ON i.org_id = rr.org_id"
	"  AND i.id = rr.invite_id"
	" WHERE rr.org_id = $1 AND rr.roster_id = $2 AND rr.state = 'expected'"
	" AND ($3 = '' OR rr.class_id = nullif($3, '')::bigint)"
	" AND ($4 = '' OR ($4 = 'send') ="
	"  (rr.phone IS NOT NULL OR rr.email IS NOT NULL))"
	" AND (i.id IS NULL OR (i.uses = 0"
	"  AND (i.revoked_at IS NOT NULL OR i.expires_at <= now())))"
	" AND (rr.role = 'teacher' OR rr.class_id IS NOT NULL)"
	" AND (rr.class_id IS NULL OR k.archived_at IS NULL)"
	" AND ($5::boolean OR (rr.role = 'student' AND EXISTS (SELECT 1"
	"  FROM parta.class_member cm WHERE cm.org_id = rr.org_id"
	"  AND cm.class_id = rr.class_id AND cm.account_id = $6"
	"  AND cm.role = 'homeroom')))"
	" ORDER BY rr.class_id IS NOT NULL, k.kind, k.grade NULLS FIRST,"
	" k.letter, k.title, rr.class_id, rr.role, rr.last_name,"
	" rr.first_name, rr.patronymic, rr.line"
};

/* The rows' links, by the JSON array $3 of {"line", "hash"} (the hex
 * SHA-256 of the link's token); link_sent_at when they went by SMS or
 * e-mail ($4). */
static const struct db_stmt q_roster_row_link = {
	"invite_roster_row_link",
	"UPDATE parta.roster_row rr SET invite_id = i.id,"
	" link_sent_at = CASE WHEN $4::boolean THEN now() END"
	" FROM jsonb_to_recordset($3::jsonb) AS u(line int, hash text)"
	" JOIN parta.invite i ON i.org_id = $1"
	"  AND i.token_hash = decode(u.hash, 'hex')"
	" WHERE rr.org_id = $1 AND rr.roster_id = $2 AND rr.line = u.line"
};

/* When links made now for $1 hours end, in time zone $2 (now() is the
 * transaction's start: the same for every link it makes). */
static const struct db_stmt q_expiry = {
	"invite_expiry",
	"SELECT parta.local_time(now() + make_interval(hours => $1::int), $2)"
	" AS expires"
};

/* A message to one recipient is counted inside a savepoint, so that one
 * over its limit is taken back alone (lib/code: the caller rolls back). */
static const struct db_stmt q_savepoint = {
	"invite_savepoint", "SAVEPOINT invite_send"
};
static const struct db_stmt q_savepoint_release = {
	"invite_savepoint_release", "RELEASE SAVEPOINT invite_send"
};
static const struct db_stmt q_savepoint_undo = {
	"invite_savepoint_undo", "ROLLBACK TO SAVEPOINT invite_send"
};

/* A list of names for personal links, from the pool. */
struct names {
	const char	**v;
	size_t		  n;
	size_t		  cap;
};

/* A link to make (links_insert): its label, then its salt, the hash of
 * its token, and the token when the caller keeps it to send. */
struct link {
	const char	*label;
	char		 salt[2 * CRYPTO_SALT_LEN + 1];
	char		 hash[2 * CRYPTO_SHA256_LEN + 1];
	char		 token[CRYPTO_TOKEN_LEN + 1];
};

static const char *
status_name(const char *status)
{
	if (strcmp(status, "active") == 0)
		return "действует";
	if (strcmp(status, "expired") == 0)
		return "срок истёк";
	if (strcmp(status, "revoked") == 0)
		return "отозвана";
	if (strcmp(status, "used") == 0)
		return "использована";
	return status;
}

/* The organization's time zone (its region's) into *tz, for showing
 * times, as the dispatcher loaded it with the person's standing (every
 * route here is an organization's): 0. */
static int
org_tz(struct http_req *r, const char **tz)
{
	*tz = r->org->tz;
	return 0;
}

/* A new salt, and the hex of it and of the token's SHA-256 (see the top
 * of this file), and the token itself into token unless it is NULL: 0,
 * or HTTP_SERVER_ERROR. */
static int
token_new(long long org, char salt_hex[2 * CRYPTO_SALT_LEN + 1],
    char hash_hex[2 * CRYPTO_SHA256_LEN + 1], char *token)
{
	if (crypto_link_new(config->secret, CRYPTO_LINK_INVITE, org, salt_hex,
	    hash_hex, token) == -1) {
		log_err("token", "cannot make a link: %s", strerror(errno));
		return HTTP_SERVER_ERROR;
	}
	return 0;
}

/* The full link of a stored invite, or NULL when it cannot be shown
 * (no salt, or the key changed since: the token would not match). */
static const char *
invite_link(struct http_req *r, const char *salt_hex, const char *hash_hex)
{
	char		 token[CRYPTO_TOKEN_LEN + 1];
	const char	*link;

	if (!app_secret_ok() || crypto_link_again(config->secret,
	    CRYPTO_LINK_INVITE, r->id[0], salt_hex, hash_hex, token) == -1)
		return NULL;
	link = pool_printf(r->pool, "%s/join/%s", app_base_url(r), token);
	explicit_bzero(token, sizeof(token));
	return link;
}

static struct db_query	*window_send(struct http_req *, long long);
static int		 window_read(struct http_req *, struct db_query *,
			    long long *, const char **, long long *);
static int		 form_ctx_sent(struct http_req *,
			    const struct org_access *, struct html_ctx *,
			    const char *, const char *, struct db_query *,
			    struct db_query *);

/* The person's links in the last 24 hours into *n; *next_at and *wait_s
 * tell when `need` more will fit (NULL/0 if they already do or never
 * will).  0, or an HTTP status. */
static int
window_count(struct http_req *r, long long need,
    long long *n, const char **next_at, long long *wait_s)
{
	return window_read(r, window_send(r, need), n, next_at, wait_s);
}

/* window_count in two halves, so that the statement travels with
 * others (lib/db.h, db_send). */
static struct db_query *
window_send(struct http_req *r, long long need)
{
	long long	 skip = config->invite_daily - need;

	if (skip < 0)
		skip = 0;
	return db_send(&q_window, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, skip));
}

static int
window_read(struct http_req *r, struct db_query *q, long long *n,
    const char **next_at, long long *wait_s)
{
	PGresult	*res;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	*n = db_getll(res, 0, "n");
	if (next_at != NULL)
		*next_at = db_isnull(res, 0, "next_at") ? NULL :
		    pool_strdup(r->pool, db_get(res, 0, "next_at"));
	if (wait_s != NULL)
		*wait_s = db_isnull(res, 0, "wait_s") ? 0 :
		    db_getll(res, 0, "wait_s");
	return 0;
}

/* The statement of classes_ctx, to send ahead (for the request's
 * account: before it is known, too). */
static struct db_query *
classes_send(struct http_req *r)
{
	return db_send(&q_classes, PGRES_TUPLES_OK, app_num(r, r->id[0]));
}

/* The class choices of the forms, marking the chosen one; on a fresh
 * form (pick set) the first class of students is chosen, so the form is
 * valid as shown.  The number of classes of students into *n: 0, or an
 * HTTP status. */
static int
classes_ctx(struct http_req *r, struct html_ctx *c, const char *chosen, int pick, int *n,
    struct db_query *q)
{
	struct html_ctx	*it;
	PGresult	*res;
	const char	*id;
	int		 i, staff;

	*n = 0;
	if (q == NULL)
		q = classes_send(r);
	if ((res = db_result(q)) == NULL)
		return app_db_error();
	html_list_init(c, "classes");
	for (i = 0; i < PQntuples(res); i++) {
		id = db_get(res, i, "id");
		staff = strcmp(db_get(res, i, "kind"), "staff") == 0;
		it = html_list_add(c, "classes");
		html_set_str(it, "id", id);
		html_set_str(it, "name", db_get(res, i, "name"));
		html_set_bool(it, "staff", staff);
		html_set_bool(it, "selected", chosen != NULL ?
		    strcmp(chosen, id) == 0 : pick && !staff && *n == 0);
		*n += !staff;
	}
	return 0;
}

/*
 * A lifetime in words, in whole days when it is: "1 час", "12 часов",
 * "1 день", "14 дней"; after "до" (until): "до 1 часа", "до 12 часов",
 * "до 1 дня", "до 14 дней".
 */
static const char *
ttl_words(struct pool *p, long long h, int until)
{
	static const char *const w[2][2][3] = {
		{ { "час", "часа", "часов" }, { "день", "дня", "дней" } },
		{ { "часа", "часов", "часов" }, { "дня", "дней", "дней" } },
	};
	const char *const	*f = w[until != 0][h % 24 == 0];
	long long		 n = h % 24 == 0 ? h / 24 : h;

	return pool_printf(p, "%lld %s", n, ru_plural(n, f[0], f[1], f[2]));
}

/* "1 раз", "3 раза", "5 раз". */
static const char *
times_words(struct pool *p, long long n)
{
	return pool_printf(p, "%lld %s", n, ru_plural(n, "раз", "раза", "раз"));
}

/* The message for a lifetime out of range. */
static const char *
ttl_error(struct http_req *r)
{
	return pool_printf(r->pool, "Выберите срок действия: от 1 часа до %s",
	    ttl_words(r->pool, config->invite_max_hours, 1));
}

/* Adds h to the sorted list l of n hours unless it is there. */
static size_t
hours_add(long long *l, size_t n, long long h)
{
	size_t	 i, j;

	for (i = 0; i < n && l[i] < h; i++)
		;
	if (i < n && l[i] == h)
		return n;
	for (j = n; j > i; j--)
		l[j] = l[j - 1];
	l[i] = h;
	return n + 1;
}

/* The lifetime choices, in hours and days up to the limit, marking the
 * one in the form's ttl_hours; a value sent that is not a choice (a
 * script's, or one out of range, shown with its error) is kept as one
 * more choice. */
static void
ttl_ctx(struct http_req *r, struct html_ctx *c)
{
	static const long long	 hours[] = { 1, 3, 12, 24, 48, 72, 168, 336 };
	long long		 l[sizeof(hours) / sizeof(hours[0]) + 2];
	struct html_ctx		*it;
	const char		*v = html_get_str(c, "ttl_hours");
	long long		 want = -1;
	size_t			 i, n = 0;

	if (v != NULL && *v != '\0' && strlen(v) <= 6 &&
	    strspn(v, "0123456789") == strlen(v))
		want = atoll(v);
	for (i = 0; i < sizeof(hours) / sizeof(hours[0]); i++)
		if (hours[i] <= config->invite_max_hours)
			n = hours_add(l, n, hours[i]);
	n = hours_add(l, n, config->invite_max_hours);
	if (want >= 1)		/* kept as sent, even when out of range */
		n = hours_add(l, n, want);
	html_list_init(c, "ttl_choices");
	for (i = 0; i < n; i++) {
		it = html_list_add(c, "ttl_choices");
		html_set_int(it, "hours", l[i]);
		html_set_str(it, "words", ttl_words(r->pool, l[i], 0));
		html_set_bool(it, "selected", l[i] == want);
	}
}

/* What both forms show: menu, role choice, classes, lifetimes, today's
 * allowance.  A fresh form (no role, no class yet) is valid as shown: a
 * student of the first class, or, with no class for students, a teacher
 * (for the admin).  0, or an HTTP status. */
static int
form_ctx(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, const char *role, const char *class_id)
{
	return form_ctx_sent(r, a, c, role, class_id, NULL, NULL);
}

/* The same with its statements sent already (the list page's, lib/db.h):
 * classes (classes_send) and window (window_send, for one link); NULL:
 * sent now. */
static int
form_ctx_sent(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, const char *role, const char *class_id,
    struct db_query *classes, struct db_query *window)
{
	long long	 n = 0;
	int		 fresh = role == NULL && class_id == NULL, ncls, rc;

	org_ctx(c, a);
	html_set_bool(c, "may_teacher", a->is_admin);
	if ((rc = classes_ctx(r, c, class_id, fresh, &ncls, classes)) != 0)
		return rc;
	if (a->is_admin && ((role != NULL && strcmp(role, "teacher") == 0) ||
	    (fresh && ncls == 0)))
		html_set_bool(c, "role_teacher", 1);
	else
		html_set_bool(c, "role_student", 1);
	ttl_ctx(r, c);
	html_set_str(c, "max_ttl", ttl_words(r->pool, config->invite_max_hours,
	    1));
	html_set_int(c, "max_uses_limit", config->invite_max_uses);
	html_set_int(c, "daily", config->invite_daily);
	if (window == NULL)
		window = window_send(r, 1);
	if ((rc = window_read(r, window, &n, NULL, NULL)) != 0)
		return rc;
	html_set_int(c, "left_today", n >= config->invite_daily ? 0 :
	    config->invite_daily - n);
	return 0;
}

/* Query parameter name when it is a number (1 to 9 digits, not 0), else
 * NULL. */
static const char *
query_count(struct http_req *r, const char *name, int zero)
{
	const char	*v = http_query(r, name);

	if (v == NULL || *v == '\0' || strlen(v) > 9 ||
	    strspn(v, "0123456789") != strlen(v) || (!zero && atoll(v) == 0))
		return NULL;
	return v;
}

/*
 * What the last roster request did, as its 303 said (?made, ?sent,
 * ?unsent, ?retry: see roster_create), in words.
 */
static void
roster_notice(struct http_req *r, struct html_ctx *c)
{
	const char	*made = query_count(r, "made", 1);
	const char	*sent = query_count(r, "sent", 1);
	const char	*unsent = query_count(r, "unsent", 0);
	const char	*retry = query_count(r, "retry", 0);
	long long	 m, n;

	if (made == NULL)
		return;
	m = atoll(made);
	if (m == 0 && unsent == NULL)
		html_set_str(c, "roster_notice", "Новых ссылок не понадобилось: "
		    "у всех, кого ждут по этому списку (в выбранном классе), "
		    "ссылка уже есть, или они уже вступили.");
	else if (sent != NULL) {
		n = atoll(sent);
		html_set_str(c, "roster_notice", pool_printf(r->pool,
		    "Создано %lld %s и отправлено по SMS или почте %lld %s.",
		    m, ru_plural(m, "ссылка", "ссылки", "ссылок"), n,
		    ru_plural(n, "человеку", "людям", "людям")));
	} else
		html_set_str(c, "roster_notice", pool_printf(r->pool,
		    "Создано %lld %s. Напечатайте листы ниже (каждый — свой "
		    "класс) или скачайте CSV.", m, ru_plural(m, "ссылка",
		    "ссылки", "ссылок")));
	if (unsent != NULL) {
		n = atoll(unsent);
		html_set_str(c, "roster_warning", pool_printf(r->pool,
		    "%lld %s ссылку не отправили: на их телефон или почту "
		    "недавно уже ушло столько сообщений, сколько можно. "
		    "Отправьте ещё раз через %s мин. — ссылки получат только "
		    "те, у кого их ещё нет.", n, ru_plural(n, "человеку",
		    "людям", "людям"), retry != NULL ? retry : "60"));
	}
}

#define BATCHES_SHOWN	30	/* batches listed on the links page */

/*
 * The batches of personal links this person may see, newest first, into
 * c ("batches": each with its links, how many were followed and how many
 * joined, to open, print again or download); with ?roster=ID only that
 * roster's, and what the last roster request did.  0, or a status.
 */
static struct db_query *
batches_send(struct http_req *r)
{
	const char	*roster = query_count(r, "roster", 0);

	return db_send(&q_batches, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    roster != NULL ? roster : "", app_num(r, BATCHES_SHOWN + 1));
}

static int
batches_ctx(struct http_req *r, struct html_ctx *c, struct db_query *q)
{
	struct html_ctx	*it;
	PGresult	*res;
	const char	*roster = query_count(r, "roster", 0);
	int		 i, rows;

	if ((res = db_result(q)) == NULL)
		return app_db_error();
	rows = PQntuples(res);
	html_list_init(c, "batches");
	for (i = 0; i < rows && i < BATCHES_SHOWN; i++) {
		it = html_list_add(c, "batches");
		html_set_str(it, "batch_id", db_get(res, i, "id"));
		html_set_str(it, "role_name",
		    org_role_name(db_get(res, i, "role")));
		html_set_str(it, "batch_roster", db_get(res, i, "roster_id"));
		html_set_bool(it, "batch_sent", db_getbool(res, i, "sent"));
		app_set_cols(it, res, i, "class_name", "created", "creator",
		    "links", "used", "joined", NULL);
	}
	html_set_bool(c, "batches_more", rows > BATCHES_SHOWN);
	if (roster != NULL) {
		html_set_str(c, "roster_id", roster);
		roster_notice(r, c);
	}
	return 0;
}

/* The list's filters from the query: class (a number) and state
 * (active or inactive): 0, or 400 for a value no form sends. */
static int
list_filter(struct http_req *r, const char **cls, const char **state)
{
	int	 rc;

	*state = http_query(r, "state");
	if (*state != NULL && (*state)[0] == '\0')
		*state = NULL;
	if ((rc = pager_id(r, "class", cls)) != 0)
		return rc;
	if (*state != NULL && strcmp(*state, "active") != 0 &&
	    strcmp(*state, "inactive") != 0)
		return HTTP_BAD_REQUEST;
	return 0;
}

/* The list page's statements, sent (lib/db.h) before the page is built:
 * its filters and every statement, for the request's account. */
struct list_q {
	const char	*fcls, *state;
	struct pager	 pg;
	int		 bad;	/* a filter or cursor no page sends: 400 */
	struct db_query	*classes, *window, *list, *batches;
};

/* Queue the list page's statements (they may go before the request is
 * admitted: APP_ONE_TRIP); the form's classes are the filter's. */
static void
list_send(struct http_req *r, struct list_q *q)
{
	memset(q, 0, sizeof(*q));
	if ((q->bad = list_filter(r, &q->fcls, &q->state)) != 0 ||
	    (q->bad = pager_read(r, &q->pg, pager_path(r, pool_printf(r->pool,
	    "/org/%lld/invites", r->id[0]), "class", q->fcls, "state",
	    q->state, NULL))) != 0)
		return;
	q->classes = classes_send(r);
	q->window = window_send(r, 1);
	q->list = db_send(&q_list, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, PAGER_SIZE + 1), q->fcls, q->state, q->pg.after);
	q->batches = batches_send(r);
}

/* The list page (form and links) of q with the given status. */
static int
list_read(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status, const char *role, const char *class_id,
    struct list_q *q)
{
	struct html_ctx	*it;
	PGresult	*res;
	const char	*fcls = q->fcls, *state = q->state;
	int		 i, rows, rc;

	if (q->bad != 0)
		return q->bad;
	if ((rc = form_ctx_sent(r, a, c, role, class_id, q->classes,
	    q->window)) != 0)
		return rc;
	html_set_str(c, "title", "Приглашения по ссылке");
	html_set_bool(c, "filtered", fcls != NULL || state != NULL);
	html_set_bool(c, "state_active", state != NULL &&
	    strcmp(state, "active") == 0);
	html_set_bool(c, "state_inactive", state != NULL &&
	    strcmp(state, "inactive") == 0);
	if ((res = db_result(q->classes)) == NULL)
		return app_db_error();
	html_list_init(c, "filter_classes");
	for (i = 0; i < PQntuples(res); i++) {
		it = html_list_add(c, "filter_classes");
		app_set_cols(it, res, i, "id", "name", NULL);
		html_set_bool(it, "selected", fcls != NULL &&
		    strcmp(fcls, db_get(res, i, "id")) == 0);
	}
	if ((res = db_result(q->list)) == NULL)
		return app_db_error();
	rows = pager_ctx(r, c, &q->pg, res, "id", "ссылка", "ссылки", "ссылок");
	html_list_init(c, "invites");
	for (i = 0; i < rows; i++) {
		it = html_list_add(c, "invites");
		html_set_str(it, "id", db_get(res, i, "id"));
		html_set_str(it, "role_name",
		    org_role_name(db_get(res, i, "role")));
		app_set_cols(it, res, i, "class_name", "label", "created",
		    "batch_id", "uses_left", "max_uses", "expires", "status",
		    NULL);
		html_set_str(it, "status_name",
		    status_name(db_get(res, i, "status")));
		html_set_str(it, "creator", db_get(res, i, "creator"));
	}
	html_set_bool(c, "has_invites", rows > 0);
	if ((rc = batches_ctx(r, c, q->batches)) != 0)
		return rc;
	return app_page(r, status, "invites", c);
}

/* The list page with the given status: the form again after a refusal. */
static int
list_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, int status, const char *role, const char *class_id)
{
	struct list_q	 q;

	list_send(r, &q);
	return list_read(r, a, c, status, role, class_id, &q);
}

/*
 * GET /org/N/invites[?class=ID&state=active|inactive&after=ID]
 * Admin or homeroom teacher.  The "new link" form, today's allowance and
 * the links this person may see, newest first, 50 a page (lib/pager),
 * with how many there are under the filters (class; active or not).  A
 * filter or cursor no page sends: 400.
 */
static int
invite_list(struct http_req *r)
{
	struct html_ctx		*c;
	struct list_q		 q;
	int			 rc, answered;

	/* The page's statements with the session's lookup (APP_ONE_TRIP). */
	list_send(r, &q);
	if ((rc = app_admit(r, &answered)) != 0 || answered)
		return rc;
	c = app_ctx(r);
	html_set_str(c, "ttl_hours", "24");
	html_set_str(c, "max_uses", "1");
	return list_read(r, r->org, c, HTTP_OK, NULL, NULL, &q);
}

/* Check a number field against 1..max, replacing any error by one that
 * names the range: 1 if fine. */
static int
range_ok(struct http_req *r, struct html_ctx *c, struct valid_result *v,
    const char *name, int max, const char *msg)
{
	if (v->error == NULL && atoll(v->value) >= 1 && atoll(v->value) <= max)
		return 1;
	html_set_str(c, pool_printf(r->pool, "%s_error", name), msg);
	html_set_bool(c, "form_errors", 1);
	return 0;
}

/*
 * Checks a chosen class inside the creating transaction: 0 (fine, or an
 * error put next to the field, counted in *errors), HTTP_FORBIDDEN when
 * a homeroom teacher names a class that is not theirs, or the status of
 * a database failure.
 */
static int
class_check(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, const char *class_id, const char *role, int *errors)
{
	PGresult	*res;
	const char	*err = NULL;
	int		 rc = 0;

	res = db_exec(&q_class_check, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    class_id, app_num(r, r->user->id));
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		err = "Такого класса нет";
	else if (!a->is_admin && !db_getbool(res, 0, "mine"))
		rc = HTTP_FORBIDDEN;
	else if (!db_getbool(res, 0, "live"))
		err = "Этот класс в архиве";
	else if (strcmp(role, "student") == 0 &&
	    strcmp(db_get(res, 0, "kind"), "staff") == 0)
		err = "Ученика можно пригласить только в класс, "
		    "не в учительскую";
	if (err != NULL) {
		html_set_str(c, "class_id_error", err);
		html_set_bool(c, "form_errors", 1);
		(*errors)++;
	}
	return rc;
}

/*
 * Lock the person's member row (so their links are made one at a time)
 * and check they may still make links: 0, HTTP_FORBIDDEN, or the status
 * of a database failure.
 */
static int
lock_creator(struct http_req *r, const struct org_access *a)
{
	PGresult	*res;
	int		 rc = 0;

	res = db_exec(&q_lock_member, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id));
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1 || strcmp(db_get(res, 0, "role"),
	    a->is_admin ? "admin" : "teacher") != 0)
		rc = HTTP_FORBIDDEN;
	return rc;
}

/* A link the database refused to make: 403 when the maker's right ended
 * since it was checked, else a fault.  Nothing is made. */
static int
insert_refused(void)
{
	if (strcmp(db_sqlstate(), DB_NOT_ALLOWED) != 0)
		return app_db_error();
	return HTTP_FORBIDDEN;
}

/*
 * Make the n links of l (labels set; "" none) by r->user in one
 * statement: for role and class cls ("" none), uses uses each, ttl
 * hours, in batch ("" none).  Each gets a new salt and token hash, and
 * its token in l[i].token when keep is set.  The first link's id into
 * *first unless it is NULL.  0, or a status (403 when the right to make
 * them ended meanwhile: nothing is made).
 */
static int
links_insert(struct http_req *r, const char *role, const char *cls,
    const char *uses, const char *ttl, const char *batch, struct link *l,
    size_t n, int keep, long long *first)
{
	struct buf	 j;
	PGresult	*res;
	size_t		 i;
	int		 rc;

	buf_init(&j);
	buf_putc(&j, '[');
	for (i = 0; i < n; i++) {
		if ((rc = token_new(r->id[0], l[i].salt, l[i].hash, keep ?
		    l[i].token : NULL)) != 0) {
			buf_free(&j);
			return rc;
		}
		buf_printf(&j, "%s{\"hash\":\"%s\",\"salt\":\"%s\","
		    "\"label\":", i > 0 ? "," : "", l[i].hash, l[i].salt);
		json_str(&j, l[i].label);
		buf_putc(&j, '}');
	}
	buf_putc(&j, ']');
	res = db_exec(&q_insert, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), role, cls, j.data, uses, ttl, batch);
	buf_free(&j);
	if (res == NULL)
		return insert_refused();
	if ((size_t)PQntuples(res) != n) {
		log_err("links", "%zu links made of %zu", (size_t)PQntuples(res),
		    n);
		return HTTP_SERVER_ERROR;
	}
	if (first != NULL && n > 0)
		*first = db_getll(res, 0, "id");
	return 0;
}

/* Fields both forms share, checked the same way, each error counted in
 * *errors: 0, or HTTP_FORBIDDEN for a role not allowed. */
static int
role_class_errors(const struct org_access *a, struct html_ctx *c,
    const struct valid_result *role, const struct valid_result *cls,
    int *errors)
{
	if (role->error == NULL && strcmp(role->value, "teacher") == 0 &&
	    !a->is_admin)
		return HTTP_FORBIDDEN;
	if (role->error == NULL && strcmp(role->value, "student") == 0 &&
	    !cls->present && cls->error == NULL) {
		html_set_str(c, "class_id_error",
		    "Для ученика выберите класс");
		html_set_bool(c, "form_errors", 1);
		(*errors)++;
	}
	if (cls->error != NULL) {
		html_set_str(c, "class_id_error", "Выберите класс из списка");
		(*errors)++;
	}
	return 0;
}

/* 429 with the form again: today's links are used up. */
static int
limit_page(struct http_req *r, const struct org_access *a,
    struct html_ctx *c, const char *msg, long long wait_s,
    const char *tpl, const char *role, const char *class_id)
{
	int	 rc;

	html_set_str(c, "limit_error", msg);
	if (wait_s > 0)
		http_header(r, "Retry-After", app_num(r, wait_s));
	if (strcmp(tpl, "invites") == 0)
		return list_page(r, a, c, HTTP_TOO_MANY, role, class_id);
	html_set_str(c, "title", "Личные ссылки списком");
	if ((rc = form_ctx(r, a, c, role, class_id)) != 0)
		return rc;
	return app_page(r, HTTP_TOO_MANY, tpl, c);
}

/*
 * POST /org/N/invites  role class_id ttl_hours max_uses
 * Admin (any role and class) or homeroom teacher (students of their own
 * classes; else 403, also when the right ends while the request is on
 * its way).  Makes one link, within the daily allowance (429 past it);
 * 303 to its page.
 */
static int
invite_create(struct http_req *r)
{
	struct valid_result	 v[INV__MAX];
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	struct link		 link;
	const char		*next_at, *msg;
	long long		 n, wait_s, id = 0;
	int			 rc, errors;

	c = app_ctx(r);
	errors = app_form(r, inv_fields, INV__MAX, v, c);
	errors += !range_ok(r, c, &v[INV_TTL], "ttl_hours",
	    config->invite_max_hours, ttl_error(r));
	errors += !range_ok(r, c, &v[INV_USES], "max_uses",
	    config->invite_max_uses, pool_printf(r->pool, "Число "
	    "использований — от 1 до %d", config->invite_max_uses));
	if ((rc = role_class_errors(a, c, &v[INV_ROLE], &v[INV_CLASS],
	    &errors)) != 0)
		return rc;
	if (!app_secret_ok())
		return HTTP_SERVER_ERROR;

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = lock_creator(r, a)) != 0)
		return rc;
	if (v[INV_CLASS].present && v[INV_CLASS].error == NULL &&
	    v[INV_ROLE].error == NULL && (rc = class_check(r, a, c,
	    v[INV_CLASS].value, v[INV_ROLE].value, &errors)) != 0)
		return rc;
	if (errors > 0) {
		html_set_bool(c, "form_errors", 1);
		return list_page(r, a, c, HTTP_UNPROCESSABLE,
		    v[INV_ROLE].value, v[INV_CLASS].value);
	}
	if ((rc = window_count(r, 1, &n, &next_at, &wait_s)) != 0)
		return rc;
	if (n >= config->invite_daily) {
		msg = pool_printf(r->pool, "За сутки можно создать не больше "
		    "%d %s, и они уже созданы. Следующую можно будет "
		    "создать %s%s.", config->invite_daily,
		    ru_plural(config->invite_daily, "ссылки", "ссылок",
		    "ссылок"), next_at ? "после " : "позже",
		    next_at ? next_at : "");
		return limit_page(r, a, c, msg, wait_s, "invites",
		    v[INV_ROLE].value, v[INV_CLASS].value);
	}
	link.label = "";
	if ((rc = links_insert(r, v[INV_ROLE].value, v[INV_CLASS].value,
	    v[INV_USES].value, v[INV_TTL].value, "", &link, 1, 0, &id)) != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/invites/%lld",
	    r->id[0], id));
}

/*
 * GET /org/N/invites/ID
 * Admin, or the homeroom teacher who may see this link (403 otherwise;
 * 404 if it is not this organization's).  The full link to copy, its QR
 * code, uses left, expiry, status, and who joined by it.  A revoked link
 * is not shown again; when its maker's right has ended (a way out
 * revokes their links), the page says so.
 */
static int
invite_show(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c, *it;
	PGresult		*res;
	const char		*tz, *link, *status, *gone;
	int			 i, dead, rc;

	if ((rc = org_tz(r, &tz)) != 0)
		return rc;
	res = db_exec(&q_get, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), a->is_admin ? "t" : "f", tz, app_num(r, r->id[1]));
	if (res == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (!db_getbool(res, 0, "visible"))
		return HTTP_FORBIDDEN;
	c = app_ctx(r);
	org_ctx(c, a);
	html_set_str(c, "title", "Ссылка-приглашение");
	html_set_str(c, "id", db_get(res, 0, "id"));
	html_set_str(c, "role_name", org_role_name(db_get(res, 0, "role")));
	app_set_cols(c, res, 0, "class_name", "label", "batch_id",
	    "uses_left", "max_uses", "expires", "created", "revoked", "creator",
	    "creator_gender", NULL);
	status = pool_strdup(r->pool, db_get(res, 0, "status"));
	html_set_str(c, "status", status);
	html_set_str(c, "status_name", status_name(status));
	/* A link that no longer works looks dead: no link, no QR code, no
	 * "revoke", and a plain word why. */
	dead = strcmp(status, "active") != 0;
	html_set_bool(c, "revocable", !dead);
	html_set_bool(c, "dead", dead);
	gone = db_get(res, 0, "creator_gone");
	if (strcmp(status, "revoked") == 0)
		html_set_str(c, "dead_why", strcmp(gone, "left") == 0 ?
		    "Ссылка отозвана: автор ссылки больше не состоит в "
		    "организации, и его ссылки отозваны." :
		    strcmp(gone, "homeroom") == 0 ?
		    "Ссылка отозвана: автор ссылки больше не классный "
		    "руководитель этого класса, и его ссылки в класс отозваны." :
		    "Ссылка отозвана.");
	else if (strcmp(status, "expired") == 0)
		html_set_str(c, "dead_why", pool_printf(r->pool, "Срок действия "
		    "ссылки истёк %s.", db_get(res, 0, "expires")));
	else if (strcmp(status, "used") == 0)
		html_set_str(c, "dead_why", pool_printf(r->pool, "Ссылка "
		    "использована: по ней уже подали заявку %s — столько, "
		    "сколько было разрешено.", times_words(r->pool,
		    db_getll(res, 0, "uses"))));
	link = dead ? NULL : invite_link(r, db_get(res, 0, "token_salt"),
	    db_get(res, 0, "token_hash"));
	if (link != NULL) {
		html_set_str(c, "link", link);
		if (qr_ctx(c, link) == -1)
			return HTTP_SERVER_ERROR;
	}

	res = db_exec(&q_joined, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->id[1]), tz);
	if (res == NULL)
		return app_db_error();
	html_list_init(c, "joined");
	for (i = 0; i < PQntuples(res); i++) {
		it = html_list_add(c, "joined");
		html_set_str(it, "account_id", db_get(res, i, "account_id"));
		html_set_str(it, "name", db_get(res, i, "name"));
		html_set_str(it, "role_name", org_person_role(db_get(res, i,
		    "role"), db_get(res, i, "gender")));
		html_set_str(it, "app_status", org_application_review(
		    db_get(res, i, "status")));
		/* Their card, while they are a member (a removed one has
		 * none to open). */
		html_set_bool(it, "accepted",
		    strcmp(db_get(res, i, "status"), "accepted") == 0 &&
		    db_getbool(res, i, "member"));
		html_set_str(it, "at", db_get(res, i, "at"));
	}
	return app_page(r, HTTP_OK, "invite", c);
}

/* The 409 for a link revoked already. */
static int
revoked_page(struct http_req *r, const struct org_access *a)
{
	struct html_ctx	*c = app_ctx(r);

	org_ctx(c, a);
	html_set_str(c, "title", "Ссылка уже отозвана");
	html_set_str(c, "message", "Эта ссылка уже отозвана раньше и больше не "
	    "действует.");
	return app_page(r, HTTP_CONFLICT, "error", c);
}

/*
 * GET /org/N/invites/ID/revoke
 * Whoever may see the link (403 otherwise; 404 if it is not this
 * organization's).  Asks to confirm revoking it, saying what that does;
 * the form posts to the same URL.  Changes nothing.  Revoked already:
 * 409.
 */
static int
revoke_confirm(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	PGresult		*res;
	const char		*tz, *cls, *label;
	int			 rc;

	if ((rc = org_tz(r, &tz)) != 0)
		return rc;
	res = db_exec(&q_get, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), a->is_admin ? "t" : "f", tz,
	    app_num(r, r->id[1]));
	if (res == NULL)
		return app_db_error();
	rc = PQntuples(res) != 1 ? HTTP_NOT_FOUND :
	    !db_getbool(res, 0, "visible") ? HTTP_FORBIDDEN : 0;
	if (rc == 0 && strcmp(db_get(res, 0, "status"), "revoked") == 0)
		return revoked_page(r, a);
	if (rc != 0)
		return rc;
	c = app_ctx(r);
	org_ctx(c, a);
	html_set_str(c, "title", "Отозвать ссылку?");
	cls = db_get(res, 0, "class_name");
	label = db_get(res, 0, "label");
	html_set_str(c, "lead", pool_printf(r->pool, "Ссылка-приглашение для "
	    "%s%s%s%s%s%s, действует до %s; %s %s.",
	    org_role_for(db_get(res, 0, "role")), cls[0] != '\0' ? " " : "",
	    cls,
	    label[0] != '\0' ? " («" : "", label, label[0] != '\0' ? "»)" : "",
	    db_get(res, 0, "expires"), ru_gender(db_get(res, 0,
	    "creator_gender"), "создал", "создала"), db_get(res, 0, "creator")));
	app_confirm_point(c, "ссылка перестанет работать сразу: кто откроет "
	    "её, увидит, что она отозвана, и заявку подать не сможет;");
	app_confirm_point(c, "заявки, уже поданные по ней, останутся — их "
	    "можно рассмотреть как обычно;");
	app_confirm_point(c, "вернуть отозванную ссылку нельзя: если нужно, "
	    "создайте новую.");
	return app_confirm(r, c, pool_printf(r->pool,
	    "/org/%lld/invites/%lld/revoke", a->id, r->id[1]), "Отозвать ссылку",
	    pool_printf(r->pool, "/org/%lld/invites/%lld", a->id, r->id[1]));
}

/*
 * POST /org/N/invites/ID/revoke
 * Whoever may see the link.  Revokes it (the link answers 410 from now
 * on) and records it in the audit; 409 if it was already revoked; 303 to
 * the link's page.
 */
static int
invite_revoke(struct http_req *r)
{
	const struct org_access	*a = r->org;
	PGresult		*res;
	const char		*detail = "";
	int			 rc, done;

	if (db_begin() == -1)
		return app_db_error();
	res = db_exec(&q_get, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), a->is_admin ? "t" : "f", "UTC",
	    app_num(r, r->id[1]));
	if (res == NULL)
		return app_db_error();
	rc = PQntuples(res) != 1 ? HTTP_NOT_FOUND :
	    !db_getbool(res, 0, "visible") ? HTTP_FORBIDDEN : 0;
	/* For the audit: "ссылка для учеников 5А «Родительское»" (its
	 * number is global across organizations: not shown). */
	if (rc == 0)
		detail = pool_printf(r->pool, "ссылка для %s%s%s%s%s%s",
		    org_role_for(db_get(res, 0, "role")),
		    db_get(res, 0, "class_name")[0] != '\0' ? " " : "",
		    db_get(res, 0, "class_name"),
		    db_get(res, 0, "label")[0] != '\0' ? " «" : "",
		    db_get(res, 0, "label"),
		    db_get(res, 0, "label")[0] != '\0' ? "»" : "");
	if (rc != 0)
		return rc;
	if ((res = db_exec(&q_revoke, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->id[1]))) == NULL)
		return app_db_error();
	done = PQntuples(res);
	if (done == 0)
		return revoked_page(r, a);
	if (audit_write(r->id[0], r->user->id, "invite_revoked", 0,
	    detail) == -1)
		return app_db_error();
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/invites/%lld",
	    r->id[0], r->id[1]));
}

/*
 * Roster links (see the top of this file).
 */

enum ros_key { ROS_ROSTER, ROS_CLASS, ROS_TTL, ROS_MODE, ROS__MAX };

/* How the links reach people: printed cards, or SMS and e-mail (the
 * form marks the chosen one: html keys unread: mode). */
static const char *
valid_mode(const char *in, char *out, size_t outsz)
{
	if ((strcmp(in, "print") != 0 && strcmp(in, "send") != 0) ||
	    strlen(in) >= outsz) {
		if (outsz > 0)
			out[0] = '\0';
		return "Выберите, как раздать ссылки: напечатать или отправить";
	}
	memcpy(out, in, strlen(in) + 1);
	return NULL;
}

static const struct valid_field ros_fields[ROS__MAX] = {
	{ "roster_id", valid_uint, 1 },		/* ROS_ROSTER */
	{ "class_id", valid_uint, 0 },		/* ROS_CLASS */
	{ "ttl_hours", valid_uint, 1 },		/* ROS_TTL */
	{ "mode", valid_mode, 1 },		/* ROS_MODE */
};

/*
 * The roster links form for roster id into c, with the class (NULL: the
 * whole roster) and mode (NULL: print when someone needs a card, else
 * send) chosen, and the page rendered with status: how many of the
 * roster's expected people need a card and how many a message, in all
 * and by class.  404 for no such roster of the organization, 403 for
 * one the person may not see (parta.roster_visible: the roster's own
 * pages answer so too).
 */
static int
roster_page(struct http_req *r, struct html_ctx *c, int status,
    const char *roster, const char *chosen, const char *mode)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*it = NULL;
	PGresult		*res;
	const char		*tz, *cls, *prev = NULL;
	long long		 print = 0, send = 0, cp = 0, cs = 0;
	int			 i, rc;

	if ((rc = org_tz(r, &tz)) != 0)
		return rc;
	if ((res = db_exec(&q_roster, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    roster, tz, app_num(r, r->user->id), a->is_admin ? "t" : "f")) ==
	    NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (!db_getbool(res, 0, "visible"))
		return HTTP_FORBIDDEN;
	org_ctx(c, a);
	html_set_str(c, "title", "Личные ссылки по списку");
	html_set_str(c, "roster_id", db_get(res, 0, "id"));
	app_set_cols(c, res, 0, "file_name", "created", NULL);
	html_set_bool(c, "roster_draft", !db_getbool(res, 0, "applied"));
	html_set_bool(c, "roster_off", db_getbool(res, 0, "off"));
	html_set_str(c, "max_ttl", ttl_words(r->pool, config->invite_max_hours,
	    1));
	ttl_ctx(r, c);

	if ((res = db_exec(&q_roster_rows, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]), roster, "", "", a->is_admin ? "t" : "f",
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();
	/* The rows come class by class: each class once, with its counts. */
	html_list_init(c, "roster_classes");
	for (i = 0; i < PQntuples(res); i++) {
		cls = db_get(res, i, "class_id");
		if (prev == NULL || strcmp(prev, cls) != 0) {
			it = NULL;
			if (cls[0] != '\0') {
				it = html_list_add(c, "roster_classes");
				html_set_str(it, "id", cls);
				html_set_str(it, "name", db_get(res, i,
				    "class_name"));
				html_set_bool(it, "selected", chosen != NULL &&
				    strcmp(chosen, cls) == 0);
			}
			prev = cls;
			cp = cs = 0;
		}
		if (db_getbool(res, i, "contact"))
			send++, cs++;
		else
			print++, cp++;
		if (it != NULL) {
			html_set_int(it, "to_print", cp);
			html_set_int(it, "to_send", cs);
		}
	}
	html_set_int(c, "to_print", print);
	html_set_int(c, "to_send", send);
	if (mode == NULL)
		mode = print > 0 || send == 0 ? "print" : "send";
	html_set_bool(c, "mode_print", strcmp(mode, "print") == 0);
	html_set_bool(c, "mode_send", strcmp(mode, "send") == 0);
	return app_page(r, status, "invites_roster", c);
}

/*
 * GET /org/N/invites/bulk?roster_id=ID[&class_id=C&mode=print|send]
 * (bulk_form with a roster) Admin, or a homeroom teacher who may see
 * the roster (else 403, as its own page).  The form that makes a
 * roster's links.
 */
static int
roster_form(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const char	*roster = query_count(r, "roster_id", 0);
	const char	*cls = query_count(r, "class_id", 0);
	const char	*mode = http_query(r, "mode");

	if (roster == NULL)
		return HTTP_NOT_FOUND;
	if (mode != NULL && strcmp(mode, "print") != 0 &&
	    strcmp(mode, "send") != 0)
		mode = NULL;
	html_set_int(c, "ttl_hours", config->invite_max_hours);
	return roster_page(r, c, HTTP_OK, roster, cls, mode);
}

/*
 * Count one message to each of a row's contacts (phone, e-mail; ""
 * none) against its recipient's limit, each in a savepoint taken back
 * when the recipient is over it: the contacts within their limits into
 * to (*n of them), the longest wait of those over into *retry (minutes).
 * 0, or a status.
 */
static int
contacts_reach(const char *phone, const char *email, const char *to[2],
    int *n, int *retry)
{
	const char	*all[2] = { phone, email };
	int		 i, rc, wait;

	*n = 0;
	for (i = 0; i < 2; i++) {
		if (all[i][0] == '\0')
			continue;
		if (db_exec(&q_savepoint, PGRES_COMMAND_OK) == NULL)
			return app_db_error();
		if ((rc = code_quota(all[i], &wait)) == CODE_ERROR)
			return app_db_error();
		if (rc == CODE_LIMIT) {
			if (db_exec(&q_savepoint_undo, PGRES_COMMAND_OK) ==
			    NULL)
				return app_db_error();
			if (wait > *retry)
				*retry = wait;
			continue;
		}
		if (db_exec(&q_savepoint_release, PGRES_COMMAND_OK) == NULL)
			return app_db_error();
		to[(*n)++] = all[i];
	}
	return 0;
}

/* Queue the link for name to each of the n contacts in to: 0, or a
 * status.  The token is not kept. */
static int
link_send(struct http_req *r, const char *const to[2], int n,
    const char *name, const char *token, const char *expires)
{
	const char	*msg;
	int		 i;

	msg = pool_printf(r->pool, "%s: приглашение в Парту. Личная ссылка "
	    "(%s): %s/join/%s — сработает один раз, действует до %s. Не "
	    "передавайте её другим.", r->org->name, name, app_base_url(r),
	    token, expires);
	for (i = 0; i < n; i++)
		if (outbox_queue(to[i][0] == '+' ? OUTBOX_SMS : OUTBOX_EMAIL,
		    to[i], msg) == -1)
			return app_db_error();
	return 0;
}

/* Where a roster row's link goes: its line, and the contacts it is sent
 * to (none: printed). */
struct dest {
	const char	*line;
	const char	*to[2];
	int		 n;
};

/*
 * The links of n rows of roster, of one role and class cls, as a new
 * batch of the roster (its id into *batch): made in one statement, set
 * on the rows, and when send is set queued to each row's contacts (l[i]
 * for the row d[i]).  0, or a status.
 */
static int
roster_batch(struct http_req *r, const char *roster, const char *role,
    const char *cls, const char *ttl, int send, const char *expires,
    struct link *l, const struct dest *d, size_t n, long long *batch)
{
	struct buf	 j;
	PGresult	*res;
	size_t		 i;
	int		 rc = 0;

	if ((res = db_exec(&q_batch_insert, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]), app_num(r, r->user->id), role, cls,
	    roster)) == NULL)
		return app_db_error();
	*batch = db_getll(res, 0, "id");
	if ((rc = links_insert(r, role, cls, "1", ttl, app_num(r, *batch), l,
	    n, send, NULL)) != 0)
		return rc;
	buf_init(&j);
	buf_putc(&j, '[');
	for (i = 0; i < n; i++)
		buf_printf(&j, "%s{\"line\":%s,\"hash\":\"%s\"}", i > 0 ?
		    "," : "", d[i].line, l[i].hash);
	buf_putc(&j, ']');
	res = db_exec(&q_roster_row_link, PGRES_COMMAND_OK,
	    app_num(r, r->id[0]), roster, j.data, send ? "t" : "f");
	buf_free(&j);
	if (res == NULL)
		return app_db_error();
	for (i = 0; i < n; i++) {
		if (send && rc == 0)
			rc = link_send(r, d[i].to, d[i].n, l[i].label,
			    l[i].token, expires);
		explicit_bzero(l[i].token, sizeof(l[i].token));
	}
	return rc;
}

/*
 * POST /org/N/invites/bulk  roster_id class_id ttl_hours mode
 * (bulk_create with a roster) Admin: any of the roster's rows; homeroom
 * teacher: the students of their own classes (a class not theirs, or a
 * roster they may not see as on its own page: 403, also when the right
 * ends while the request is on its way).  Makes the
 * links of the roster's expected people who need one (see the top of
 * this file), in one transaction; two requests for one roster take
 * turns and the second makes only what is still missing.  404 for no
 * such roster; 409 before it is applied; 422 for a bad field (the form
 * again); 429 when no message could go, every recipient being over its
 * limit (nothing made).  Else 303: mode=print with one batch made to
 * it, otherwise to the roster's batches on /org/N/invites, with what
 * was done (made, sent, unsent, retry).
 */
static int
roster_create(struct http_req *r)
{
	struct valid_result	 v[ROS__MAX];
	const struct org_access	*a = r->org;
	struct html_ctx		*c = app_ctx(r);
	PGresult		*res, *rows;
	struct link		*links;
	struct dest		*dest, *d;
	const char		*tz, *expires, *role, *cls, *roster;
	const char		*grole = NULL, *gcls = NULL;
	long long		 batch = 0, made = 0, sent, unsent = 0;
	size_t			 i, nrows, base = 0, g = 0;
	int			 rc, errors, send, batches = 0, retry = 0;

	errors = app_form(r, ros_fields, ROS__MAX, v, c);
	errors += !range_ok(r, c, &v[ROS_TTL], "ttl_hours",
	    config->invite_max_hours, ttl_error(r));
	if (v[ROS_ROSTER].error != NULL || atoll(v[ROS_ROSTER].value) == 0)
		return HTTP_NOT_FOUND;
	roster = v[ROS_ROSTER].value;
	if (v[ROS_CLASS].error != NULL)
		html_set_str(c, "class_id_error", "Выберите класс из списка");
	if (!app_secret_ok())
		return HTTP_SERVER_ERROR;
	if ((rc = org_tz(r, &tz)) != 0)
		return rc;

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = lock_creator(r, a)) != 0)
		return rc;
	if ((res = db_exec(&q_roster_lock, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]), roster, app_num(r, r->user->id),
	    a->is_admin ? "t" : "f")) == NULL)
		return app_db_error();
	if (PQntuples(res) != 1)
		return HTTP_NOT_FOUND;
	if (!db_getbool(res, 0, "visible"))
		return HTTP_FORBIDDEN;
	if (!db_getbool(res, 0, "applied")) {
		org_ctx(c, a);
		html_set_str(c, "title", "Список ещё не применён");
		html_set_str(c, "message", "Личные ссылки делаются для тех, "
		    "кого ждут по применённому списку. Сначала проверьте и "
		    "примените список.");
		return app_page(r, HTTP_CONFLICT, "error", c);
	}
	if (v[ROS_CLASS].present && v[ROS_CLASS].error == NULL &&
	    (rc = class_check(r, a, c, v[ROS_CLASS].value, "teacher",
	    &errors)) != 0)
		return rc;
	if (errors > 0) {
		html_set_bool(c, "form_errors", 1);
		return roster_page(r, c, HTTP_UNPROCESSABLE, roster,
		    v[ROS_CLASS].value, v[ROS_MODE].error == NULL ?
		    v[ROS_MODE].value : NULL);
	}
	send = strcmp(v[ROS_MODE].value, "send") == 0;
	if ((res = db_exec(&q_expiry, PGRES_TUPLES_OK, v[ROS_TTL].value,
	    tz)) == NULL)
		return app_db_error();
	expires = pool_strdup(r->pool, db_get(res, 0, "expires"));
	if ((rows = db_exec(&q_roster_rows, PGRES_TUPLES_OK,
	    app_num(r, r->id[0]), roster, v[ROS_CLASS].value,
	    v[ROS_MODE].value, a->is_admin ? "t" : "f",
	    app_num(r, r->user->id))) == NULL)
		return app_db_error();

	nrows = (size_t)PQntuples(rows);
	links = pool_alloc(r->pool, (nrows + 1) * sizeof(*links));
	dest = pool_alloc(r->pool, (nrows + 1) * sizeof(*dest));
	for (i = 0; i < nrows; i++) {
		role = db_get(rows, (int)i, "role");
		cls = db_get(rows, (int)i, "class_id");
		/* One batch per role and class (the rows come so). */
		if (g > 0 && (strcmp(role, grole) != 0 ||
		    strcmp(cls, gcls) != 0)) {
			if ((rc = roster_batch(r, roster, grole, gcls,
			    v[ROS_TTL].value, send, expires, links + base,
			    dest + base, g, &batch)) != 0)
				return rc;
			made += (long long)g;
			batches++;
			base += g;
			g = 0;
		}
		d = &dest[base + g];
		d->line = db_get(rows, (int)i, "line");
		d->n = 0;
		if (send && (rc = contacts_reach(db_get(rows, (int)i, "phone"),
		    db_get(rows, (int)i, "email"), d->to, &d->n, &retry)) != 0)
			return rc;
		if (send && d->n == 0) {
			unsent++;
			continue;
		}
		links[base + g].label = db_get(rows, (int)i, "name");
		grole = role;
		gcls = cls;
		g++;
	}
	if (g > 0) {
		if ((rc = roster_batch(r, roster, grole, gcls, v[ROS_TTL].value,
		    send, expires, links + base, dest + base, g, &batch)) != 0)
			return rc;
		made += (long long)g;
		batches++;
	}
	sent = send ? made : 0;
	if (made == 0 && unsent > 0) {
		app_rollback();
		html_set_str(c, "limit_error", pool_printf(r->pool, "Ссылки не "
		    "отправлены: на телефоны и почту этих людей недавно уже "
		    "ушло столько сообщений, сколько можно. Повторите через "
		    "%d мин.", retry));
		http_header(r, "Retry-After", app_num(r, (long long)retry *
		    60));
		return roster_page(r, c, HTTP_TOO_MANY, roster,
		    v[ROS_CLASS].value, v[ROS_MODE].value);
	}
	if ((rc = app_commit(r)) != 0)
		return rc;
	if (!send && batches == 1)
		return app_redirect(r, pool_printf(r->pool,
		    "/org/%lld/invites/batches/%lld", r->id[0], batch));
	return app_redirect(r, pool_printf(r->pool, "/org/%lld/invites?roster="
	    "%s&made=%lld%s%s%s#batches", r->id[0], roster, made,
	    send ? pool_printf(r->pool, "&sent=%lld", sent) : "",
	    unsent > 0 ? pool_printf(r->pool, "&unsent=%lld", unsent) : "",
	    unsent > 0 ? pool_printf(r->pool, "&retry=%d", retry) : ""));
}


/*
 * GET /org/N/invites/bulk[?roster_id=ID]
 * Admin or homeroom teacher.  The form for personal links: a list of
 * names or a CSV file, role, class, lifetime; with a roster, the form
 * for its links (roster_form).
 */
static int
bulk_form(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	int			 rc;

	if (http_query(r, "roster_id") != NULL)
		return roster_form(r);
	c = app_ctx(r);
	html_set_str(c, "title", "Личные ссылки списком");
	html_set_int(c, "ttl_hours", config->invite_max_hours);
	if ((rc = form_ctx(r, a, c, NULL, NULL)) != 0)
		return rc;
	return app_page(r, HTTP_OK, "invites_bulk", c);
}

static void
names_add(struct pool *p, struct names *l, const char *name)
{
	const char	**nv;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		nv = pool_alloc(p, l->cap * sizeof(*nv));
		if (l->n > 0)
			memcpy(nv, l->v, l->n * sizeof(*nv));
		l->v = nv;
	}
	l->v[l->n++] = name;
}

/*
 * One name from a line or a cell: tabs and runs of spaces folded, then
 * checked as a line of text of at most LABEL_MAX characters.  NULL when
 * fine (the name in *out), else the problem.
 */
static const char *
name_clean(struct pool *p, const char *in, const char **out)
{
	char		 buf[VALID_MAX], *s, *d;
	const char	*err;
	int		 space = 0;

	s = pool_strdup(p, in);
	for (d = s; *in != '\0'; in++) {
		if (*in == ' ' || *in == '\t' || *in == '\r') {
			space = 1;
			continue;
		}
		if (space && d != s)
			*d++ = ' ';
		space = 0;
		*d++ = *in;
	}
	*d = '\0';
	if ((err = valid_line(s, buf, sizeof(buf))) != NULL)
		return err;
	if (utf8_chars(buf) > LABEL_MAX)
		return "Имя должно быть не длиннее 100 символов";
	*out = pool_strdup(p, buf);
	return NULL;
}

/* Note a bad line in errs (the first few are shown). */
static void
bad_line(struct buf *errs, size_t *nbad, size_t line, const char *why)
{
	if (++*nbad <= BAD_LINES_SHOWN)
		buf_printf(errs, "%sстрока %zu: %s", errs->len ? "; " : "",
		    line, why);
}

/* The names of the textarea, one a line, blank lines skipped. */
static void
names_from_text(struct pool *p, const char *text, struct names *l,
    struct buf *errs, size_t *nbad)
{
	const char	*s = text, *e, *name, *err;
	size_t		 line = 0;

	while (*s != '\0' && l->n <= BULK_MAX) {
		e = s + strcspn(s, "\n");
		line++;
		if (strspn(s, " \t\r") < (size_t)(e - s)) {
			err = name_clean(p, pool_strndup(p, s, (size_t)(e - s)),
			    &name);
			if (err != NULL)
				bad_line(errs, nbad, line, err);
			else
				names_add(p, l, name);
		}
		s = *e ? e + 1 : e;
	}
}

#define CSV_CELLS	32

/*
 * The names in an uploaded CSV file: the first column, or with a header
 * row the "ФИО" column or the "Фамилия", "Имя", "Отчество" columns.
 * UTF-8 (a BOM is fine) or Windows-1251.  A file problem goes to
 * *file_err.
 */
static void
names_from_csv(struct pool *p, const struct http_file *f, struct names *l,
    struct buf *errs, size_t *nbad, const char **file_err)
{
	char		*cells[CSV_CELLS], *h, delim;
	const char	*s, *name, *err;
	struct buf	 whole;
	size_t		 n, i, line = 0;
	int		 fio = -1, part[3] = { -1, -1, -1 }, header = 0, k;

	if ((s = csv_text(p, f->data, f->len)) == NULL) {
		*file_err = "Файл должен быть в кодировке UTF-8 или "
		    "Windows-1251";
		return;
	}
	delim = csv_delim(s);
	while (*s != '\0' && l->n <= BULK_MAX) {
		line++;
		n = csv_record(p, &s, delim, cells, CSV_CELLS);
		if (line == 1) {
			for (i = 0; i < n; i++) {
				h = pool_strdup(p, cells[i]);
				utf8_lower(h);
				h[strcspn(h, " \t")] = '\0';
				if (strcmp(h, "фио") == 0 ||
				    strcmp(h, "ф.и.о.") == 0 ||
				    strcmp(h, "ученик") == 0 ||
				    strcmp(h, "name") == 0)
					fio = (int)i;
				else if (strcmp(h, "фамилия") == 0)
					part[0] = (int)i;
				else if (strcmp(h, "имя") == 0)
					part[1] = (int)i;
				else if (strcmp(h, "отчество") == 0)
					part[2] = (int)i;
			}
			header = fio >= 0 || part[0] >= 0 || part[1] >= 0;
			if (header)
				continue;
		}
		buf_init(&whole);
		buf_puts(&whole, "");
		if (fio >= 0 || !header) {
			k = fio >= 0 ? fio : 0;
			if ((size_t)k < n)
				buf_puts(&whole, cells[k]);
		} else {
			for (k = 0; k < 3; k++)
				if (part[k] >= 0 && (size_t)part[k] < n) {
					buf_puts(&whole, " ");
					buf_puts(&whole, cells[part[k]]);
				}
		}
		if (strspn(whole.data, " \t") < whole.len) {
			err = name_clean(p, whole.data, &name);
			if (err != NULL)
				bad_line(errs, nbad, line, err);
			else
				names_add(p, l, name);
		}
		buf_free(&whole);
	}
}

/*
 * POST /org/N/invites/bulk  (multipart) role class_id ttl_hours names file
 * (with roster_id instead: roster_create)
 * Admin or homeroom teacher (as for one link, also the 403 when the
 * right ends meanwhile: no link of the list is made).  One single-use
 * link per name, labelled with it, all in one transaction and within the
 * daily allowance (429 naming what is left); 303 to the batch's page.
 */
static int
bulk_create(struct http_req *r)
{
	struct valid_result	 v[BULK__MAX];
	const struct org_access	*a = r->org;
	struct html_ctx		*c;
	struct names		 names = { NULL, 0, 0 };
	struct buf		 errs;
	const struct http_file	*f;
	PGresult		*res;
	const char		*text, *next_at, *msg, *file_err = NULL;
	struct link		*links;
	long long		 n, wait_s, batch, left;
	size_t			 i, nbad = 0;
	int			 rc, errors;

	if (http_form(r, "roster_id") != NULL)
		return roster_create(r);
	c = app_ctx(r);
	html_set_str(c, "title", "Личные ссылки списком");
	errors = app_form(r, bulk_fields, BULK__MAX, v, c);
	errors += !range_ok(r, c, &v[BULK_TTL], "ttl_hours",
	    config->invite_max_hours, ttl_error(r));
	if ((rc = role_class_errors(a, c, &v[BULK_ROLE], &v[BULK_CLASS],
	    &errors)) != 0)
		return rc;

	buf_init(&errs);
	text = http_form(r, "names");
	if (text != NULL) {
		html_set_str(c, "names", text);
		names_from_text(r->pool, text, &names, &errs, &nbad);
	}
	if (http_file_count(&r->files, "file") > 1)
		file_err = VALID_E_ONE_FILE;
	else if ((f = http_file_get(&r->files, "file")) != NULL && f->len > 0)
		names_from_csv(r->pool, f, &names, &errs, &nbad, &file_err);
	if (nbad > 0) {
		html_set_str(c, "names_error", pool_printf(r->pool,
		    "Исправьте список (%zu %s): %s%s", nbad,
		    ru_plural((long long)nbad, "ошибка", "ошибки", "ошибок"),
		    errs.data, nbad > BAD_LINES_SHOWN ? "; …" : ""));
		errors++;
	} else if (names.n > BULK_MAX) {
		html_set_str(c, "names_error", pool_printf(r->pool,
		    "Слишком длинный список: не больше %d %s за раз",
		    BULK_MAX, ru_plural(BULK_MAX, "имени", "имён", "имён")));
		errors++;
	} else if (names.n == 0 && file_err == NULL) {
		html_set_str(c, "names_error", "Вставьте список имён, по "
		    "одному на строку, или загрузите файл CSV");
		errors++;
	}
	buf_free(&errs);
	if (file_err != NULL) {
		html_set_str(c, "file_error", file_err);
		errors++;
	}
	if (!app_secret_ok())
		return HTTP_SERVER_ERROR;

	if (db_begin() == -1)
		return app_db_error();
	if ((rc = lock_creator(r, a)) != 0)
		return rc;
	if (v[BULK_CLASS].present && v[BULK_CLASS].error == NULL &&
	    v[BULK_ROLE].error == NULL && (rc = class_check(r, a, c,
	    v[BULK_CLASS].value, v[BULK_ROLE].value, &errors)) != 0)
		return rc;
	if (errors > 0) {
		html_set_bool(c, "form_errors", 1);
		if ((rc = form_ctx(r, a, c, v[BULK_ROLE].value,
		    v[BULK_CLASS].value)) != 0)
			return rc;
		return app_page(r, HTTP_UNPROCESSABLE, "invites_bulk", c);
	}
	if ((rc = window_count(r, (long long)names.n, &n, &next_at,
	    &wait_s)) != 0)
		return rc;
	left = n >= config->invite_daily ? 0 : config->invite_daily - n;
	if ((long long)names.n > left) {
		msg = pool_printf(r->pool, "В списке %zu %s, а сегодня можно "
		    "создать ещё %lld %s (не больше %d за сутки). Сократите "
		    "список%s%s.", names.n, ru_plural((long long)names.n, "имя",
		    "имени", "имён"), left, ru_plural(left, "ссылку", "ссылки",
		    "ссылок"), config->invite_daily, next_at ? " или "
		    "повторите после " : "", next_at ? next_at : "");
		return limit_page(r, a, c, msg, wait_s, "invites_bulk",
		    v[BULK_ROLE].value, v[BULK_CLASS].value);
	}
	res = db_exec(&q_batch_insert, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), v[BULK_ROLE].value, v[BULK_CLASS].value,
	    "");
	if (res == NULL)
		return app_db_error();
	batch = db_getll(res, 0, "id");
	links = pool_alloc(r->pool, names.n * sizeof(*links));
	for (i = 0; i < names.n; i++)
		links[i].label = names.v[i];
	if ((rc = links_insert(r, v[BULK_ROLE].value, v[BULK_CLASS].value, "1",
	    v[BULK_TTL].value, app_num(r, batch), links, names.n, 0,
	    NULL)) != 0)
		return rc;
	if ((rc = app_commit(r)) != 0)
		return rc;
	return app_redirect(r, pool_printf(r->pool,
	    "/org/%lld/invites/batches/%lld", r->id[0], batch));
}

/* Who may see batch r->id[1], and its facts into c: 0, or an HTTP
 * status.  *tz gets the organization's time zone. */
static int
batch_head(struct http_req *r, struct html_ctx *c, const char **tz)
{
	const struct org_access	*a = r->org;
	PGresult		*res;
	int			 rc;

	if ((rc = org_tz(r, tz)) != 0)
		return rc;
	res = db_exec(&q_batch, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->user->id), a->is_admin ? "t" : "f", *tz,
	    app_num(r, r->id[1]));
	if (res == NULL)
		return app_db_error();
	rc = PQntuples(res) != 1 ? HTTP_NOT_FOUND :
	    !db_getbool(res, 0, "visible") ? HTTP_FORBIDDEN : 0;
	if (rc == 0) {
		html_set_str(c, "batch_id", db_get(res, 0, "id"));
		html_set_str(c, "batch_roster", db_get(res, 0, "roster_id"));
		/* A roster no longer in force accepts nobody at once. */
		html_set_bool(c, "batch_off", db_getbool(res, 0,
		    "roster_off"));
		html_set_str(c, "role_name",
		    org_role_name(db_get(res, 0, "role")));
		app_set_cols(c, res, 0, "class_name", "created", "creator",
		    "creator_gender", NULL);
	}
	return rc;
}

/*
 * Cards on one printed A4 page: two columns of three rows, each card
 * 95 x 92 mm (html/static/parta.css, .sheet-page), so that a card with
 * the longest name, organization and link still prints whole.
 */
#define CARDS_PER_PAGE	6

/*
 * The batch's links into c: "links" (every link, with its full link
 * when it can be shown) or, with qr set, "pages" of CARDS_PER_PAGE
 * "cards" (only the active ones, each with its QR code; "skipped" counts
 * the others).  0, or a status.
 */
static int
batch_links(struct http_req *r, struct html_ctx *c, const char *tz, int qr)
{
	struct html_ctx	*it, *page = c;
	PGresult	*res;
	const char	*link, *status;
	int		 i, cards = 0, skipped = 0;

	res = db_exec(&q_batch_links, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->id[1]), tz);
	if (res == NULL)
		return app_db_error();
	html_list_init(c, qr ? "pages" : "links");
	for (i = 0; i < PQntuples(res); i++) {
		status = db_get(res, i, "status");
		link = invite_link(r, db_get(res, i, "token_salt"),
		    db_get(res, i, "token_hash"));
		if (qr && (strcmp(status, "active") != 0 || link == NULL)) {
			skipped++;
			continue;
		}
		if (qr && cards % CARDS_PER_PAGE == 0)
			page = html_list_add(c, "pages");
		it = html_list_add(page, qr ? "cards" : "links");
		html_set_str(it, "id", db_get(res, i, "id"));
		html_set_str(it, "name", db_get(res, i, "label"));
		html_set_str(it, "expires", db_get(res, i, "expires"));
		html_set_str(it, "status", status);
		html_set_str(it, "status_name", status_name(status));
		html_set_bool(it, "active", strcmp(status, "active") == 0);
		html_set_str(it, "link", link != NULL ? link : "");
		if (qr && qr_ctx(it, link) == -1)
			return HTTP_SERVER_ERROR;
		cards++;
	}
	html_set_int(c, "count", cards);
	if (skipped > 0)
		html_set_int(c, "skipped", skipped);
	return 0;
}

/*
 * GET /org/N/invites/batches/ID
 * Whoever may see the batch (as for its links).  The names and their
 * links, with the printable sheet and the CSV.
 */
static int
batch_show(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c = app_ctx(r);
	const char		*tz;
	int			 rc;

	if ((rc = batch_head(r, c, &tz)) != 0 ||
	    (rc = batch_links(r, c, tz, 0)) != 0)
		return rc;
	org_ctx(c, a);
	html_set_str(c, "title", "Личные ссылки");
	return app_page(r, HTTP_OK, "invite_batch", c);
}

/*
 * GET /org/N/invites/batches/ID/print
 * As above.  An A4 sheet of cut-out cards, one per active link: name,
 * organization, class, QR code, link, instructions.
 */
static int
batch_print(struct http_req *r)
{
	const struct org_access	*a = r->org;
	struct html_ctx		*c = app_ctx(r);
	const char		*tz;
	int			 rc;

	if ((rc = batch_head(r, c, &tz)) != 0 ||
	    (rc = batch_links(r, c, tz, 1)) != 0)
		return rc;
	html_set_int(c, "org_id", a->id);
	html_set_str(c, "org_name", a->name);
	html_set_str(c, "title", "Приглашения для печати");
	return app_page(r, HTTP_OK, "invite_print", c);
}

/*
 * GET /org/N/invites/batches/ID/csv
 * As above.  The batch as CSV (UTF-8 with BOM, so spreadsheets read the
 * names right): name, class, link, expiry, status.
 */
static int
batch_csv(struct http_req *r)
{
	struct csv		 csv;
	struct html_ctx		*c = app_ctx(r);
	PGresult		*res;
	const char		*tz;
	int			 rc, i;

	if ((rc = batch_head(r, c, &tz)) != 0)
		return rc;
	res = db_exec(&q_batch_links, PGRES_TUPLES_OK, app_num(r, r->id[0]),
	    app_num(r, r->id[1]), tz);
	if (res == NULL)
		return app_db_error();
	app_csv(r, &csv, pool_printf(r->pool, "parta-invites-%lld.csv",
	    r->id[1]));
	csv_row(&csv, "ФИО", "Класс", "Ссылка", "Действует до", "Статус",
	    NULL);
	for (i = 0; i < PQntuples(res); i++) {
		const char *link = invite_link(r, db_get(res, i, "token_salt"),
		    db_get(res, i, "token_hash"));

		csv_row(&csv, db_get(res, i, "label"),
		    html_get_str(c, "class_name"), link != NULL ? link : "",
		    db_get(res, i, "expires"),
		    status_name(db_get(res, i, "status")), NULL);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	return app_main("invite", routes, sizeof(routes) / sizeof(routes[0]),
	    argc, argv);
}
