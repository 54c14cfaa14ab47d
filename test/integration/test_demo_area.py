"""`kerjadekat demo --area`: the demo data goes to the villages of the area
asked for and nowhere else, in exactly the numbers asked for, spread over the
villages in proportion to their number (each equally likely), the same for
the same seed; an area that is malformed, or any part of which has no
villages, is refused with a message naming --area, and nothing is written.

Besides Kukar (64.02) the module's service area holds a made-up regency
19.99 of twelve villages: 2, 6 and 4 in its kecamatan.  Every other region
of the country is in the database but outside the service area, where the
demo puts nothing."""

import re

import harness

REGENCY = "19.99"
# Kecamatan of the made-up regency and the number of villages in each.
KECAMATAN = {"19.99.01": 2, "19.99.02": 6, "19.99.03": 4}
VILLAGES = sum(KECAMATAN.values())
TODAY = "2025-11-28"
TABLES = ("employers", "vacancies", "seekers")


class DemoAreaTestCase(harness.KerjadekatTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        statements = ["INSERT INTO regencies (code, province_code, name, kind, lat, lon) VALUES"
                      f" ('{REGENCY}', '{REGENCY[:2]}', 'Kabupaten Uji', 'kabupaten', -2.2, 106.2)"]
        for k, (code, villages) in enumerate(sorted(KECAMATAN.items())):
            statements.append(f"INSERT INTO kecamatan (code, name, lat, lon) VALUES"
                              f" ('{code}', 'Uji Kecamatan {k + 1}', -2.{k + 1}, 106.{k + 1})")
            for v in range(villages):
                statements.append(
                    f"INSERT INTO desa (code, kecamatan_code, name, kind, lat, lon) VALUES"
                    f" ('{code}.{2001 + v}', '{code}', 'Uji Desa {k + 1}-{v + 1}', 'desa',"
                    f" -2.{k + 1}{v}, 106.{k + 1}{v})")
        cls.kd.sql(";\n".join(statements))
        cls.kd.sql(f"SELECT service_area_set(ARRAY['64.02', '{REGENCY}'])")

    def setUp(self):
        super().setUp()
        self.sql("TRUNCATE employers, vacancies, seekers RESTART IDENTITY CASCADE")

    def demo(self, *args, expect=0):
        proc = self.kd.run("demo", "--db", self.kd.conninfo, "--secret-file",
                           self.kd.secret_file, "--today", TODAY, *args, check=False)
        self.assertEqual(proc.returncode, expect, proc.stderr)
        return proc

    def count(self, table, where="true"):
        return int(self.sql(f"SELECT count(*) FROM {table} WHERE {where}")[0][0])

    def village_counts(self, table):
        return dict(self.sql(f"SELECT desa_code, count(*) FROM {table} GROUP BY desa_code"))

    def rows(self):
        """Every row the demo wrote, as text, in a fixed order."""
        return {table: self.sql(f"SELECT t::text FROM {table} t ORDER BY id") for table in TABLES}

    def assert_within(self, pattern):
        for table in TABLES:
            outside = self.count(table, f"desa_code NOT LIKE '{pattern}'"
                                        " OR kecamatan_code <> left(desa_code, 8)")
            self.assertEqual(outside, 0, f"{table} outside {pattern}")

    def test_only_the_area_exact_counts(self):
        out = self.demo("--area", REGENCY, "--seekers", "1200", "--vacancies", "160")
        self.assertRegex(out.stdout, rf"over {VILLAGES} villages in {len(KECAMATAN)} kecamatan")
        self.assertEqual(self.count("seekers"), 1200)
        self.assertEqual(self.count("vacancies"), 160)
        # 3 employers for every 8 vacancies when --employers is not given.
        self.assertEqual(self.count("employers"), 60)
        self.assert_within(REGENCY + ".%")
        # Made-up people, as everywhere in the demo data.
        names = self.count("seekers", "full_name !~ '^Peserta Demo [0-9]{5,}$'"
                                      " OR phone !~ '^\\+628120000'")
        self.assertEqual(names, 0)

    def test_spread_follows_village_counts(self):
        seekers = 2400
        self.demo("--area", REGENCY, "--seekers", str(seekers), "--vacancies", "600",
                  "--employers", "300")
        # Every village equally likely: 200 seekers each on average, so a
        # village below 100 or above 300 (more than seven standard deviations
        # off) means the spreading is wrong, not unlucky.
        counts = self.village_counts("seekers")
        self.assertEqual(len(counts), VILLAGES, counts)
        for village, n in counts.items():
            self.assertTrue(100 <= int(n) <= 300, f"{village}: {n} of {seekers} seekers")
        by_kecamatan = dict(self.sql("SELECT kecamatan_code, count(*) FROM seekers"
                                     " GROUP BY kecamatan_code"))
        for code, villages in KECAMATAN.items():
            expected = seekers * villages / VILLAGES
            self.assertLess(abs(int(by_kecamatan[code]) - expected), expected / 4,
                            f"{code}: {by_kecamatan[code]} seekers, about {expected:.0f} expected")
        # Employers follow the same weights (no sector is known here).
        employers = dict(self.sql("SELECT kecamatan_code, count(*) FROM employers"
                                  " GROUP BY kecamatan_code"))
        for code, villages in KECAMATAN.items():
            expected = 300 * villages / VILLAGES
            self.assertLess(abs(int(employers[code]) - expected), expected / 2,
                            f"{code}: {employers[code]} employers, about {expected:.0f} expected")

    def test_lists_and_levels(self):
        self.demo("--area", "19.99.01,64.02.06", "--seekers", "400", "--vacancies", "40")
        both = dict(self.sql("SELECT left(kecamatan_code, 8), count(*) FROM seekers GROUP BY 1"))
        self.assertEqual(set(both), {"19.99.01", "64.02.06"})
        self.assertEqual(sum(int(n) for n in both.values()), 400)
        self.sql("TRUNCATE employers, vacancies, seekers RESTART IDENTITY CASCADE")
        self.demo("--area", "19", "--seekers", "100", "--vacancies", "10")
        self.assert_within("19.%")
        self.sql("TRUNCATE employers, vacancies, seekers RESTART IDENTITY CASCADE")
        self.demo("--area", "19.99.02.2003", "--seekers", "50", "--vacancies", "5")
        self.assertEqual(self.count("seekers", "desa_code = '19.99.02.2003'"), 50)
        self.assertEqual(self.count("vacancies", "desa_code = '19.99.02.2003'"), 5)

    def test_default_area_is_the_service_area(self):
        self.demo("--seekers", "3000", "--vacancies", "30")
        self.assertEqual(self.count("seekers"), 3000)
        by_regency = dict(self.sql("SELECT left(desa_code, 5), count(*) FROM seekers GROUP BY 1"))
        self.assertEqual(set(by_regency), {"64.02", REGENCY})

    def test_area_outside_the_service_area(self):
        # Tanah Laut's villages are in the database, not in the service area.
        for area in ("63.01", "63", "64.02,63.01.01"):
            with self.subTest(area=area):
                out = self.demo("--area", area, "--seekers", "10", expect=2)
                self.assertRegex(out.stderr, r"--area 63[.0-9]* has no villages in the service area")
                for table in TABLES:
                    self.assertEqual(self.count(table), 0, table)

    def test_all_takes_every_village(self):
        out = self.demo("--area", "all", "--seekers", "3000", "--vacancies", "40")
        villages = self.count("desa", "left(code, 5) IN (SELECT regency_code FROM service_area)")
        self.assertRegex(out.stdout, rf"over {villages} villages in")
        # The made-up regency gets its villages' share of all the villages.
        expected = 3000 * VILLAGES / villages
        made_up = self.count("seekers", f"desa_code LIKE '{REGENCY}.%'")
        self.assertLess(abs(made_up - expected), expected / 3, made_up)

    def test_same_seed_same_data(self):
        args = ("--area", f"{REGENCY},64.02.01", "--seekers", "500", "--vacancies", "80",
                "--seed", "42")
        self.demo(*args)
        first = self.rows()
        self.assertEqual([len(first[t]) for t in TABLES], [30, 80, 500])
        self.sql("TRUNCATE employers, vacancies, seekers RESTART IDENTITY CASCADE")
        self.demo(*args)
        self.assertEqual(self.rows(), first)
        self.sql("TRUNCATE employers, vacancies, seekers RESTART IDENTITY CASCADE")
        self.demo(*args[:-1], "43")
        other = self.rows()
        for table in TABLES:
            self.assertNotEqual(other[table], first[table], table)

    def schema_of_tables(self):
        """Definitions of the indexes and constraints of the tables loaded."""
        return self.sql("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)"
                        " FROM pg_constraint WHERE conrelid IN"
                        " ('employers'::regclass, 'vacancies'::regclass, 'seekers'::regclass)"
                        " UNION ALL SELECT indrelid::regclass::text, indexrelid::regclass::text,"
                        " pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid IN"
                        " ('employers'::regclass, 'vacancies'::regclass, 'seekers'::regclass)"
                        # a primary key's constraint and index share a name
                        " ORDER BY 1, 2, 3")

    def test_checks_and_indexes_come_back(self):
        # Into empty tables the load drops foreign keys and plain indexes and
        # makes them again; afterwards the tables are as the migrations left them.
        before = self.schema_of_tables()
        self.assertTrue(any("FOREIGN KEY (desa_code)" in row[2] for row in before))
        self.demo("--area", REGENCY, "--seekers", "200", "--vacancies", "20")
        self.assertEqual(self.schema_of_tables(), before)
        self.assertEqual(self.count("seekers"), 200)

    def test_as_a_role_that_does_not_own_the_tables(self):
        # The daemon's role may insert but not alter the tables: the load
        # then checks row by row, with the same result.
        args = ("--area", REGENCY, "--seekers", "150", "--vacancies", "16", "--seed", "5")
        self.demo(*args)
        owner_rows = self.rows()
        self.sql("TRUNCATE employers, vacancies, seekers RESTART IDENTITY CASCADE")
        before = self.schema_of_tables()
        conninfo = self.kd.daemon_conninfo
        proc = self.kd.run("demo", "--db", conninfo, "--secret-file", self.kd.secret_file,
                           "--today", TODAY, *args, check=False)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.rows(), owner_rows)
        self.assertEqual(self.schema_of_tables(), before)

    def test_area_without_villages(self):
        # A part of a list without villages is refused too: it is most
        # likely a mistyped code.
        for area, empty in (("19.98", "19.98"), ("19.99.04", "19.99.04"), ("20", "20"),
                            ("19.99.01.2003", "19.99.01.2003"), ("19.99.02,20,19", "20"),
                            ("64.02,19.99.02.2007", "19.99.02.2007")):
            with self.subTest(area=area):
                out = self.demo("--area", area, "--seekers", "10", expect=2)
                self.assertIn(f"--area {empty} has no villages", out.stderr)
                for table in TABLES:
                    self.assertEqual(self.count(table), 0, table)

    def test_malformed_area(self):
        for area in ("", "1", "19.9", "19.99.", "19.99,", "19,,64", "19.99.01.200",
                     "semua", "all,19", "19.99;64.02", "19.%"):
            with self.subTest(area=area):
                out = self.demo("--area", area, "--seekers", "10", expect=2)
                self.assertTrue(re.match(r"kerjadekat demo: --area ", out.stderr), out.stderr)
                self.assertEqual(out.stdout, "")
                for table in TABLES:
                    self.assertEqual(self.count(table), 0, table)


if __name__ == "__main__":
    harness.main()
