/*
 * The generator's distributions: seekers by population, employers by the
 * sectors of their kecamatan, the shares the demo data promises, and the
 * fallback to plain village counts for a region the generator does not know,
 * and the sharing out of people between regencies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "demo/demo.h"
#include "kd.h"
#include "world_fixture.h"

#define SEEKERS 20000
#define EMPLOYERS 2000
#define MAX_KECAMATAN 32

static kd_demo *make(const kd_demo_world *w, size_t employers, size_t seekers)
{
	kd_demo_options o = fixture_options();
	o.employers = employers;
	o.vacancies = 0;
	o.seekers = seekers;
	kd_demo *demo = NULL;
	const char *why = NULL;
	assert_int_equal(kd_demo_new(w, &o, &demo, &why), 0);
	return demo;
}

static double share(const int *counts, int k, int total)
{
	return (double)counts[k] / total;
}

static void assert_near(double value, double expected, double tolerance)
{
	if (value < expected - tolerance || value > expected + tolerance)
		fail_msg("%f is not within %f of %f", value, tolerance, expected);
}

static void test_seekers_follow_population(void **state)
{
	(void)state;
	const kd_demo_world *w = fixture_kukar();
	kd_demo *demo = make(w, 0, SEEKERS);
	int counts[MAX_KECAMATAN] = { 0 };
	kd_demo_seeker s;
	while (kd_demo_next_seeker(demo, &s) == 1)
		counts[fixture_kecamatan_of(w, s.desa)]++;
	assert_near(share(counts, fixture_kecamatan_index(w, "Tenggarong"), SEEKERS), 0.15, 0.015);
	assert_near(share(counts, fixture_kecamatan_index(w, "Loa Janan"), SEEKERS), 0.095, 0.012);
	assert_near(share(counts, fixture_kecamatan_index(w, "Tenggarong Seberang"), SEEKERS),
		    0.095, 0.012);
	/* The other 66% by village count: 207 villages among them. */
	assert_near(share(counts, fixture_kecamatan_index(w, "Tabang"), SEEKERS),
		    0.66 * 19 / 207, 0.012);
	assert_near(share(counts, fixture_kecamatan_index(w, "Sanga Sanga"), SEEKERS),
		    0.66 * 5 / 207, 0.005);
	kd_demo_free(demo);
}

static bool in(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(name, *names) == 0)
			return true;
	return false;
}

static void test_employers_follow_sectors(void **state)
{
	(void)state;
	const kd_demo_world *w = fixture_kukar();
	kd_demo *demo = make(w, EMPLOYERS, 0);
	static const char *const oil_gas_places[] = {
		"Muara Badak", "Anggana", "Muara Jawa", "Sanga Sanga", "Samboja", "Marang Kayu", NULL,
	};
	static const char *const palm_places[] = {
		"Muara Kaman", "Kembang Janggut", "Tabang", "Sebulu", NULL,
	};
	int smelters = 0, oil_gas = 0, palm = 0, palm_in_hubs = 0, offices = 0, offices_capital = 0;
	for (size_t i = 0; i < EMPLOYERS; i++) {
		const kd_demo_employer *e = kd_demo_employer_at(demo, i);
		const char *place = w->kecamatan[fixture_kecamatan_of(w, e->desa)].name;
		if (strcmp(e->sector, "smelting") == 0) {
			smelters++;
			assert_string_equal(place, "Sanga Sanga");
		} else if (strcmp(e->sector, "oil_gas") == 0) {
			oil_gas++;
			assert_true(in(place, oil_gas_places));
		} else if (strcmp(e->sector, "plantation") == 0) {
			palm++;
			palm_in_hubs += in(place, palm_places);
		} else if (strcmp(e->sector, "office") == 0) {
			offices++;
			offices_capital += strcmp(place, "Tenggarong") == 0;
		}
	}
	assert_true(smelters > 0 && oil_gas > 0);
	assert_true(palm_in_hubs > palm * 6 / 10);
	assert_true(offices_capital > offices / 3);
	kd_demo_free(demo);
}

/* Share of skills of `sector` among those of the seekers of kecamatan `name`. */
static double sector_share(const kd_demo_world *w, const char *name, const char *sector)
{
	kd_demo *demo = make(w, 0, SEEKERS);
	int k = fixture_kecamatan_index(w, name), hits = 0, total = 0;
	kd_demo_seeker s;
	while (kd_demo_next_seeker(demo, &s) == 1) {
		if (fixture_kecamatan_of(w, s.desa) != k)
			continue;
		for (size_t i = 0; i < s.skill_count; i++) {
			hits += strcmp(fixture_skill_sector(w, s.skills[i]), sector) == 0;
			total++;
		}
	}
	kd_demo_free(demo);
	return total ? (double)hits / total : 0;
}

static void test_skills_follow_local_work(void **state)
{
	(void)state;
	const kd_demo_world *w = fixture_kukar();
	assert_true(sector_share(w, "Tenggarong Seberang", "mining") >
		    3 * sector_share(w, "Tenggarong", "mining"));
	assert_true(sector_share(w, "Muara Muntai", "fisheries") >
		    3 * sector_share(w, "Loa Janan", "fisheries"));
	assert_true(sector_share(w, "Tenggarong", "office") >
		    2 * sector_share(w, "Tabang", "office"));
}

static void test_seeker_shares(void **state)
{
	(void)state;
	kd_demo *demo = make(fixture_kukar(), 0, SEEKERS);
	int upper_secondary = 0, degree = 0, none = 0, women = 0, disabled = 0, located = 0;
	int unknown = 0, guardian = 0, limited = 0;
	kd_demo_seeker s;
	while (kd_demo_next_seeker(demo, &s) == 1) {
		upper_secondary += s.education == KD_EDU_SMA || s.education == KD_EDU_SMK;
		degree += s.education >= KD_EDU_D1;
		none += s.education == KD_EDU_NONE;
		women += s.gender == 'F';
		disabled += s.disability;
		located += s.location_given;
		unknown += s.unknown_skill != NULL;
		guardian += s.guardian_consent;
		limited += s.max_distance_km > 0;
	}
	assert_near((double)upper_secondary / SEEKERS, 0.50, 0.08);
	assert_near((double)degree / SEEKERS, 0.16, 0.06);
	assert_near((double)none / SEEKERS, 0.02, 0.01);
	assert_near((double)women / SEEKERS, 0.48, 0.02);
	assert_near((double)disabled / SEEKERS, 0.02, 0.005);
	assert_near((double)located / SEEKERS, 0.70, 0.02);
	assert_near((double)unknown / SEEKERS, 0.06, 0.01);
	assert_near((double)guardian / SEEKERS, 0.04, 0.01);
	assert_near((double)limited / SEEKERS, 0.12, 0.015);
	kd_demo_free(demo);
}

static void test_unknown_region_falls_back(void **state)
{
	(void)state;
	const kd_demo_world *w = fixture_unknown_region();
	kd_demo *demo = make(w, EMPLOYERS, SEEKERS);
	int counts[MAX_KECAMATAN] = { 0 };
	kd_demo_seeker s;
	while (kd_demo_next_seeker(demo, &s) == 1)
		counts[fixture_kecamatan_of(w, s.desa)]++;
	/* Alpha, Beta and Gamma have 1, 2 and 3 villages. */
	for (int k = 0; k < 3; k++)
		assert_near(share(counts, k, SEEKERS), (k + 1) / 6.0, 0.015);
	/* Every sector with employers shows up, smelters included. */
	int smelters = 0, fisheries = 0;
	for (size_t i = 0; i < EMPLOYERS; i++) {
		const kd_demo_employer *e = kd_demo_employer_at(demo, i);
		smelters += strcmp(e->sector, "smelting") == 0;
		fisheries += strcmp(e->sector, "fisheries") == 0;
		assert_memory_equal(e->desa->code, "91.01.", 6);
	}
	assert_near((double)smelters / EMPLOYERS, 1.0 / 15, 0.025);
	assert_near((double)fisheries / EMPLOYERS, 1.0 / 15, 0.025);
	kd_demo_free(demo);
}

/*
 * Two regencies share the people by their villages; Kukar's known shares
 * hold within Kukar only, not for a namesake kecamatan elsewhere.
 */
static void test_regencies_share_by_villages(void **state)
{
	(void)state;
	const kd_demo_world *w = fixture_two_regencies();
	kd_demo *demo = make(w, 0, 4 * SEEKERS);
	int counts[MAX_KECAMATAN] = { 0 }, other = 0;
	kd_demo_seeker s;
	while (kd_demo_next_seeker(demo, &s) == 1) {
		counts[fixture_kecamatan_of(w, s.desa)]++;
		other += strncmp(s.desa->code, "91.01.", 6) == 0;
	}
	/* 237 villages in Kukar, 6 in the other regency. */
	assert_near((double)other / (4 * SEEKERS), 6.0 / 243, 0.004);
	assert_near(share(counts, fixture_kecamatan_by_code(w, "91.01.01"), 4 * SEEKERS),
		    3.0 / 243, 0.003);
	assert_near(share(counts, fixture_kecamatan_by_code(w, "91.01.03"), 4 * SEEKERS),
		    1.0 / 243, 0.002);
	assert_near(share(counts, fixture_kecamatan_index(w, "Tenggarong"), 4 * SEEKERS),
		    0.15 * 237 / 243, 0.012);
	kd_demo_free(demo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seekers_follow_population),
		cmocka_unit_test(test_employers_follow_sectors),
		cmocka_unit_test(test_skills_follow_local_work),
		cmocka_unit_test(test_seeker_shares),
		cmocka_unit_test(test_unknown_region_falls_back),
		cmocka_unit_test(test_regencies_share_by_villages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
