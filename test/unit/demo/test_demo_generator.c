/*
 * The generator's contract: the same world, options and seed give the same
 * records; every record is one the database and the daemon's rules accept.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/geo.h"
#include "core/nik.h"
#include "core/phone.h"
#include "demo/demo.h"
#include "kd.h"
#include "world_fixture.h"

static kd_demo *make(const kd_demo_world *w, const kd_demo_options *o)
{
	kd_demo *demo = NULL;
	const char *why = NULL;
	assert_int_equal(kd_demo_new(w, o, &demo, &why), 0);
	assert_non_null(demo);
	return demo;
}

static void assert_same_employer(const kd_demo_employer *a, const kd_demo_employer *b)
{
	assert_string_equal(a->name, b->name);
	assert_string_equal(a->kbli, b->kbli);
	assert_ptr_equal(a->desa, b->desa);
	assert_true(a->lat == b->lat && a->lon == b->lon);
	assert_int_equal(a->created_at, b->created_at);
}

static void assert_same_vacancy(const kd_demo_vacancy *a, const kd_demo_vacancy *b)
{
	assert_int_equal(a->employer, b->employer);
	assert_string_equal(a->title, b->title);
	assert_int_equal(a->required_count, b->required_count);
	assert_memory_equal(a->required, b->required, a->required_count * sizeof(int));
	assert_int_equal(a->optional_count, b->optional_count);
	assert_memory_equal(a->optional, b->optional, a->optional_count * sizeof(int));
	assert_int_equal(a->openings, b->openings);
	assert_int_equal(a->wage_given, b->wage_given);
	assert_int_equal(a->wage_min, b->wage_min);
	assert_int_equal(kd_date_compare(a->closes_on, b->closes_on), 0);
}

static void assert_same_seeker(const kd_demo_seeker *a, const kd_demo_seeker *b)
{
	assert_int_equal(a->id, b->id);
	assert_string_equal(a->registration_code, b->registration_code);
	assert_string_equal(a->nik, b->nik);
	assert_string_equal(a->full_name, b->full_name);
	assert_ptr_equal(a->desa, b->desa);
	assert_true(a->lat == b->lat && a->lon == b->lon);
	assert_int_equal(a->education, b->education);
	assert_int_equal(a->skill_count, b->skill_count);
	assert_memory_equal(a->skills, b->skills, a->skill_count * sizeof(int));
	assert_int_equal(a->registered_at, b->registered_at);
}

static void test_same_seed_same_data(void **state)
{
	(void)state;
	kd_demo_options o = fixture_options();
	kd_demo *a = make(fixture_kukar(), &o), *b = make(fixture_kukar(), &o);
	for (size_t i = 0; i < o.employers; i++)
		assert_same_employer(kd_demo_employer_at(a, i), kd_demo_employer_at(b, i));
	kd_demo_vacancy va, vb;
	while (kd_demo_next_vacancy(a, &va) == 1) {
		assert_int_equal(kd_demo_next_vacancy(b, &vb), 1);
		assert_same_vacancy(&va, &vb);
	}
	assert_int_equal(kd_demo_next_vacancy(b, &vb), 0);
	kd_demo_seeker sa, sb;
	while (kd_demo_next_seeker(a, &sa) == 1) {
		assert_int_equal(kd_demo_next_seeker(b, &sb), 1);
		assert_same_seeker(&sa, &sb);
	}
	assert_int_equal(kd_demo_next_seeker(b, &sb), 0);
	kd_demo_free(a);
	kd_demo_free(b);
}

static void test_other_seed_other_data(void **state)
{
	(void)state;
	kd_demo_options o = fixture_options();
	kd_demo *a = make(fixture_kukar(), &o);
	o.seed = 2;
	kd_demo *b = make(fixture_kukar(), &o);
	int same_names = 0;
	for (size_t i = 0; i < o.employers; i++)
		same_names += strcmp(kd_demo_employer_at(a, i)->name,
				     kd_demo_employer_at(b, i)->name) == 0;
	assert_true(same_names < 10);
	kd_demo_seeker sa, sb;
	assert_int_equal(kd_demo_next_seeker(a, &sa), 1);
	assert_int_equal(kd_demo_next_seeker(b, &sb), 1);
	/* The numbered name stays; what is random changes. */
	assert_string_equal(sa.full_name, sb.full_name);
	assert_int_not_equal(sa.id, sb.id);
	assert_string_not_equal(sa.registration_code, sb.registration_code);
	kd_demo_free(a);
	kd_demo_free(b);
}

/* A later run that starts at seeker 101 makes the same seeker 101. */
static void test_numbering_continues(void **state)
{
	(void)state;
	kd_demo_options o = fixture_options();
	o.employers = 0;
	o.vacancies = 0;
	o.seekers = 101;
	kd_demo *whole = make(fixture_kukar(), &o);
	kd_demo_seeker s, later;
	for (int i = 0; i < 101; i++)
		assert_int_equal(kd_demo_next_seeker(whole, &s), 1);
	o.first_seeker = 101;
	o.seekers = 1;
	kd_demo *appended = make(fixture_kukar(), &o);
	assert_int_equal(kd_demo_next_seeker(appended, &later), 1);
	assert_int_equal(later.number, 101);
	assert_same_seeker(&s, &later);
	assert_int_equal(kd_demo_next_seeker(appended, &later), 0);
	kd_demo_free(whole);
	kd_demo_free(appended);
}

/* Employers added by a later run are new firms, not the first run's again. */
static void test_appended_employers_are_new(void **state)
{
	(void)state;
	kd_demo_options o = fixture_options();
	kd_demo *first = make(fixture_kukar(), &o);
	o.first_employer = o.employers + 1;
	o.first_vacancy = o.vacancies + 1;
	kd_demo *second = make(fixture_kukar(), &o);
	int repeated = 0;
	for (size_t i = 0; i < o.employers; i++)
		for (size_t j = 0; j < o.employers; j++)
			repeated += strcmp(kd_demo_employer_at(first, i)->name,
					   kd_demo_employer_at(second, j)->name) == 0;
	assert_true(repeated < 30);
	assert_string_equal(kd_demo_employer_at(second, 0)->contact_email,
			    "rekrutmen00151@demo.example");
	kd_demo_free(first);
	kd_demo_free(second);
}

static int compare_nik(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void test_seekers_are_valid(void **state)
{
	(void)state;
	const kd_demo_world *w = fixture_kukar();
	kd_demo_options o = fixture_options();
	o.seekers = 20000;
	kd_demo *demo = make(w, &o);
	kd_date today = kd_date_from_days(o.today);
	char (*niks)[KD_NIK_LEN + 1] = malloc(o.seekers * sizeof(*niks));
	assert_non_null(niks);
	kd_demo_seeker s;
	size_t n = 0;
	while (kd_demo_next_seeker(demo, &s) == 1) {
		const char *why = NULL;
		assert_int_equal(kd_nik_check(s.nik, s.birth_date, s.gender, &why), 0);
		/* Province, regency and kecamatan digits come from the kecamatan code. */
		assert_memory_equal(s.nik, "6402", 4);
		assert_memory_equal(s.nik + 4, s.desa->kecamatan_code + 6, 2);
		assert_true(atoi(s.nik + 12) >= 5000);
		memcpy(niks[n++], s.nik, sizeof(s.nik));

		int age = kd_date_age(s.birth_date, today);
		assert_in_range(age, 16, 55);
		assert_int_equal(s.guardian_consent, age < 18);
		assert_true(s.experience_years >= 0 && s.experience_years <= 25 &&
			    s.experience_years <= age - 16);

		char phone[KD_PHONE_SIZE];
		assert_int_equal(kd_phone_normalise(s.phone, phone), 0);
		assert_memory_equal(s.phone, "+628120000", 10);

		assert_in_range(s.skill_count, 1, KD_DEMO_MAX_SKILLS);
		for (size_t i = 0; i < s.skill_count; i++) {
			assert_non_null(fixture_skill_sector(w, s.skills[i]));
			for (size_t j = 0; j < i; j++)
				assert_int_not_equal(s.skills[i], s.skills[j]);
		}

		double km = kd_geo_distance_km(s.lat, s.lon, s.desa->lat, s.desa->lon);
		assert_true(km <= 2.0 + 1e-9);
		if (!s.location_given)
			assert_true(km == 0);
		assert_true(s.max_distance_km == 0 || s.max_distance_km >= 5);
		assert_string_equal(s.consent_version, "2025-01");
		int64_t midnight = (int64_t)o.today * 86400;
		assert_true(s.registered_at < midnight && s.registered_at >= midnight - 60 * 86400);
	}
	assert_int_equal(n, o.seekers);
	qsort(niks, n, sizeof(*niks), compare_nik);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(niks[i], niks[i - 1]) != 0);
	free(niks);
	kd_demo_free(demo);
}

static void test_vacancies_are_valid(void **state)
{
	(void)state;
	const kd_demo_world *w = fixture_kukar();
	kd_demo_options o = fixture_options();
	kd_demo *demo = make(w, &o);
	size_t *posted = calloc(o.employers, sizeof(*posted));
	assert_non_null(posted);
	kd_demo_vacancy v;
	size_t count = 0, large = 0;
	while (kd_demo_next_vacancy(demo, &v) == 1) {
		count++;
		assert_true(v.employer < o.employers);
		posted[v.employer]++;
		const kd_demo_employer *e = kd_demo_employer_at(demo, v.employer);
		assert_ptr_equal(v.desa, e->desa);
		assert_int_equal(strlen(v.kbji), 4);
		assert_in_range(v.required_count, 1, KD_DEMO_MAX_REQUIRED);
		for (size_t i = 0; i < v.required_count; i++) {
			assert_non_null(fixture_skill_sector(w, v.required[i]));
			for (size_t j = 0; j < v.optional_count; j++)
				assert_int_not_equal(v.required[i], v.optional[j]);
		}
		assert_in_range(v.openings, 1, 300);
		large += v.openings > 50;
		if (v.wage_given)
			assert_true(v.wage_min > 1000000 && v.wage_min <= v.wage_max);
		long closes = kd_date_to_days(v.closes_on);
		assert_in_range(closes - o.today, 14, 42);
	}
	assert_int_equal(count, o.vacancies);
	/* Every employer advertises, and a few vacancies are hiring drives. */
	for (size_t i = 0; i < o.employers; i++)
		assert_true(posted[i] >= 1);
	assert_true(large >= 1 && large < count / 10);
	free(posted);
	kd_demo_free(demo);
}

static void test_employers_are_valid(void **state)
{
	(void)state;
	const kd_demo_world *w = fixture_kukar();
	kd_demo_options o = fixture_options();
	kd_demo *demo = make(w, &o);
	assert_int_equal(kd_demo_employer_count(demo), o.employers);
	assert_null(kd_demo_employer_at(demo, o.employers));
	for (size_t i = 0; i < o.employers; i++) {
		const kd_demo_employer *e = kd_demo_employer_at(demo, i);
		assert_int_equal(strlen(e->kbli), 5);
		assert_true(strlen(e->name) > 5);
		assert_true(kd_geo_distance_km(e->lat, e->lon, e->desa->lat, e->desa->lon) <= 1.5 + 1e-9);
		assert_string_not_equal(e->sector, "general");
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(e->name, kd_demo_employer_at(demo, j)->name);
	}
	kd_demo_free(demo);
}

static void expect_refusal(const kd_demo_world *w, const kd_demo_options *o)
{
	kd_demo *demo = NULL;
	const char *why = NULL;
	assert_int_equal(kd_demo_new(w, o, &demo, &why), -EINVAL);
	assert_null(demo);
	assert_non_null(why);
}

static void test_refuses_impossible_worlds(void **state)
{
	(void)state;
	kd_demo_options o = fixture_options();
	const kd_demo_world *kukar = fixture_kukar();

	kd_demo_world no_desa = *kukar;
	no_desa.desa_count = 0;
	expect_refusal(&no_desa, &o);

	kd_demo_world no_skills = *kukar;
	no_skills.skill_count = 0;
	expect_refusal(&no_skills, &o);

	const kd_demo_desa_row stray = { "64.02.99.2001", "64.02.99", -0.5, 117.0 };
	kd_demo_world stray_desa = *kukar;
	stray_desa.desa = &stray;
	stray_desa.desa_count = 1;
	expect_refusal(&stray_desa, &o);

	/* Only skills every sector uses: nobody to employ anyone. */
	const kd_demo_skill_row general[] = { { 1, "occupational_safety", "general" } };
	kd_demo_world only_general = *kukar;
	only_general.skills = general;
	only_general.skill_count = 1;
	expect_refusal(&only_general, &o);
	kd_demo_options seekers_only = o;
	seekers_only.employers = 0;
	seekers_only.vacancies = 0;
	kd_demo_free(make(&only_general, &seekers_only));

	kd_demo_options no_employers = o;
	no_employers.employers = 0;
	expect_refusal(kukar, &no_employers);

	kd_demo_options too_many = o;
	too_many.first_seeker = KD_DEMO_MAX_NUMBER;
	expect_refusal(kukar, &too_many);

	kd_demo_options unnumbered = o;
	unnumbered.first_employer = 0;
	expect_refusal(kukar, &unnumbered);

	kd_demo_options long_ago = o;
	long_ago.today = kd_date_to_days((kd_date){ 1899, 12, 31 });
	expect_refusal(kukar, &long_ago);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_data),
		cmocka_unit_test(test_other_seed_other_data),
		cmocka_unit_test(test_numbering_continues),
		cmocka_unit_test(test_appended_employers_are_new),
		cmocka_unit_test(test_seekers_are_valid),
		cmocka_unit_test(test_vacancies_are_valid),
		cmocka_unit_test(test_employers_are_valid),
		cmocka_unit_test(test_refuses_impossible_worlds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
