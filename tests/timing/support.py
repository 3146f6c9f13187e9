"""Races with registered runners for the timing tests, and timing sheets built for real."""

import csv
import datetime as dt
import io

from sportsrun.core.db import sql as db
from tests.support import make_race, make_user, xlsx


async def race_with_runners(client, headers, n: int, **race) -> dict:
    """A race whose runners hold bibs 1…n (half women, ages spread), registered through the bulk import."""
    from sportsrun.registration.imports import import_entrants

    race = await make_race(client, headers, capacity=max(n, 1), bib_first=1, bib_last=max(n, 1) + 1000, **race)
    rows = [["given_name", "family_name", "gender", "birth_date", "province", "email", "bib"]]
    for i in range(1, n + 1):
        born = dt.date(1960 + i % 45, 1 + i % 12, 1 + i % 28)
        rows.append(
            [
                f"Runner{i}",
                "Test",
                "female" if i % 2 else "male",
                born.isoformat(),
                "IQ-BG",
                f"runner{i}@example.test",
                i,
            ]
        )
    organiser = await db.fetch("SELECT id FROM account_user WHERE role = 'organiser' LIMIT 1")
    user_id = organiser[0]["id"] if organiser else (await make_user("organiser", "bulk@example.test"))["id"]
    await import_entrants(race["id"], xlsx(rows), user_id)
    return race


def csv_bytes(rows: list[list], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


async def upload(client, headers, race_id: int, content: bytes, name: str = "times.xlsx", **form):
    data = {k: (v if isinstance(v, str) else str(v).lower()) for k, v in form.items()}
    return await client.post(
        f"/api/v1/races/{race_id}/results/imports", headers=headers, files={"file": (name, content)}, data=data
    )


async def results(race_id: int) -> dict[int, dict]:
    rows = await db.fetch("SELECT * FROM result WHERE race = {} ORDER BY bib", race_id)
    return {r["bib"]: r for r in rows}
