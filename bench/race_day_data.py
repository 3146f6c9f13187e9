"""What the race-day benches set up and send: spreadsheets of entrants and finish times, registration
bodies, and the organiser's API calls (bench/race_day.py, bench/race_day_faults.py)."""

import csv
import io
import json

import httpx
from race_day_stack import ORGANISER, PASSWORD

PROVINCES = ("IQ-BG", "IQ-BA", "IQ-NI", "IQ-AR", "IQ-SU", "IQ-KI", "IQ-NA")
FAMILIES = ("Hassan", "الجبوري", "Ali", "العبيدي", "Karim", "ئەحمەد")
FIRST_BIB = 10_001  # the first bib of the faults' race
SMALL = 300  # runners of the race whose results are imported again and again during the mix


def entrants_csv(first_bib: int, rows: int, tag: str) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["given_name", "family_name", "gender", "birth_date", "province", "email", "bib"])
    for i in range(rows):
        w.writerow([f"Runner{i}", FAMILIES[i % len(FAMILIES)], "female" if i % 2 else "male",
                    f"19{60 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}", PROVINCES[i % len(PROVINCES)],
                    f"{tag}{i}@raceday.test", first_bib + i])  # fmt: skip
    return out.getvalue().encode()


def clock(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def results_csv(first_bib: int, rows: int, shift_s: int = 0) -> bytes:
    """A finish-line sheet for bibs first_bib …: gun and chip times, one runner in fifty DNF."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["Bib", "Gun time", "Chip time"])
    for i in range(rows):
        gun = 1800 + (i * 7919 + shift_s) % 5400
        w.writerow([first_bib + i, "DNF", ""] if i % 50 == 49 else [first_bib + i, clock(gun), clock(gun - i % 45)])
    return out.getvalue().encode()


class Organiser:
    """The organiser's API calls that set the day up, through nginx."""

    def __init__(self, base: str):
        self.http = httpx.Client(base_url=base, timeout=300)
        token = self.http.post("/api/v1/auth/token", json={"email": ORGANISER, "password": PASSWORD})
        token.raise_for_status()
        self.auth = {"Authorization": f"Bearer {token.json()['token']}"}

    def call(self, method: str, path: str, expect: int = 201, **kwargs) -> dict:
        r = self.http.request(method, path, headers=self.auth, **kwargs)
        if r.status_code != expect:
            raise SystemExit(f"setup: {method} {path} answered {r.status_code}: {r.text[:300]}")
        return r.json() if r.content else {}

    def event(self, name: str) -> int:
        body = {"name": name, "province": "IQ-BG", "city": "Baghdad", "date": "2027-03-20", "published": True}
        return self.call("POST", "/api/v1/events", json=body)["id"]

    def race(self, event_id: int, name: str, first_bib: int, last_bib: int, capacity: int) -> int:
        body = {"name": name, "distance_m": 10000, "start_time": "2027-03-20T07:00:00+03:00",
                "capacity": capacity, "bib_first": first_bib, "bib_last": last_bib,
                "registration_opens_at": "2026-01-01T00:00:00+03:00"}  # fmt: skip
        return self.call("POST", f"/api/v1/events/{event_id}/races", json=body)["id"]

    def entrants(self, race_id: int, first_bib: int, rows: int) -> None:
        files = {"file": ("entrants.csv", entrants_csv(first_bib, rows, f"r{race_id}_"))}
        self.call("POST", f"/api/v1/races/{race_id}/registrations/imports", files=files)

    def results(self, race_id: int, sheet: bytes) -> dict:
        files = {"file": ("times.csv", sheet)}
        return self.call("POST", f"/api/v1/races/{race_id}/results/imports", files=files, data={"mode": "replace"})


def registration_body(n: int, tag: str) -> bytes:
    return json.dumps({
        "given_name": f"Walkin{n}", "family_name": f"{tag}{FAMILIES[n % len(FAMILIES)]}",
        "gender": "female" if n % 2 else "male", "birth_date": f"19{70 + n % 30}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "province": PROVINCES[n % len(PROVINCES)], "email": f"walkin{n}.{tag}@raceday.test", "consent": True,
    }).encode()  # fmt: skip


DUPLICATE_BIBS = """SELECT race, bib, COUNT(*) AS holders FROM registration
WHERE status <> 'cancelled' AND bib IS NOT NULL GROUP BY race, bib HAVING COUNT(*) > 1"""
