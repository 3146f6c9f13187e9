"""Helpers for football tests: a division, squads, teams registered through the API."""

import datetime as dt
import itertools

from tests.support import make_event, now

_teams = itertools.count(1)


def division_body(**overrides) -> dict:
    body = {
        "name": "Women open",
        "gender": "women",
        "squad_min": 5,
        "squad_max": 8,
        "max_teams": 16,
        "registration_closes_at": (now() + dt.timedelta(days=5)).isoformat(),
    }
    body.update(overrides)
    return body


async def make_division(client, headers, event_id: int | None = None, **overrides) -> dict:
    if event_id is None:
        event_id = (await make_event(client, headers))["id"]
    r = await client.post(f"/api/v1/events/{event_id}/divisions", json=division_body(**overrides), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def squad(n: int = 5, family: str | None = None, born: str | None = None, **player) -> list[dict]:
    family = family or f"Family{next(_teams)}"
    return [
        {
            "given_name": f"Player{i}",
            "family_name": family,
            "birth_date": born or f"2000-03-{i + 1:02d}",
            "shirt_number": i + 1,
            **player,
        }
        for i in range(n)
    ]


def team_body(name: str | None = None, players: list[dict] | None = None, **overrides) -> dict:
    number = next(_teams)
    body = {
        "name": name or f"Team {number}",
        "province": "IQ-NI",
        "captain_name": "Captain",
        "captain_phone": f"0770 555 {number:04d}",
        "players": players if players is not None else squad(),
    }
    body.update(overrides)
    return body


async def register_team(client, division_id: int, **overrides) -> dict:
    r = await client.post(f"/api/v1/divisions/{division_id}/teams", json=team_body(**overrides))
    assert r.status_code == 201, r.text
    return r.json()


async def drawn_division(client, headers, teams: int = 4, groups: int = 1, **overrides) -> tuple[dict, list[dict]]:
    division = await make_division(client, headers, **overrides)
    made = [await register_team(client, division["id"], name=f"Team {chr(65 + i)}") for i in range(teams)]
    r = await client.post(
        f"/api/v1/divisions/{division['id']}/draw", json={"groups": groups, "seed": 1}, headers=headers
    )
    assert r.status_code == 200, r.text
    return division, made


async def with_fixtures(client, headers, teams: int = 4, groups: int = 1, pitches: int = 2, **overrides):
    division, made = await drawn_division(client, headers, teams, groups, **overrides)
    kickoff = (
        (now() + dt.timedelta(days=20))
        .astimezone(dt.timezone(dt.timedelta(hours=3)))
        .replace(hour=16, minute=0, second=0, microsecond=0)
    )
    r = await client.post(
        f"/api/v1/divisions/{division['id']}/fixtures",
        json={"pitches": pitches, "first_kickoff": kickoff.isoformat(), "slot_minutes": 30},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return division, made, r.json()["matches"]
