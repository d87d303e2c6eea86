/*
 * roster: what the files of the program share (cgi-bin/roster/main.c).
 */
#ifndef ROSTERS_H
#define ROSTERS_H

#include "app.h"
#include "auth.h"
#include "db.h"
#include "org.h"
#include "pool.h"

/* upload.c */
int	roster_list(struct http_req *);
int	roster_upload(struct http_req *);

/* show.c */
int	roster_show(struct http_req *);
int	roster_apply_post(struct http_req *);
int	roster_csv(struct http_req *);

/* The organization's time zone (its region's), for times on pages: 0,
 * or an HTTP status. */
int	roster_tz(struct http_req *, const char **tz);

#endif /* ROSTERS_H */
