/* The batch statements' parameters: one text array literal per parameter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "db/db_batch.h"
#include "db/statements.h"

static void test_columns_values_and_nulls(void **state)
{
	(void)state;
	char *row1[] = { "1", "a \"b\"", NULL };
	char *row2[] = { "2", "c\\d", "" };
	char *const *rows[] = { row1, row2 };
	const char *want[] = { "{\"1\",\"2\"}", "{\"a \\\"b\\\"\",\"c\\\\d\"}", "{NULL,\"\"}" };
	for (int c = 0; c < 3; c++) {
		char *text = kd_db_text_array_column(rows, 2, c);
		assert_non_null(text);
		assert_string_equal(text, want[c]);
		free(text);
	}
}

static void test_null_is_not_the_word_null(void **state)
{
	(void)state;
	char *r1[] = { "NULL" }, *r2[] = { NULL }, *r3[] = { "{1,2}" }, *r4[] = { "\\x00ff" },
	     *r5[] = { "x,y}" };
	char *const *rows[] = { r1, r2, r3, r4, r5 };
	char *text = kd_db_text_array_column(rows, 5, 0);
	assert_string_equal(text, "{\"NULL\",NULL,\"{1,2}\",\"\\\\x00ff\",\"x,y}\"}");
	free(text);
}

static void test_no_rows(void **state)
{
	(void)state;
	char *row[] = { "1" };
	char *const *rows[] = { row };
	assert_null(kd_db_text_array_column(rows, 0, 0));
	assert_null(kd_db_text_array_column(rows, 1, -1));
}

/* Only statements whose batch form exists have one, and it takes one array. */
static void test_batch_forms(void **state)
{
	(void)state;
	assert_int_equal(kd_stmt_batch_of(KD_STMT_SEEKER_INSERT), KD_STMT_SEEKER_INSERT_BATCH);
	assert_int_equal(kd_stmt_get(KD_STMT_SEEKER_INSERT_BATCH)->nparams,
			 kd_stmt_get(KD_STMT_SEEKER_INSERT)->nparams);
	assert_int_equal(kd_stmt_batch_of(KD_STMT_SEEKER_INSERT_BATCH), KD_STMT_COUNT);
	for (int i = 0; i < KD_STMT_COUNT; i++)
		if (i != KD_STMT_SEEKER_INSERT)
			assert_int_equal(kd_stmt_batch_of((kd_stmt)i), KD_STMT_COUNT);
	assert_int_equal(kd_stmt_batch_of(KD_STMT_COUNT), KD_STMT_COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_values_and_nulls),
		cmocka_unit_test(test_null_is_not_the_word_null),
		cmocka_unit_test(test_no_rows),
		cmocka_unit_test(test_batch_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
