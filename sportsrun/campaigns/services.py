"""Campaigns: creating and changing them, and what they show (progress, provinces, series standings,
invitations), computed through `state` once per version of what they come from."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sportsrun.campaigns import queries, state
from sportsrun.campaigns.invitations import Rule, invitations
from sportsrun.campaigns.series import Standing
from sportsrun.campaigns.validation import read_campaign, read_rule
from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import FieldError, InvalidInput
from sportsrun.core.i18n import gettext as _
from sportsrun.core.spreadsheets.workbooks import xlsx
from sportsrun.core.text.characters import western_digits
from sportsrun.core.text.names import fold
from sportsrun.events import campaigns as stored
from sportsrun.registration import services as registration

GENDERS = ("female", "male")
MAX_LIMIT = 500


async def create(data: Mapping[str, Any]) -> dict:
    values = read_campaign(data, creating=True)
    async with write_transaction():
        campaign_id = await stored.create(values)
    return await get(campaign_id)


async def update(campaign_id: int, data: Mapping[str, Any]) -> dict:
    await stored.get(campaign_id)  # 404 first
    values = read_campaign(data, creating=False)
    if values:
        async with write_transaction():
            await stored.update(campaign_id, values)
    state.forget_campaign(campaign_id)
    return await get(campaign_id)


async def get(campaign_id: int, *, include_unpublished: bool = False) -> dict:
    campaign = await stored.get(campaign_id)
    held = await stored.events_and_races(campaign_id, include_unpublished=include_unpublished)
    campaign["events"] = [
        {
            **event,
            "races": [
                {"id": r.id, "name": r.name, "distance_m": r.distance_m, "in_series": r.in_series} for r in races
            ],
        }  # fmt: skip
        for event, races in held
    ]
    return campaign


async def list_all() -> list[dict]:
    return await stored.all_campaigns()


# -- what the campaign shows -----------------------------------------------------------------------------


def _iso(day: dt.date) -> str:
    return day.isoformat()


async def progress(campaign_id: int) -> dict:
    counts = await state.counts(await state.held(campaign_id))
    return {
        "targets": [{"metric": t.metric, "target": t.target, "value": t.value} for t in counts.targets],
        "timeline": [
            {"date": _iso(p.date), "registrations": p.registrations, "finishers": p.finishers} for p in counts.timeline
        ],  # fmt: skip
    }


async def provinces(campaign_id: int) -> list[dict]:
    counts = await state.counts(await state.held(campaign_id))
    return [{"province": p.province, "events": p.events, "registrations": p.registrations, "finishers": p.finishers,
             "women_share": p.women_share, "km": p.km, "teams": p.teams} for p in counts.provinces]  # fmt: skip


@dataclass(frozen=True, slots=True)
class StandingsQuery:
    gender: str = ""
    province: str = ""
    q: str = ""
    limit: int = 50
    offset: int = 0


def read_standings_query(params: Mapping[str, Any]) -> StandingsQuery:
    errors = []

    def number(name: str, default: int, low: int, high: int) -> int:
        raw = params.get(name)
        text = western_digits(str(raw)).strip() if raw not in (None, "") else ""
        if not text:
            return default
        if not text.isdigit() or not low <= int(text) <= high:
            errors.append(FieldError(name, _("Enter a number from {low} to {high}.", low=low, high=high)))
            return default
        return int(text)

    gender = str(params.get("gender") or "")
    if gender not in ("", *GENDERS):
        errors.append(FieldError("gender", _("Choose one of: {choices}.", choices="female, male")))
    query = StandingsQuery(gender, str(params.get("province") or "")[:8].upper(),
                           str(params.get("q") or "").strip()[:100], number("limit", 50, 1, MAX_LIMIT),
                           number("offset", 0, 0, 10_000_000))  # fmt: skip
    if errors:
        raise InvalidInput(errors)
    return query


def standing_json(row: Standing) -> dict:
    return {"rank": row.rank, "name": row.name, "gender": row.gender, "province": row.province,
            "points": row.points, "races": row.races,
            "results": [{"race_id": s.race_id, "race": s.race, "place": s.place, "points": s.points,
                         "counted": s.counted} for s in row.results]}  # fmt: skip


async def standings(campaign_id: int, query: StandingsQuery) -> dict:
    t = await state.table(await state.held(campaign_id), query.gender)
    needle = fold(query.q) if query.q else ""
    chosen = [i for i, row in enumerate(t.rows) if (not query.province or row.province == query.province)
              and (not needle or needle in t.folded[i])]  # fmt: skip
    page = chosen[query.offset : query.offset + query.limit]
    return {"total": len(chosen), "items": [standing_json(t.rows[i]) for i in page]}


# -- invitations -----------------------------------------------------------------------------------------


async def make_invitations(campaign_id: int, data: Mapping[str, Any], user_id: int | None) -> list[dict]:
    rule = read_rule(data)
    held = await state.held(campaign_id)
    series = await state.series(held)
    chosen = invitations(series.rows, Rule(**rule))
    rows = [{"position": n, "registration": series.latest[i.person], "name": i.name, "gender": i.gender,
             "province": i.province, "points": i.points, "reason": i.reason}
            for n, i in enumerate(chosen, start=1)]  # fmt: skip
    async with write_transaction():
        await queries.replace_invitations(campaign_id, rows, user_id, dt.datetime.now(dt.UTC))
    state.forget_campaign(campaign_id)  # the public page shows the new list at once
    return await invitation_list(campaign_id, organiser=True)


async def invitation_list(campaign_id: int, *, organiser: bool = False) -> list[dict]:
    await stored.get(campaign_id)
    rows = await queries.invitations(campaign_id)
    out = [{"name": r["name"], "gender": r["gender"], "province": r["province"], "points": r["points"],
            "reason": r["reason"]} for r in rows]  # fmt: skip
    if organiser:
        contacts = await registration.contacts([r["registration"] for r in rows])
        for item, row in zip(out, rows, strict=True):
            contact = contacts.get(row["registration"], {})
            item["phone"], item["email"] = contact.get("phone"), contact.get("email")
    return out


async def invitations_xlsx(campaign_id: int) -> tuple[str, bytes]:
    rows = await queries.invitations(campaign_id)
    contacts = await registration.contacts([r["registration"] for r in rows])
    headers = ["position", "name", "given_name", "family_name", "gender", "province", "points", "reason", "phone",
               "email"]  # fmt: skip
    cells = []
    for r in rows:
        c = contacts.get(r["registration"], {})
        cells.append([r["position"], r["name"], c.get("given_name"), c.get("family_name"), r["gender"],
                      r["province"], r["points"], r["reason"], c.get("phone"), c.get("email")])  # fmt: skip
    return f"invitations-campaign-{campaign_id}.xlsx", xlsx("Invitations", headers, cells)
