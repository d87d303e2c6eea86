/*
 * A form that takes one file and gets two (lib/http http_file_count):
 * a material's document (new and edit), a roster, a list of names for
 * invite links, an organization's registration document.  Each answers
 * 422 with VALID_E_ONE_FILE next to its file field, the values kept,
 * nothing stored.  (A chat message and /me/files take several files on
 * purpose: tests/http/test_chat_files.c, test_files.c.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

#define ONE_FILE	"Здесь можно приложить только один файл"

static const char pdf[] = "%PDF-1.4\n"
    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    " endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

static long long
files_of_org(long long org)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.file WHERE org_id ="
	    " %lld", org));
}

/* A material's document: two files, new and changed. */
static void
material_two_files(void)
{
	struct t_school	 s;
	struct t_mp	 m = { 0 };
	const char	*path;
	long long	 id;

	t_school_new(&s, "Школа одного файла");
	path = t_fmt("/org/%lld/materials/new", s.org);
	T_TRUE(t_form(&s.admin.c, path) != NULL);
	t_mp_field(&m, "csrf", s.admin.c.csrf);
	t_mp_field(&m, "kind", "document");
	t_mp_field(&m, "title", "Два приказа");
	t_mp_field(&m, "audience", "all");
	t_mp_field(&m, "class_id", "");
	t_mp_file(&m, "file", "первый.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1);
	t_mp_file(&m, "file", "второй.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1);
	T_EQ(t_mp_post(&s.admin.c, path, &m), 422);
	T_HAS(&s.admin.c, "id=\"file_error\"");
	T_HAS(&s.admin.c, ONE_FILE);
	T_HAS(&s.admin.c, "value=\"Два приказа\"");
	T_STREQ(t_sql("SELECT count(*) FROM parta.material WHERE org_id ="
	    " %lld", s.org), "0");
	T_EQ(files_of_org(s.org), 0);

	/* One file: published; then a change with two: 422, unchanged. */
	m = (struct t_mp){ 0 };
	T_TRUE(t_form(&s.admin.c, path) != NULL);
	t_mp_field(&m, "csrf", s.admin.c.csrf);
	t_mp_field(&m, "kind", "document");
	t_mp_field(&m, "title", "Приказ");
	t_mp_field(&m, "audience", "all");
	t_mp_field(&m, "class_id", "");
	t_mp_file(&m, "file", "приказ.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1);
	T_EQ(t_mp_post(&s.admin.c, path, &m), 303);
	T_TRUE((id = t_id_after(t_header(&s.admin.c, "Location"),
	    t_fmt("/org/%lld/materials/", s.org))) > 0);
	T_EQ(files_of_org(s.org), 1);
	m = (struct t_mp){ 0 };
	T_TRUE(t_form(&s.admin.c, t_fmt("/org/%lld/materials/%lld", s.org,
	    id)) != NULL);
	t_mp_field(&m, "csrf", s.admin.c.csrf);
	t_mp_field(&m, "title", "Приказ, новый");
	t_mp_field(&m, "audience", "all");
	t_mp_field(&m, "class_id", "");
	t_mp_file(&m, "file", "а.pdf", "application/pdf", pdf, sizeof(pdf) - 1);
	t_mp_file(&m, "file", "б.pdf", "application/pdf", pdf, sizeof(pdf) - 1);
	T_EQ(t_mp_post(&s.admin.c, t_fmt("/org/%lld/materials/%lld/edit",
	    s.org, id), &m), 422);
	T_HAS(&s.admin.c, ONE_FILE);
	T_STREQ(t_sql("SELECT title FROM parta.material WHERE id = %lld", id),
	    "Приказ");
	T_EQ(files_of_org(s.org), 1);
	/* An input left empty beside the chosen file is no second file. */
	m = (struct t_mp){ 0 };
	T_TRUE(t_form(&s.admin.c, path) != NULL);
	t_mp_field(&m, "csrf", s.admin.c.csrf);
	t_mp_field(&m, "kind", "document");
	t_mp_field(&m, "title", "Ещё приказ");
	t_mp_field(&m, "audience", "all");
	t_mp_field(&m, "class_id", "");
	t_mp_file(&m, "file", "ещё.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1);
	t_mp_file(&m, "file", "", "application/octet-stream", "", 0);
	T_EQ(t_mp_post(&s.admin.c, path, &m), 303);
	t_school_free(&s);
}

/* A roster and a list of names for invite links: two CSV files. */
static void
lists_two_files(void)
{
	static const char csv[] = "Фамилия;Имя\nИванов;Иван\n";
	struct t_school	 s;
	struct t_mp	 m = { 0 };
	const char	*path;

	t_school_new(&s, "Школа двух списков");
	path = t_fmt("/org/%lld/roster", s.org);
	T_TRUE(t_form(&s.admin.c, path) != NULL);
	t_mp_field(&m, "csrf", s.admin.c.csrf);
	t_mp_field(&m, "class_id", t_fmt("%lld", s.c5));
	t_mp_file(&m, "file", "5А.csv", "text/csv", csv, sizeof(csv) - 1);
	t_mp_file(&m, "file", "6Б.csv", "text/csv", csv, sizeof(csv) - 1);
	T_EQ(t_mp_post(&s.admin.c, path, &m), 422);
	T_HAS(&s.admin.c, "id=\"file_error\"");
	T_HAS(&s.admin.c, ONE_FILE);
	T_STREQ(t_sql("SELECT count(*) FROM parta.roster WHERE org_id ="
	    " %lld", s.org), "0");

	m = (struct t_mp){ 0 };
	path = t_fmt("/org/%lld/invites/bulk", s.org);
	T_TRUE(t_form(&s.admin.c, path) != NULL);
	t_mp_field(&m, "csrf", s.admin.c.csrf);
	t_mp_field(&m, "role", "student");
	t_mp_field(&m, "class_id", t_fmt("%lld", s.c5));
	t_mp_field(&m, "ttl_hours", "24");
	t_mp_field(&m, "names", "");
	t_mp_file(&m, "file", "a.csv", "text/csv", csv, sizeof(csv) - 1);
	t_mp_file(&m, "file", "b.csv", "text/csv", csv, sizeof(csv) - 1);
	T_EQ(t_mp_post(&s.admin.c, path, &m), 422);
	T_HAS(&s.admin.c, "id=\"file_error\"");
	T_HAS(&s.admin.c, ONE_FILE);
	T_STREQ(t_sql("SELECT count(*) FROM parta.invite WHERE org_id ="
	    " %lld AND batch_id IS NOT NULL", s.org), "0");
	t_school_free(&s);
}

/* An organization's registration: two documents. */
static void
register_two_files(void)
{
	struct t_person	 p;
	struct t_mp	 m = { 0 };
	char		 phone[16];

	t_signup(&p, "Двудокументова", "Ольга");
	t_unique_phone(phone);
	T_TRUE(t_form(&p.c, "/register/org") != NULL);
	t_mp_field(&m, "csrf", p.c.csrf);
	t_mp_field(&m, "region", "70");
	t_mp_field(&m, "org_type", "school");
	t_mp_field(&m, "full_name", "МАОУ «Школа двух приказов»");
	t_mp_field(&m, "short_name", "Школа двух приказов");
	t_mp_field(&m, "inn", "");
	t_mp_field(&m, "kpp", "");
	t_mp_field(&m, "admin_last_name", "Двудокументова");
	t_mp_field(&m, "admin_first_name", "Ольга");
	t_mp_field(&m, "admin_patronymic", "");
	t_mp_field(&m, "admin_phone", phone);
	t_mp_field(&m, "address", "г. Томск, ул. Мира, 3");
	t_mp_file(&m, "document", "приказ.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1);
	t_mp_file(&m, "document", "ещё.pdf", "application/pdf", pdf,
	    sizeof(pdf) - 1);
	T_EQ(t_mp_post(&p.c, "/register/org", &m), 422);
	T_HAS(&p.c, "id=\"document_error\"");
	T_HAS(&p.c, ONE_FILE);
	T_HAS(&p.c, "Школа двух приказов");
	T_STREQ(t_sql("SELECT count(*) FROM parta.org_request WHERE"
	    " short_name = 'Школа двух приказов'"), "0");
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "a material's document: two files 422, nothing stored",
		    material_two_files },
		{ "a roster and a list of names: two files 422",
		    lists_two_files },
		{ "an organization's registration: two documents 422",
		    register_two_files },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
