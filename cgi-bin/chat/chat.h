/*
 * chat: what the files of the program share (cgi-bin/chat/main.c).
 */
#ifndef CHAT_H
#define CHAT_H

#include "app.h"
#include "db.h"

/* What the asking person is in a chat, loaded by chat_load(). */
struct chat {
	long long	 id;
	long long	 org;
	const char	*org_s;		/* org as a string, for parameters */
	const char	*id_s;
	const char	*kind;
	const char	*purpose;
	const char	*title;
	const char	*org_name;
	int		 is_channel;
	int		 is_admin;	/* chat admin */
	int		 admins_only;
	int		 has_link;
	int		 linkable;	/* may have a link */
	int		 archived;	/* its class is archived: read-only */
	int		 closed;	/* a direct chat whose other side
					 * left the organization: read-only */
	int		 can_write;
	long long	 last_read;
	int		 opened;	/* the person opened it before */
	const char	*public_audience; /* "staff", "all", "" not public */
	int		 by_hand;	/* made by hand: may be public, left,
					 * closed (parta.chat_by_hand) */
};

/* Why the only admin of a chat with other members may not leave it, and
 * what can be done: the 409 of /chats/ID/leave and the pages that would
 * offer «Выйти» say it alike (parta.chat_leave_refusal, sql/0047). */
#define CHAT_LAST_ADMIN_WORDS						\
	"В чате нет другого администратора. Без вас в нём некому будет "	\
	"следить за порядком, поэтому выйти из него пока нельзя. "	\
	"Администратор организации может взять чат на модерацию на "	\
	"странице «Все чаты организации» — после этого вы сможете "	\
	"выйти. Если чат больше не нужен, его закрывают там же: если вы "	\
	"администратор организации, закройте его сами, иначе попросите "	\
	"администратора организации."

/* rooms.c */
int	chats_list(struct http_req *);
int	chat_show(struct http_req *);
int	message_post(struct http_req *);
int	message_delete_confirm(struct http_req *);
int	message_delete(struct http_req *);
int	members_show(struct http_req *);
int	member_remove_confirm(struct http_req *);
int	member_remove(struct http_req *);
int	settings_submit(struct http_req *);
int	org_chats(struct http_req *);
int	org_chat_create(struct http_req *);
int	chat_load(struct http_req *, long long, struct chat *);
/* The same in two halves (lib/db.h, db_send): the statement reads for
 * the request's account, so it may be queued before the session is
 * known (lib/app.h, APP_ONE_TRIP). */
struct db_query;
struct db_query	*chat_load_send(struct http_req *, long long);
int	chat_load_read(struct http_req *, struct db_query *, long long,
	    struct chat *);
struct html_ctx	*chat_ctx(struct http_req *, const struct chat *);

/* public.c */
int	org_chats_public(struct http_req *);
int	org_chats_all(struct http_req *);
int	org_chat_close_confirm(struct http_req *);
int	org_chat_close(struct http_req *);
int	org_chat_reopen(struct http_req *);
int	org_chat_moderate(struct http_req *);
int	chat_join(struct http_req *);
int	chat_leave(struct http_req *);
int	chat_public_set(struct http_req *);

/* links.c */
int	link_show(struct http_req *);
int	link_regenerate(struct http_req *);
int	link_landing(struct http_req *);
int	link_follow(struct http_req *);
int	link_again_ctx(struct http_req *, struct html_ctx *, const char *,
	    long long, const PGresult *);
int	verified(const struct http_req *);

/* family.c */
int	family(struct http_req *);
int	family_confirm_form(struct http_req *);
int	family_confirm(struct http_req *);
int	child_password(struct http_req *);
int	my_guardian_remove_confirm(struct http_req *);
int	my_guardian_remove(struct http_req *);
int	direct_open(struct http_req *);
int	parent_link_form(struct http_req *);
int	parent_link_create(struct http_req *);
int	parent_link_show(struct http_req *);
int	parent_link_gone(struct http_req *, int);
int	parent_link_refused(struct http_req *, int);

#endif /* CHAT_H */
