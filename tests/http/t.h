/*
 * t: a small harness for HTTP tests against the running stack (libcurl).
 * Each test is a function; a failed check marks the test failed and
 * ends it, from whatever function the check is in (a t_parallel worker:
 * that worker).  Output is TAP ("ok N - name"), counted by tests/run.sh.
 */
#ifndef PARTA_T_H
#define PARTA_T_H

#include <stddef.h>

struct t_resp {
	long	 status;
	char	*body;
	size_t	 len;
	char	*head;		/* raw response headers */
};

struct t_client {
	void	*curl;		/* CURL *, with its own cookie jar */
	struct t_resp r;	/* the last response */
	char	 csrf[128];	/* the last csrf token seen */
};

/* A signed-up, verified, logged-in person. */
struct t_person {
	struct t_client	 c;
	char		 phone[16];
	char		 email[64];
	char		 password[32];
	long long	 id;
};

extern int	 t_failed;	/* set by the check macros */

#define T_FAIL(...) do {						\
	t_fail(__FILE__, __LINE__, __VA_ARGS__);			\
	t_abort();							\
} while (0)
#define T_TRUE(e) do {							\
	if (!(e))							\
		T_FAIL("%s", #e);					\
} while (0)
#define T_EQ(a, b) do {							\
	long long t_a_ = (long long)(a), t_b_ = (long long)(b);		\
	if (t_a_ != t_b_)						\
		T_FAIL("%s == %lld, want %lld", #a, t_a_, t_b_);	\
} while (0)
#define T_STATUS(c, want) do {						\
	if ((c)->r.status != (want))					\
		T_FAIL("status %ld, want %d; body: %.300s",		\
		    (c)->r.status, (want), t_snippet(c));		\
} while (0)
#define T_HAS(c, s) do {						\
	if (!t_has(c, s))						\
		T_FAIL("page lacks \"%s\": %.300s", (s), t_snippet(c));\
} while (0)
#define T_LACKS(c, s) do {						\
	if (t_has(c, s))						\
		T_FAIL("page has \"%s\"", (s));				\
} while (0)
#define T_STREQ(a, b) do {						\
	const char *t_x_ = (a), *t_y_ = (b);				\
	if (t_x_ == NULL || t_y_ == NULL || strcmp(t_x_, t_y_) != 0)	\
		T_FAIL("%s is \"%s\", want \"%s\"", #a,			\
		    t_x_ ? t_x_ : "(null)", t_y_ ? t_y_ : "(null)");	\
} while (0)

struct t_case {
	const char	*name;
	void		(*fn)(void);
};

/* Record a failure (a "# file:line: …" line), the test goes on. */
void	 t_fail(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* End the running test (T_FAIL: after t_fail), or in a t_parallel
 * worker that worker, or within t_try the function it runs. */
void	 t_abort(void) __attribute__((noreturn));
/* Run the tests, print TAP; returns the process exit code. */
int	 t_run(const struct t_case *, size_t n);
/* Run fn so that a failed check in it ends fn, not the test that called
 * t_try (for a test that must undo something whatever happens): 0, or
 * -1 if fn failed. */
int	 t_try(void (*fn)(void));

void	 t_client_init(struct t_client *);
void	 t_client_free(struct t_client *);
/* The requests of c come from addr, a loopback address such as
 * t_unique_addr's: the stack's nginx listens on 127.0.0.1 and sees it
 * as the client's address (REMOTE_ADDR), with no header to trust. */
void	 t_client_from(struct t_client *, const char *addr);
/* A fresh loopback address ("127.A.B.C", never 127.0.0.1), so that the
 * limits per address of one run are not another's. */
void	 t_unique_addr(char out[16]);
/* Requests: the status, also kept in c->r.  path is relative to the
 * stack's base URL.  Redirects are not followed. */
long	 t_get(struct t_client *, const char *path);
/* body: application/x-www-form-urlencoded, already encoded. */
long	 t_post(struct t_client *, const char *path, const char *body);
/* Like t_post, with "csrf=TOKEN&" in front: the last token this client
 * saw in a page. */
long	 t_postf(struct t_client *, const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* A raw request: method, extra header lines ("A: b\r\n"), body (also
 * sent with a GET when not NULL). */
long	 t_request(struct t_client *, const char *method, const char *path,
	    const char *headers, const char *body, size_t len);

int	 t_has(const struct t_client *, const char *s);
const char *t_snippet(const struct t_client *);
/*
 * Results called "static" below live in a buffer of the calling thread
 * (so t_parallel workers may use them), until its next call.
 */
/* Response header value (first), or NULL; the result is static. */
const char *t_header(const struct t_client *, const char *name);
/* How many header lines named name the response has. */
int	 t_header_count(const struct t_client *, const char *name);
/* The csrf token of the last page's form (static), or NULL. */
const char *t_csrf(const struct t_client *);
/* The value of a cookie the client holds (static), or NULL. */
const char *t_cookie(const struct t_client *, const char *name);
/* Fetch path and keep its csrf token for the next t_postf. */
const char *t_form(struct t_client *, const char *path);
/* URL-encode s (static ring of buffers). */
const char *t_enc(const char *s);

/* The text of the QR code in an SVG image (rsvg-convert, zbarimg) into
 * out: 0, or -1. */
int	 t_qr_decode(const char *svg, size_t len, char *out, size_t outsz);
/* The same for the first <svg class="qr"> of the last page. */
int	 t_qr(const struct t_client *, char *out, size_t outsz);

/* The latest message in var/outbox for recipient (malloc'd), or NULL. */
char	*t_outbox_last(const char *recipient);
/* The six-digit code in the latest message for recipient, or "". */
const char *t_outbox_code(const char *recipient);
/* Number of messages for recipient. */
int	 t_outbox_count(const char *recipient);

/* A fresh unique mobile number ("+79…") and e-mail. */
void	 t_unique_phone(char out[16]);
void	 t_unique_email(char out[64]);
/* Sign up with a new phone (a woman born 1990-05-17), verify it by the
 * SMS code, stay logged in; p->id is the account's id: 0 (a failure
 * ends the test). */
int	 t_signup(struct t_person *, const char *last, const char *first);
/* The same with phone (NULL: a new one), gender ("f", "m") and birth
 * date (YYYY-MM-DD). */
int	 t_signup_as(struct t_person *, const char *phone, const char *last,
	    const char *first, const char *gender, const char *birth);

/* A new organization (via parta-admin org-create, region 70, a school)
 * whose administrator is admin (signed up, phone verified): its id (a
 * failure ends the test).  name may be NULL. */
long long t_org_create(struct t_person *admin, const char *name);
/* A fresh valid 10-digit INN and a KPP. */
/* n random bytes from getrandom(2) into b; exits the test on failure. */
void	 t_random(void *b, size_t n);
void	 t_unique_inn(char inn[11], char kpp[10]);
/* Read the first number after prefix in the last page (e.g. an id from
 * "/org/5/classes/" links or a Location), or -1. */
long long t_id_after(const char *s, const char *prefix);
/* Log the operator in on a fresh client (var/operator.txt): 0, or -1. */
int	 t_operator_login(struct t_client *);
/* Log a person in again on a fresh client (after t_client_free): 0 (a
 * failure ends the test). */
int	 t_login(struct t_person *);

/* Run SQL on PARTA_DB (for arranging state a test cannot reach over
 * HTTP, such as moving a link's clock) over the thread's own libpq
 * connection, statement by statement as psql -f would (each committed
 * on its own unless the SQL says BEGIN; stops at the first error; what
 * it leaves open is rolled back): the first column of the first row
 * (static, "" if none), or NULL on failure. */
const char *t_sql(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A number t_sql returned, or -1 for NULL, "" or a failure. */
long long t_ll(const char *v);
/* The account id of a person made by t_signup (phone verified), or -1. */
long long t_account_id(const struct t_person *);
/* The value of hidden field name in the last page (static), or "". */
const char *t_hidden(const struct t_client *, const char *name);
/* The link token ([A-Za-z0-9_-], 16 or more) after marker ("/join/",
 * "/c/") in the last page into out: 0, or -1. */
int	 t_token(const struct t_client *, const char *marker, char *out,
	    size_t outsz);

/* Seconds on the monotonic clock. */
double	 t_now(void);

/* Run fn(i, arg) for i in [0, n) in n threads started together. */
void	 t_parallel(int n, void (*fn)(int, void *), void *arg);

extern const char *t_base;

#endif
