/*
 * leaders: what the files of the program share (cgi-bin/leaders/main.c).
 */
#ifndef LEADERS_H
#define LEADERS_H

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "db.h"
#include "org.h"
#include "pool.h"

/* show.c */
int	leaders_show(struct http_req *);
int	leaders_contacts_form(struct http_req *);
int	leaders_contacts_submit(struct http_req *);

/* edit.c */
int	leaders_edit_form(struct http_req *);
int	leaders_add(struct http_req *);
int	leader_form(struct http_req *);
int	leader_submit(struct http_req *);
int	leader_move_submit(struct http_req *);
int	leader_remove_confirm(struct http_req *);
int	leader_remove(struct http_req *);

#endif /* LEADERS_H */
