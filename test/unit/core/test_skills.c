#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/skills.h"

static const struct {
	int id;
	const char *code, *label_id, *label_en;
	const char *synonyms[4];
} rows[] = {
	{ 7, "welding", "Pengelasan", "Welding", { "las", "welder", "Tukang Las", "las listrik" } },
	{ 3, "heavy_equipment_operator", "Operator Alat Berat", "Heavy Equipment Operator",
	  { "operator excavator", "alat berat" } },
	{ 12, "electrical_installation", "Instalasi Listrik", "Electrical Installation",
	  { "listrik", "electrician", "teknisi listrik" } },
	{ 5, "driving", "Mengemudi", "Driving", { "sopir", "supir", "driver" } },
	{ 9, "accounting", "Akuntansi", "Accounting", { "pembukuan", "akuntan" } },
	{ 21, "palm_harvest", "Panen Kelapa Sawit", "Palm Oil Harvesting",
	  { "pemanen sawit", "dodos" } },
	{ 30, "fish_processing", "Pengolahan Ikan", "Fish Processing", { NULL } },
};

static int setup(void **state)
{
	kd_skills *s = kd_skills_new();
	if (!s)
		return -1;
	/* Synonyms before their skill are fine: owners resolve at the freeze. */
	if (kd_skills_add_synonym(s, 30, "pengolah ikan") < 0)
		return -1;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (kd_skills_add(s, rows[i].id, rows[i].code, rows[i].label_id, rows[i].label_en) < 0)
			return -1;
		for (size_t j = 0; j < 4 && rows[i].synonyms[j]; j++)
			if (kd_skills_add_synonym(s, rows[i].id, rows[i].synonyms[j]) < 0)
				return -1;
	}
	if (kd_skills_freeze(s) < 0)
		return -1;
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	kd_skills_free(*state);
	return 0;
}

static void expect_lookup(const kd_skills *s, const char *text, int id)
{
	const kd_skill *skill = kd_skills_lookup(s, text);
	if (!skill)
		fail_msg("\"%s\" not found", text);
	assert_int_equal(skill->id, id);
}

static void test_synonyms(void **state)
{
	const kd_skills *s = *state;
	expect_lookup(s, "las", 7);
	expect_lookup(s, "welding", 7);
	expect_lookup(s, "pengelasan", 7);
	expect_lookup(s, "PENGELASAN", 7);
	expect_lookup(s, "  Welder ", 7);
	expect_lookup(s, "tukang-las", 7);
	expect_lookup(s, "heavy_equipment_operator", 3);
	expect_lookup(s, "Heavy Equipment  Operator", 3);
	expect_lookup(s, "pengolah ikan", 30);
	assert_null(kd_skills_lookup(s, "las karbit"));
	assert_null(kd_skills_lookup(s, "memasak"));
	assert_null(kd_skills_lookup(s, ""));
	assert_null(kd_skills_lookup(s, "   "));
}

static void test_by_id(void **state)
{
	const kd_skills *s = *state;
	assert_int_equal(kd_skills_count(s), 7);
	const kd_skill *skill = kd_skills_by_id(s, 12);
	assert_non_null(skill);
	assert_string_equal(skill->code, "electrical_installation");
	assert_string_equal(skill->label_id, "Instalasi Listrik");
	assert_string_equal(skill->label_en, "Electrical Installation");
	assert_null(kd_skills_by_id(s, 4));
}

/* Runs a search and compares the Indonesian labels in order. */
static void expect_search(const kd_skills *s, const char *q, size_t limit,
			  const char *const expected[], size_t n)
{
	const kd_skill *out[16];
	assert_true(limit <= 16);
	size_t got = kd_skills_search(s, q, limit, out);
	for (size_t i = 0; i < got && i < n; i++)
		if (strcmp(out[i]->label_id, expected[i]) != 0)
			fail_msg("q \"%s\" result %zu: \"%s\", expected \"%s\"", q, i,
				 out[i]->label_id, expected[i]);
	assert_int_equal(got, n);
}

static void test_search_ranking(void **state)
{
	const kd_skills *s = *state;
	/* Exact synonym first, then a mere substring ("instalasi"); welding only once. */
	expect_search(s, "las", 10, (const char *[]){ "Pengelasan", "Instalasi Listrik" }, 2);
	/* Exact beats a word prefix ("las listrik"). */
	expect_search(s, "listrik", 10, (const char *[]){ "Instalasi Listrik", "Pengelasan" }, 2);
	/* Whole-text prefixes by label, then substrings ("operator"). */
	expect_search(s, "pe", 10,
		      (const char *[]){ "Akuntansi", "Panen Kelapa Sawit", "Pengelasan",
					"Pengolahan Ikan", "Operator Alat Berat" }, 5);
	/* A word prefix ("sawit") ranks below a text prefix ("sopir"). */
	expect_search(s, "s", 2, (const char *[]){ "Mengemudi", "Panen Kelapa Sawit" }, 2);
	/* Queries are normalised like labels. */
	expect_search(s, "  Alat-BERAT ", 10, (const char *[]){ "Operator Alat Berat" }, 1);
	expect_search(s, "tidak ada", 10, NULL, 0);
}

static void test_search_empty_and_limit(void **state)
{
	const kd_skills *s = *state;
	expect_search(s, "", 3, (const char *[]){ "Akuntansi", "Instalasi Listrik", "Mengemudi" }, 3);
	expect_search(s, "", 0, NULL, 0);
	const kd_skill *out[16];
	assert_int_equal(kd_skills_search(s, "", 16, out), 7);
	assert_int_equal(kd_skills_search(s, "e", 16, out), 7);
	/* Distinct skills even when many of a skill's texts match. */
	for (size_t i = 0; i < 7; i++)
		for (size_t j = i + 1; j < 7; j++)
			assert_ptr_not_equal(out[i], out[j]);
}

static void test_clashes(void **state)
{
	(void)state;
	kd_skills *s = kd_skills_new();
	assert_int_equal(kd_skills_add(s, 1, "a", "Sama", "One"), 0);
	assert_int_equal(kd_skills_add(s, 2, "b", "Sama", "Two"), 0);
	assert_int_equal(kd_skills_freeze(s), -EEXIST);
	assert_null(kd_skills_lookup(s, "one"));
	kd_skills_free(s);

	s = kd_skills_new();
	assert_int_equal(kd_skills_add(s, 1, "a", "Satu", "One"), 0);
	assert_int_equal(kd_skills_add(s, 2, "b", "Dua", "Two"), 0);
	assert_int_equal(kd_skills_add_synonym(s, 1, "bersama"), 0);
	assert_int_equal(kd_skills_add_synonym(s, 2, "Bersama"), 0);
	assert_int_equal(kd_skills_freeze(s), -EEXIST);
	kd_skills_free(s);

	s = kd_skills_new();
	assert_int_equal(kd_skills_add(s, 1, "a", "Satu", "One"), 0);
	assert_int_equal(kd_skills_add(s, 1, "b", "Dua", "Two"), 0);
	assert_int_equal(kd_skills_freeze(s), -EEXIST);
	kd_skills_free(s);

	s = kd_skills_new();
	assert_int_equal(kd_skills_add(s, 1, "a", "Satu", "One"), 0);
	assert_int_equal(kd_skills_add_synonym(s, 2, "dua"), 0);
	assert_int_equal(kd_skills_freeze(s), -ENOENT);
	kd_skills_free(s);

	/* A label beats another skill's synonym, and a repeated synonym is harmless. */
	s = kd_skills_new();
	assert_int_equal(kd_skills_add(s, 1, "a", "Satu", "One"), 0);
	assert_int_equal(kd_skills_add(s, 2, "b", "Dua", "Two"), 0);
	assert_int_equal(kd_skills_add_synonym(s, 2, "satu"), 0);
	assert_int_equal(kd_skills_add_synonym(s, 2, "kedua"), 0);
	assert_int_equal(kd_skills_add_synonym(s, 2, "KEDUA"), 0);
	assert_int_equal(kd_skills_freeze(s), 0);
	assert_int_equal(kd_skills_lookup(s, "satu")->id, 1);
	assert_int_equal(kd_skills_lookup(s, "kedua")->id, 2);
	assert_int_equal(kd_skills_freeze(s), -EBUSY);
	assert_int_equal(kd_skills_add_synonym(s, 1, "lagi"), -EBUSY);
	kd_skills_free(s);
}

static void test_add_errors(void **state)
{
	(void)state;
	kd_skills *s = kd_skills_new();
	char long_text[200];
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	assert_int_equal(kd_skills_add(s, 1, "a", " - ", "One"), -EINVAL);
	assert_int_equal(kd_skills_add(s, 1, "a", "Satu", long_text), -EINVAL);
	assert_int_equal(kd_skills_add_synonym(s, 1, ""), -EINVAL);
	assert_int_equal(kd_skills_freeze(s), 0);
	assert_int_equal(kd_skills_count(s), 0);
	kd_skills_free(s);
}

/* The size the daemon serves: 200 skills, 1000 synonyms. */
static void test_taxonomy_size(void **state)
{
	(void)state;
	kd_skills *s = kd_skills_new();
	char code[32], label[64], synonym[64];
	for (int id = 1; id <= 200; id++) {
		snprintf(code, sizeof(code), "skill_%03d", id);
		snprintf(label, sizeof(label), "Keahlian %03d", id);
		assert_int_equal(kd_skills_add(s, id, code, label, code), 0);
		for (int j = 0; j < 5; j++) {
			snprintf(synonym, sizeof(synonym), "sinonim %03d %d", id, j);
			assert_int_equal(kd_skills_add_synonym(s, id, synonym), 0);
		}
	}
	assert_int_equal(kd_skills_freeze(s), 0);
	const kd_skill *out[10];
	for (int round = 0; round < 1000; round++) {
		int id = round % 200 + 1;
		snprintf(synonym, sizeof(synonym), "SINONIM %03d %d", id, round % 5);
		assert_int_equal(kd_skills_lookup(s, synonym)->id, id);
		snprintf(synonym, sizeof(synonym), "%03d", id);
		assert_true(kd_skills_search(s, synonym, 10, out) >= 1);
		assert_int_equal(out[0]->id, id);
	}
	kd_skills_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_synonyms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_by_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_ranking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_empty_and_limit, setup, teardown),
		cmocka_unit_test(test_clashes),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_taxonomy_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
