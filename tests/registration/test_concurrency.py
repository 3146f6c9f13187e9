"""200 registrations at once against a real server with two worker processes, on the suite's database."""

import asyncio
from collections import Counter

import httpx
import pytest

from tests.server import running_server
from tests.support import make_user, race_body

pytestmark = pytest.mark.server

RESERVED = [1, 5, 10]


async def test_concurrent_registrations_get_unique_lowest_bibs_and_a_fair_waitlist():
    await make_user("organiser", "org@example.test")
    with running_server(workers=2) as server:
        # 40 connections carry the 200 requests: with 200, httpx itself sent the last ones seconds late
        # (the server had answered the rest within a second) and some met uvicorn closing a connection idle
        # for 5 s, a flaky ReadError.
        async with httpx.AsyncClient(base_url=server.base, timeout=60, limits=httpx.Limits(max_connections=40)) as http:
            token = (
                await http.post(
                    "/api/v1/auth/token", json={"email": "org@example.test", "password": "a long enough password"}
                )
            ).json()
            auth = {"Authorization": f"Bearer {token['token']}"}
            event = (
                await http.post(
                    "/api/v1/events",
                    headers=auth,
                    json={
                        "name": "Load",
                        "province": "IQ-BG",
                        "city": "Baghdad",
                        "date": "2027-01-01",
                        "published": True,
                    },
                )
            ).json()
            race = (
                await http.post(
                    f"/api/v1/events/{event['id']}/races",
                    headers=auth,
                    json=race_body(capacity=150, bib_first=1, bib_last=1000, reserved_bibs=RESERVED),
                )
            ).json()

            async def one(i: int) -> httpx.Response:
                return await http.post(
                    f"/api/v1/races/{race['id']}/registrations",
                    json={
                        "given_name": f"Runner{i}",
                        "family_name": "Load",
                        "gender": "female" if i % 2 else "male",
                        "birth_date": "1990-01-01",
                        "province": "IQ-BG",
                        "phone": f"+96477{i:08d}",
                        "consent": True,
                    },
                )

            responses = await asyncio.gather(*(one(i) for i in range(200)))
            assert Counter(r.status_code for r in responses) == {201: 200}, [r.text for r in responses[:3]]
            results = [r.json() for r in responses]
            confirmed = [r for r in results if r["status"] == "confirmed"]
            waitlisted = [r for r in results if r["status"] == "waitlisted"]
            assert len(confirmed) == 150 and len(waitlisted) == 50
            lowest = [b for b in range(1, 1001) if b not in RESERVED][:150]
            assert sorted(r["bib"] for r in confirmed) == lowest  # unique and exactly the lowest free ones
            # The waitlist keeps arrival order: positions follow the order registrations were stored.
            by_id = sorted(waitlisted, key=lambda r: r["id"])
            assert [r["waitlist_position"] for r in by_id] == list(range(1, 51))

            # 20 cancellations at once promote the 20 first waitlisted into the freed bibs.
            leaving = confirmed[:20]
            cancels = await asyncio.gather(*(http.delete(f"/api/v1/registrations/{r['code']}") for r in leaving))
            assert {c.status_code for c in cancels} == {204}
            listing = (await http.get(f"/api/v1/races/{race['id']}/registrations", headers=auth)).json()
            now_confirmed = [r for r in listing if r["status"] == "confirmed"]
            assert len(now_confirmed) == 150
            assert sorted(r["bib"] for r in now_confirmed) == lowest
            promoted = {r["id"] for r in listing if r["status"] == "confirmed"} - {r["id"] for r in confirmed}
            assert promoted == {r["id"] for r in by_id[:20]}
    assert "database is locked" not in server.output()
    assert "Traceback" not in server.output()
