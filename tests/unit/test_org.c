/*
 * Unit tests for the organization's vocabulary in lib/org.c: every type
 * of the contract named (and nothing else), a person's role agreeing
 * with their gender, capitalised alone and lower-case in a sentence,
 * and a status in the words of whoever reads it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "org.h"

static void
test_types(void **state)
{
	/* sql/0002_orgs.sql: org_request.org_type's CHECK, in its order. */
	static const char *const contract[] = { "school", "kindergarten",
	    "college", "university", "extra", "authority" };
	size_t	 i;

	(void)state;
	assert_int_equal(ORG_TYPE_N, sizeof(contract) / sizeof(contract[0]));
	for (i = 0; i < ORG_TYPE_N; i++) {
		assert_string_equal(org_types[i].value, contract[i]);
		assert_ptr_equal(org_type(contract[i]), &org_types[i]);
		assert_true(org_types[i].name[0] != '\0');
		assert_true(org_types[i].plural[0] != '\0');
	}
	assert_string_equal(org_type_name("school"), "Школа");
	assert_string_equal(org_type_plural("school"), "Школы");
	assert_string_equal(org_type_name("college"), "Колледж, техникум");
	assert_string_equal(org_type_plural("kindergarten"), "Детские сады");
	assert_null(org_type("lyceum"));
	assert_null(org_type(""));
	assert_string_equal(org_type_name("lyceum"), "lyceum");
}

static void
test_roles(void **state)
{
	(void)state;
	assert_string_equal(org_role_name("teacher"), "Учитель");
	assert_string_equal(org_role_name("student"), "Ученик");
	assert_string_equal(org_role_name("guest"), "");
	assert_string_equal(org_person_role("student", "f"), "Ученица");
	assert_string_equal(org_person_role("student", "m"), "Ученик");
	assert_string_equal(org_person_role("student", ""), "Ученик");
	assert_string_equal(org_person_role("teacher", "f"), "Учитель");
	assert_string_equal(org_person_role("admin", "f"), "Администратор");
	assert_string_equal(org_person_role_lower("student", "f"), "ученица");
	assert_string_equal(org_person_role_lower("student", ""), "ученик");
	assert_string_equal(org_person_role_lower("teacher", "m"), "учитель");
	assert_string_equal(org_person_role_lower("admin", "m"),
	    "администратор");
	assert_string_equal(org_person_role_lower("guest", "f"), "");
	assert_string_equal(org_role_plural("admin"), "Администраторы");
	assert_string_equal(org_role_plural("teacher"), "Учителя");
	assert_string_equal(org_role_for("student"), "учеников");
	assert_string_equal(org_role_for("teacher"), "учителей");
}

static void
test_statuses(void **state)
{
	(void)state;
	assert_string_equal(org_application_status("pending"),
	    "На рассмотрении");
	assert_string_equal(org_application_review("pending"), "ждёт решения");
	assert_string_equal(org_application_status("accepted"), "Принята");
	assert_string_equal(org_application_review("accepted"), "принята");
	assert_string_equal(org_application_review("rejected"), "отклонена");
	/* The applicant reads "you", a reviewer reads "the applicant". */
	assert_non_null(strstr(org_application_status("closed"), "вы "));
	assert_non_null(strstr(org_application_review("closed"),
	    "заявитель"));
	assert_string_equal(org_application_status("odd"), "odd");
	assert_string_equal(org_request_status("pending"), "на рассмотрении");
	assert_string_equal(org_request_status("approved"), "одобрена");
	assert_string_equal(org_request_status("rejected"), "отклонена");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_statuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
