"""Synthetic, obviously made-up job seekers whose registrations are valid."""

import csv
import datetime
import os
import threading

CONSENT_VERSION = "1"
EDUCATION_CYCLE = ("SMA", "SMK", "D3", "S1", "SMP", "SD")
SKILL_SETS = (
    ["las"],
    ["welding", "operator alat berat"],
    ["operator alat berat"],
    ["pengelasan", "mengemudi"],
    ["las", "perawatan mesin"],
)


def load_desa(source_root=None):
    """The villages of schema/data/kukar/desa.csv as dicts (code, name, kind,
    lat, lon as str)."""
    root = source_root or os.environ.get("KD_SOURCE_ROOT") or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(root, "schema", "data", "kukar", "desa.csv"), newline="",
              encoding="utf-8") as data:
        return list(csv.DictReader(data))


def make_nik(birth_date, gender, desa_code, serial):
    """A structurally valid NIK: province, regency and kecamatan from the
    village code, DDMMYY of birth (day + 40 for women), 4-digit serial."""
    province, regency, kecamatan = desa_code.split(".")[:3]
    day = birth_date.day + (40 if gender == "F" else 0)
    return (f"{province}{regency}{kecamatan}{day:02d}{birth_date.month:02d}"
            f"{birth_date.year % 100:02d}{serial:04d}")


class PersonFactory:
    """Makes valid, obviously synthetic seeker registrations.  Person n is
    born n % 10000 days after 1970-01-01 and has serial n // 10000 + 1, so no
    two people of one factory share a NIK.  Thread-safe."""

    FIRST_BIRTH_DATE = datetime.date(1970, 1, 1)

    def __init__(self, start=1):
        self._next = start
        self._lock = threading.Lock()
        self._desa = None

    @property
    def desa_codes(self):
        if self._desa is None:
            self._desa = [row["code"] for row in load_desa()]
        return self._desa

    def seeker(self, **overrides):
        """A body for POST /v1/seekers.  Overriding gender, birth_date (a
        date or YYYY-MM-DD) or desa_code keeps the NIK consistent with them;
        age=N makes the person N years old today; any other key replaces that
        field (nik included) as given."""
        with self._lock:
            n = self._next
            self._next += 1
        age = overrides.pop("age", None)
        gender = overrides.get("gender", "F" if n % 2 else "M")
        desa_code = overrides.get("desa_code", self.desa_codes[n % len(self.desa_codes)])
        birth_date = self.FIRST_BIRTH_DATE + datetime.timedelta(days=n % 10000)
        if age is not None:
            today = datetime.date.today()
            birth_date = datetime.date(today.year - age, today.month, min(today.day, 28)) \
                - datetime.timedelta(days=1 + n % 200)
        if "birth_date" in overrides:
            given = overrides["birth_date"]
            try:
                birth_date = given if isinstance(given, datetime.date) \
                    else datetime.date.fromisoformat(given)
            except (TypeError, ValueError):
                pass
        body = {
            "nik": make_nik(birth_date, gender, desa_code, (n // 10000) % 9999 + 1),
            "full_name": f"Peserta Uji {n}",
            "birth_date": birth_date.isoformat(),
            "gender": gender,
            "phone": f"+62812000{n % 100000:05d}",
            "desa_code": desa_code,
            "education": EDUCATION_CYCLE[n % len(EDUCATION_CYCLE)],
            "skills": list(SKILL_SETS[n % len(SKILL_SETS)]),
            "experience_years": n % 15,
            "disability": n % 13 == 0,
            "consent": {"version": CONSENT_VERSION, "accepted": True},
        }
        body.update(overrides)
        if isinstance(body["birth_date"], datetime.date):
            body["birth_date"] = body["birth_date"].isoformat()
        return body
