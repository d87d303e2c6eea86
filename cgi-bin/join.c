/*
 * join: the person's own page, and (with the invite links) joining an
 * organization.
 */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "auth.h"
#include "db.h"
#include "pool.h"

static int	me(struct http_req *);

static const struct app_route routes[] = {
	{ APP_GET | APP_LOGIN, "/me", me },
};

/*
 * GET /me
 * Logged in.  My name, phone and e-mail with their verification, my
 * organizations and my applications.
 */
static int
me(struct http_req *r)
{
	struct html_ctx	*c = app_ctx(r);
	const struct auth_user *u = r->user;

	html_set_str(c, "title", "Мой профиль");
	html_set_str(c, "full_name", auth_user_name(r));
	html_set_str(c, "phone", u->phone);
	html_set_bool(c, "phone_verified", u->phone_verified);
	html_set_str(c, "email", u->email);
	html_set_bool(c, "email_verified", u->email_verified);
	html_list_init(c, "orgs");
	html_list_init(c, "applications");
	return app_page(r, HTTP_OK, "me", c);
}

int
main(void)
{
	return app_main("join", routes, sizeof(routes) / sizeof(routes[0]));
}
