"""Iraq's 19 provinces (data), and the indexes and constraints Piccolo's auto-migrations cannot
express on both engines (composite and partial ones)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-11-24T09:22:13:000000"
VERSION = "1.38.0"
DESCRIPTION = "provinces and indexes"

# ISO 3166-2:IQ codes; Halabja, recognised as the 19th governorate in April 2025, has none yet.
PROVINCES = [
    ("IQ-BG", "Baghdad", "بغداد", "بەغدا"),
    ("IQ-BA", "Basra", "البصرة", "بەسرە"),
    ("IQ-NI", "Nineveh", "نينوى", "نەینەوا"),
    ("IQ-AR", "Erbil", "أربيل", "هەولێر"),
    ("IQ-SU", "Sulaymaniyah", "السليمانية", "سلێمانی"),
    ("IQ-DA", "Duhok", "دهوك", "دهۆک"),
    ("IQ-KI", "Kirkuk", "كركوك", "کەرکووک"),
    ("IQ-AN", "Anbar", "الأنبار", "ئەنبار"),
    ("IQ-DI", "Diyala", "ديالى", "دیالە"),
    ("IQ-SD", "Saladin", "صلاح الدين", "سەلاحەدین"),
    ("IQ-BB", "Babil", "بابل", "بابل"),
    ("IQ-KA", "Karbala", "كربلاء", "کەربەلا"),
    ("IQ-NA", "Najaf", "النجف", "نەجەف"),
    ("IQ-WA", "Wasit", "واسط", "واست"),
    ("IQ-MA", "Maysan", "ميسان", "مەیسان"),
    ("IQ-DQ", "Dhi Qar", "ذي قار", "زیقار"),
    ("IQ-MU", "Muthanna", "المثنى", "موسەننا"),
    ("IQ-QA", "Al-Qadisiyah", "القادسية", "قادسیە"),
    ("IQ-HAL", "Halabja", "حلبجة", "هەڵەبجە"),
]

INDEXES = [
    # The backstop behind the bib allocator: no two registrations of a race hold one bib.
    "CREATE UNIQUE INDEX registration_race_bib ON registration (race, bib)",
    "CREATE INDEX registration_race_status ON registration (race, status, id)",
    "CREATE INDEX registration_race_birth_date ON registration (race, birth_date)",
    "CREATE INDEX registration_person ON registration (person)",
    "CREATE INDEX race_event ON race (event)",
    "CREATE INDEX event_published_date ON event (published, date)",
    "CREATE INDEX bib_audit_race ON bib_audit (race, at)",
    'CREATE INDEX api_token_user ON api_token ("user")',
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="sportsrun", description=DESCRIPTION)

    async def run():
        db = engine_finder()
        for code, en, ar, ckb in PROVINCES:
            await db.run_querystring(
                QueryString(
                    "INSERT INTO province (code, name_en, name_ar, name_ckb) VALUES ({}, {}, {}, {})",
                    code,
                    en,
                    ar,
                    ckb,
                )
            )
        for ddl in INDEXES:
            await db.run_ddl(ddl)

    async def run_backwards():
        db = engine_finder()
        for ddl in INDEXES:
            await db.run_ddl("DROP INDEX " + ddl.split(" INDEX ")[1].split()[0])
        await db.run_ddl("DELETE FROM province")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
