/*
 * create-class: what the files of the program share
 * (cgi-bin/create-class/main.c).
 */
#ifndef CREATE_CLASS_H
#define CREATE_CLASS_H

#include "app.h"
#include "db.h"
#include "org.h"
#include "pool.h"

#define YEAR_MIN	2000
#define YEAR_MAX	2100

/* classes.c */
int	class_list(struct http_req *);
int	class_new(struct http_req *);
int	class_create(struct http_req *);
int	class_show(struct http_req *);
int	class_edit_form(struct http_req *);
int	class_edit(struct http_req *);
int	class_archive_confirm(struct http_req *);
int	class_archive(struct http_req *);
long	class_number(const char *, int);
const char	*students_text(struct pool *, long long);
const char	*class_short(struct pool *, const char *, const char *,
		    const char *);
const char	*year_label(struct pool *, long long);
const char	*color_class(struct pool *, const char *);
const char	*person_name(struct pool *, const PGresult *, int);
int	current_year(struct http_req *, long long, int *);
int	class_lock(struct http_req *, long long);
int	class_page(struct http_req *, const struct org_access *, long long,
	    int, struct html_ctx *);

/* teachers.c */
int	homeroom_assign(struct http_req *);
int	homeroom_unassign_confirm(struct http_req *);
int	homeroom_unassign(struct http_req *);
int	teacher_add(struct http_req *);
int	teacher_remove_confirm(struct http_req *);
int	teacher_remove(struct http_req *);

/* rollover.c */
int	rollover_preview(struct http_req *);
int	rollover_apply(struct http_req *);
int	rollover_early_ctx(struct http_req *, struct html_ctx *, long long,
	    int, int *);

#endif /* CREATE_CLASS_H */
