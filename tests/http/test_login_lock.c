/*
 * HTTP tests of the password lock (issue 23, cgi-bin/session.c): failures
 * count per login *and* address, so a stranger's wrong passwords do not
 * lock the owner elsewhere; a right password gives its attempt back; a
 * locked person is told, in words, when the password is taken again and
 * that a code logs them in now, and it does; the per-login ceiling from
 * all addresses; and every limit holds under parallel requests.
 *
 * Addresses are loopback addresses of their own (t_client_from): the
 * stack's nginx sees them as the client's, as it would a real one.  The
 * limits are the defaults (PARTA_LOGIN_MAX_FAIL 5; the ceiling is read
 * from PARTA_LOGIN_ACCOUNT_MAX when the stack was given one, else 100).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#define MAX_FAIL	5

static int
account_max(void)
{
	const char	*v = getenv("PARTA_LOGIN_ACCOUNT_MAX");

	return v != NULL && *v != '\0' ? atoi(v) : 100;
}

/* A visitor at addr (a new client). */
static void
visitor(struct t_client *c, const char *addr)
{
	t_client_init(c);
	t_client_from(c, addr);
}

/* One password try for login: the status. */
static long
try_password(struct t_client *c, const char *login, const char *pw)
{
	t_form(c, "/login");
	return t_postf(c, "/login", "login=%s&password=%s", t_enc(login),
	    t_enc(pw));
}

/* The 429 page of a lock: says when, and links to the login by code. */
static void
check_locked_page(struct t_client *c)
{
	T_HAS(c, "Пароль снова можно будет ввести через");
	T_HAS(c, "минут");
	T_HAS(c, "Войти можно и сейчас — по коду");
	T_HAS(c, "<a class=\"button primary\" href=\"/login/code\">"
	    "Войти по коду</a>");
}

static void
stranger_does_not_lock_owner(void)
{
	struct t_person	 p;
	struct t_client	 s;
	char		 a[16], b[16];
	int		 i;

	t_signup(&p, "Учителева", "Мария");
	t_unique_addr(a);
	do
		t_unique_addr(b);
	while (strcmp(a, b) == 0);
	t_client_from(&p.c, b);
	T_EQ(t_postf(&p.c, "/logout", "x=1"), 303);

	/* A stranger at a: five wrong passwords, then even the right one
	 * is refused there. */
	visitor(&s, a);
	for (i = 0; i < MAX_FAIL; i++) {
		T_EQ(try_password(&s, p.phone, "guess-guess"), 422);
		T_HAS(&s, "Неверный логин или пароль");
	}
	T_EQ(try_password(&s, p.phone, p.password), 429);
	T_HAS(&s, "с этого устройства");
	check_locked_page(&s);

	/* The owner at b logs in with the password. */
	T_EQ(try_password(&p.c, p.phone, p.password), 303);
	T_EQ(t_get(&p.c, "/me"), 200);
	/* The stranger is still locked. */
	T_EQ(try_password(&s, p.phone, "guess-again"), 429);
	t_client_free(&s);
	t_client_free(&p.c);
}

static void
owner_locked_logs_in_by_code(void)
{
	struct t_person	 p;
	char		 a[16];
	int		 i;

	t_signup(&p, "Растерянная", "Ольга");
	t_unique_addr(a);
	t_client_from(&p.c, a);
	T_EQ(t_postf(&p.c, "/logout", "x=1"), 303);
	for (i = 0; i < MAX_FAIL; i++)
		T_EQ(try_password(&p.c, p.phone, "forgotten-1"), 422);
	T_EQ(try_password(&p.c, p.phone, p.password), 429);
	check_locked_page(&p.c);
	/* The kept next goes on to the code login. */
	t_get(&p.c, "/login?next=%2Fme%2Fsessions");
	T_EQ(t_postf(&p.c, "/login", "login=%s&password=x&next=%%2Fme"
	    "%%2Fsessions", t_enc(p.phone)), 429);
	T_HAS(&p.c, "<a class=\"button primary\" href=\"/login/code?next="
	    "/me/sessions\">");

	/* The link, the code, in; from the locked address. */
	T_EQ(t_get(&p.c, "/login/code"), 200);
	T_EQ(t_postf(&p.c, "/login/code", "login=%s", t_enc(p.phone)), 303);
	t_form(&p.c, "/login/code/enter");
	T_EQ(t_postf(&p.c, "/login/code/enter", "code=%s",
	    t_outbox_code(p.phone)), 303);
	T_EQ(t_get(&p.c, "/me"), 200);
	T_HAS(&p.c, "Растерянная");
	/* The password lock itself holds its 15 minutes. */
	T_EQ(t_postf(&p.c, "/logout", "x=1"), 303);
	T_EQ(try_password(&p.c, p.phone, p.password), 429);
	t_client_free(&p.c);
}

/* A young child has no contact for a code: the page sends them to the
 * parent, with no code link.  (Counters are kept for any login typed.) */
static void
child_locked_page(void)
{
	struct t_client	 c;
	char		 a[16], login[32];
	unsigned char	 b[4];
	int		 i;

	t_random(b, sizeof(b));
	snprintf(login, sizeof(login), "kid%02x%02x%02x%02x", b[0], b[1], b[2],
	    b[3]);
	t_unique_addr(a);
	visitor(&c, a);
	for (i = 0; i < MAX_FAIL; i++)
		T_EQ(try_password(&c, login, "wrong-one"), 422);
	T_EQ(try_password(&c, login, "wrong-one"), 429);
	T_HAS(&c, "Пароль снова можно будет ввести через");
	T_HAS(&c, "новый задаст родитель");
	T_LACKS(&c, "Войти можно и сейчас");
	t_client_free(&c);
}

/* Only failures count: a right password forgets the failures at its
 * address and gives back its attempt to the other counters. */
static void
success_gives_back(void)
{
	struct t_person	 p;
	char		 a[16];

	t_signup(&p, "Исправленная", "Вера");
	t_unique_addr(a);
	t_client_from(&p.c, a);
	T_EQ(t_postf(&p.c, "/logout", "x=1"), 303);
	T_EQ(try_password(&p.c, p.phone, "typo-typo"), 422);
	T_EQ(try_password(&p.c, p.phone, "typo-typo"), 422);
	T_EQ(try_password(&p.c, p.phone, p.password), 303);
	t_form(&p.c, "/me");
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.throttle WHERE key ="
	    " 'login:%s from %s'", p.phone, a)), 0);
	T_EQ(t_ll(t_sql("SELECT n FROM parta.throttle WHERE key = 'addr:%s'",
	    a)), 2);
	T_EQ(t_ll(t_sql("SELECT n FROM parta.throttle WHERE key ="
	    " 'login:%s'", p.phone)), 2);
	/* And five more failures at a are needed to lock it there. */
	T_EQ(t_postf(&p.c, "/logout", "x=1"), 303);
	T_EQ(try_password(&p.c, p.phone, "typo-typo"), 422);
	T_EQ(try_password(&p.c, p.phone, p.password), 303);
	t_client_free(&p.c);
}

/* Many addresses against one login: the ceiling, which the owner too
 * meets; the code still logs them in. */
static void
account_ceiling(void)
{
	struct t_person	 p;
	struct t_client	 c;
	char		 a[16];

	t_signup(&p, "Осаждённая", "Нина");
	T_EQ(t_postf(&p.c, "/logout", "x=1"), 303);
	/* As if failures had come from many addresses already. */
	t_sql("INSERT INTO parta.throttle (key, since, n) VALUES"
	    " ('login:%s', now(), %d)", p.phone, account_max() - 1);
	t_unique_addr(a);
	visitor(&c, a);
	T_EQ(try_password(&c, p.phone, "botnet-1"), 422);
	t_client_free(&c);
	t_unique_addr(a);
	visitor(&c, a);
	T_EQ(try_password(&c, p.phone, "botnet-2"), 429);
	T_HAS(&c, "возможно, кто-то подбирает пароль");
	check_locked_page(&c);
	t_client_free(&c);
	/* The refused try counted nowhere, not even at its address. */
	T_EQ(t_ll(t_sql("SELECT n FROM parta.throttle WHERE key ="
	    " 'login:%s'", p.phone)), account_max());
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.throttle WHERE key ="
	    " 'addr:%s'", a)), 0);
	/* The owner: password refused, code taken. */
	T_EQ(try_password(&p.c, p.phone, p.password), 429);
	T_EQ(t_get(&p.c, "/login/code"), 200);
	T_EQ(t_postf(&p.c, "/login/code", "login=%s", t_enc(p.phone)), 303);
	t_form(&p.c, "/login/code/enter");
	T_EQ(t_postf(&p.c, "/login/code/enter", "code=%s",
	    t_outbox_code(p.phone)), 303);
	T_EQ(t_get(&p.c, "/me"), 200);
	t_client_free(&p.c);
}

#define PAR	12

static char	 par_login[64];
static char	 par_addr[PAR][16];
static long	 par_status[PAR];

static void
parallel_try(int i, void *arg)
{
	struct t_client	 c;

	(void)arg;
	visitor(&c, par_addr[i]);
	par_status[i] = try_password(&c, par_login, "parallel-guess");
	t_client_free(&c);
}

/* How many of the PAR statuses are want. */
static int
par_count(long want)
{
	int	 i, n = 0;

	for (i = 0; i < PAR; i++)
		n += par_status[i] == want;
	return n;
}

/* PAR wrong passwords at once from one address: exactly 5 reach scrypt
 * (422), the rest are refused (429). */
static void
parallel_one_address(void)
{
	int	 i;

	t_unique_phone(par_login);
	t_unique_addr(par_addr[0]);
	for (i = 1; i < PAR; i++)
		memcpy(par_addr[i], par_addr[0], sizeof(par_addr[0]));
	t_parallel(PAR, parallel_try, NULL);
	printf("# %d parallel wrong passwords at one address: %d checked,"
	    " %d refused\n", PAR, par_count(422), par_count(429));
	T_EQ(par_count(422), MAX_FAIL);
	T_EQ(par_count(429), PAR - MAX_FAIL);
	T_EQ(t_ll(t_sql("SELECT n FROM parta.throttle WHERE key ="
	    " 'login:%s from %s'", par_login, par_addr[0])), MAX_FAIL);
}

/* PAR wrong passwords at once from PAR addresses, 3 short of the
 * ceiling: exactly 3 are checked. */
static void
parallel_ceiling(void)
{
	int	 i;

	t_unique_phone(par_login);
	for (i = 0; i < PAR; i++)
		t_unique_addr(par_addr[i]);
	t_sql("INSERT INTO parta.throttle (key, since, n) VALUES"
	    " ('login:%s', now(), %d)", par_login, account_max() - 3);
	t_parallel(PAR, parallel_try, NULL);
	printf("# %d parallel wrong passwords from %d addresses, 3 short of"
	    " the ceiling: %d checked, %d refused\n", PAR, PAR,
	    par_count(422), par_count(429));
	T_EQ(par_count(422), 3);
	T_EQ(par_count(429), PAR - 3);
	T_EQ(t_ll(t_sql("SELECT n FROM parta.throttle WHERE key ="
	    " 'login:%s'", par_login)), account_max());
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "a stranger's failures at one address do not lock the"
		    " owner at another", stranger_does_not_lock_owner },
		{ "the owner locked at an address logs in by code",
		    owner_locked_logs_in_by_code },
		{ "a young child's lock sends them to the parent",
		    child_locked_page },
		{ "a right password gives its attempt back",
		    success_gives_back },
		{ "the ceiling per login from all addresses; code still in",
		    account_ceiling },
		{ "parallel wrong passwords at one address: exactly 5 checked",
		    parallel_one_address },
		{ "parallel wrong passwords from many addresses: the ceiling"
		    " holds", parallel_ceiling },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
