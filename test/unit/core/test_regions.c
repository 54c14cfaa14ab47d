#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/regions.h"

/* A synthetic regency, added out of order on purpose. */
static kd_regions *build(void)
{
	kd_regions *r = kd_regions_new();
	assert_non_null(r);
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.02", "Kecamatan Uji Dua", -7.9, 112.6), 0);
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.01", "Kecamatan Uji Satu", -8.0, 112.5), 0);
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.03", "Kecamatan Kosong", -8.1, 112.7), 0);
	assert_int_equal(kd_regions_add_desa(r, "35.07.02.2002", "Desa Uji C", KD_DESA_RURAL,
					     -7.95, 112.65), 0);
	assert_int_equal(kd_regions_add_desa(r, "35.07.01.2001", "Desa Uji A", KD_DESA_RURAL,
					     -8.10, 112.40), 0);
	assert_int_equal(kd_regions_add_desa(r, "35.07.02.1001", "Kelurahan Uji B", KD_DESA_URBAN,
					     -7.80, 112.70), 0);
	assert_int_equal(kd_regions_add_desa(r, "35.07.01.2002", "Desa Uji D", KD_DESA_RURAL,
					     -8.00, 112.50), 0);
	assert_int_equal(kd_regions_freeze(r), 0);
	return r;
}

static void test_code_shapes(void **state)
{
	(void)state;
	assert_true(kd_region_kecamatan_code_valid("64.02.06"));
	assert_true(kd_region_desa_code_valid("64.02.06.2001"));
	static const char *const bad_kecamatan[] = { "", "64.02.6", "64.02.006", "64-02-06",
						     "64.02.06.", "6402.06", "64.0a.06", "64.02.06 " };
	for (size_t i = 0; i < sizeof(bad_kecamatan) / sizeof(bad_kecamatan[0]); i++)
		assert_false(kd_region_kecamatan_code_valid(bad_kecamatan[i]));
	static const char *const bad_desa[] = { "64.02.06", "64.02.06.200", "64.02.06.20011",
						"64.02.06-2001", "64.02.06.2O01", "64.02.06.2001\n" };
	for (size_t i = 0; i < sizeof(bad_desa) / sizeof(bad_desa[0]); i++)
		assert_false(kd_region_desa_code_valid(bad_desa[i]));
}

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(kd_desa_kind_parse("desa"), KD_DESA_RURAL);
	assert_int_equal(kd_desa_kind_parse("kelurahan"), KD_DESA_URBAN);
	assert_int_equal(kd_desa_kind_parse("Desa"), -EINVAL);
	assert_string_equal(kd_desa_kind_name(KD_DESA_URBAN), "kelurahan");
	assert_string_equal(kd_desa_kind_name(KD_DESA_RURAL), "desa");
}

static void test_lookups(void **state)
{
	(void)state;
	kd_regions *r = build();
	const kd_desa *d = kd_regions_desa(r, "35.07.02.1001");
	assert_non_null(d);
	assert_string_equal(d->name, "Kelurahan Uji B");
	assert_int_equal(d->kind, KD_DESA_URBAN);
	assert_non_null(d->kecamatan);
	assert_string_equal(d->kecamatan->code, "35.07.02");
	assert_ptr_equal(d->kecamatan, kd_regions_kecamatan(r, "35.07.02"));
	assert_null(kd_regions_desa(r, "35.07.02.1002"));
	assert_null(kd_regions_desa(r, "35.07.02"));
	assert_null(kd_regions_kecamatan(r, "35.07.04"));

	size_t n;
	const kd_kecamatan *all = kd_regions_kecamatan_list(r, &n);
	assert_int_equal(n, 3);
	assert_string_equal(all[0].code, "35.07.01");
	assert_string_equal(all[2].name, "Kecamatan Kosong");
	kd_regions_free(r);
}

static void test_desa_of(void **state)
{
	(void)state;
	kd_regions *r = build();
	size_t n;
	const kd_desa *first = kd_regions_desa_of(r, "35.07.02", &n);
	assert_int_equal(n, 2);
	assert_string_equal(first[0].code, "35.07.02.1001");
	assert_string_equal(first[1].code, "35.07.02.2002");
	first = kd_regions_desa_of(r, "35.07.01", &n);
	assert_int_equal(n, 2);
	assert_string_equal(first[0].name, "Desa Uji A");
	assert_null(kd_regions_desa_of(r, "35.07.03", &n));
	assert_int_equal(n, 0);
	assert_null(kd_regions_desa_of(r, "35.07.09", &n));
	assert_int_equal(n, 0);
	kd_regions_free(r);
}

static void test_box(void **state)
{
	(void)state;
	kd_regions *r = build();
	kd_geo_box tight = kd_regions_box(r, 0.0);
	assert_true(tight.min_lat == -8.10);
	assert_true(tight.max_lat == -7.80);
	assert_true(tight.min_lon == 112.40);
	assert_true(tight.max_lon == 112.70);
	kd_geo_box grown = kd_regions_box(r, 10.0);
	/* 10 km is about 0.09 degrees of latitude. */
	assert_true(kd_geo_box_contains(&grown, -8.18, 112.55));
	assert_false(kd_geo_box_contains(&grown, -8.20, 112.55));
	assert_false(kd_geo_box_contains(&tight, -8.18, 112.55));
	kd_regions_free(r);
}

static void test_add_errors(void **state)
{
	(void)state;
	kd_regions *r = kd_regions_new();
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07", "Uji", 0, 0), -EINVAL);
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.01", "", 0, 0), -EINVAL);
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.01", "Uji", 91, 0), -EINVAL);
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.01", "Uji", NAN, 0), -EINVAL);
	assert_int_equal(kd_regions_add_desa(r, "35.07.01", "Uji", KD_DESA_RURAL, 0, 0), -EINVAL);
	assert_int_equal(kd_regions_add_desa(r, "35.07.01.2001", "Uji", (kd_desa_kind)7, 0, 0),
			 -EINVAL);
	/* Before the freeze nothing is found. */
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.01", "Uji", 0, 0), 0);
	assert_null(kd_regions_kecamatan(r, "35.07.01"));
	assert_int_equal(kd_regions_freeze(r), 0);
	assert_int_equal(kd_regions_freeze(r), -EBUSY);
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.02", "Uji", 0, 0), -EBUSY);
	/* No desa: the box holds nothing. */
	kd_geo_box box = kd_regions_box(r, 10.0);
	assert_false(kd_geo_box_contains(&box, 0, 0));
	kd_regions_free(r);
}

static void test_freeze_errors(void **state)
{
	(void)state;
	kd_regions *r = kd_regions_new();
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.01", "Uji", 0, 0), 0);
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.01", "Uji Lagi", 0, 0), 0);
	assert_int_equal(kd_regions_freeze(r), -EEXIST);
	assert_null(kd_regions_kecamatan(r, "35.07.01"));
	kd_regions_free(r);

	r = kd_regions_new();
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.01", "Uji", 0, 0), 0);
	assert_int_equal(kd_regions_add_desa(r, "35.07.02.2001", "Yatim", KD_DESA_RURAL, 0, 0), 0);
	assert_int_equal(kd_regions_freeze(r), -ENOENT);
	kd_regions_free(r);

	r = kd_regions_new();
	assert_int_equal(kd_regions_add_kecamatan(r, "35.07.01", "Uji", 0, 0), 0);
	assert_int_equal(kd_regions_add_desa(r, "35.07.01.2001", "A", KD_DESA_RURAL, 0, 0), 0);
	assert_int_equal(kd_regions_add_desa(r, "35.07.01.2001", "B", KD_DESA_RURAL, 0, 0), 0);
	assert_int_equal(kd_regions_freeze(r), -EEXIST);
	kd_regions_free(r);
}

static void test_many_rows(void **state)
{
	(void)state;
	kd_regions *r = kd_regions_new();
	char code[KD_DESA_CODE_SIZE];
	for (int k = 99; k >= 1; k--) {
		snprintf(code, sizeof(code), "64.02.%02d", k);
		assert_int_equal(kd_regions_add_kecamatan(r, code, "Uji", -0.5, 117.0), 0);
		for (int d = 1; d <= 40; d++) {
			snprintf(code, sizeof(code), "64.02.%02d.%04d", k, 2000 + d);
			assert_int_equal(kd_regions_add_desa(r, code, "Uji", KD_DESA_RURAL,
							     -0.5 + d * 0.001, 117.0), 0);
		}
	}
	assert_int_equal(kd_regions_freeze(r), 0);
	size_t n;
	const kd_desa *first = kd_regions_desa_of(r, "64.02.50", &n);
	assert_int_equal(n, 40);
	assert_string_equal(first[0].code, "64.02.50.2001");
	assert_string_equal(first[39].code, "64.02.50.2040");
	assert_non_null(kd_regions_desa(r, "64.02.99.2040"));
	assert_string_equal(kd_regions_desa(r, "64.02.01.2001")->kecamatan->code, "64.02.01");
	kd_regions_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_shapes),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_desa_of),
		cmocka_unit_test(test_box),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_freeze_errors),
		cmocka_unit_test(test_many_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
