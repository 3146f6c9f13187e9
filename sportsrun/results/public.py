"""What anyone may read of the results: listings with filters and search, one runner's result, the
podium, the correction log. Never a birth date, an exact age, a phone, an email, an emergency contact
or a guardian: public rows are built from the result table's public columns only."""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from sportsrun.core.errors import FieldError, InvalidInput, NotFound
from sportsrun.core.gc_pause import gc_paused
from sportsrun.core.i18n import N_
from sportsrun.core.i18n import gettext as _
from sportsrun.core.text.characters import western_digits
from sportsrun.core.text.names import fold
from sportsrun.events import hooks as events_hooks
from sportsrun.events import services as events
from sportsrun.events.race_row import RaceRow
from sportsrun.results import queries, search, stats
from sportsrun.results.times import format_pace, format_time, published_seconds

MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Query:
    gender: str = ""
    age_group: str = ""
    province: str = ""
    q: str = ""
    limit: int = 50
    offset: int = 0

    def key(self) -> tuple:
        return (self.gender, self.age_group, self.province, self.q, self.limit, self.offset)


def read_query(params: Mapping[str, Any], *, default_limit: int = 50) -> Query:
    errors = []

    def number(name: str, default: int, low: int, high: int) -> int:
        raw = params.get(name)
        if raw in (None, ""):
            return default
        text = western_digits(str(raw)).strip()
        if not text.isdigit() or not low <= int(text) <= high:
            errors.append(FieldError(name, _("Enter a number from {low} to {high}.", low=low, high=high)))
            return default
        return int(text)

    gender = str(params.get("gender") or "")
    if gender not in ("", "female", "male"):
        errors.append(FieldError("gender", _("Choose one of: {choices}.", choices="female, male")))
    limit = number("limit", default_limit, 1, MAX_LIMIT)
    offset = number("offset", 0, 0, 10_000_000)
    query = Query(gender=gender, age_group=str(params.get("age_group") or "")[:12],
                  province=str(params.get("province") or "")[:8].upper(), q=str(params.get("q") or "").strip()[:100],
                  limit=limit, offset=offset)  # fmt: skip
    if errors:
        raise InvalidInput(errors)
    return query


def searched_bib(q: str) -> int | None:
    """The bib a search means, when it is a number (in Arabic-Indic digits too, or written "#12")."""
    digits = western_digits(q).strip().lstrip("#")
    return int(digits) if digits.isdigit() and len(digits) <= 9 else None


def searched_name(q: str) -> str:
    """The folded text a name search looks for; LIKE's wildcards are not a runner's name."""
    return fold(q).replace("%", "").replace("_", "")


def _where(race_id: int, query: Query) -> tuple[str, list]:
    filters = [(column, getattr(query, column)) for column in queries.FILTERS if getattr(query, column)]
    if not query.q:
        return queries.where(race_id, filters, None, None)
    return queries.where(race_id, filters, searched_bib(query.q), searched_name(query.q))


def splits_json(raw: object) -> list[dict]:
    if raw == "[]" or not raw:
        return []
    values = msgspec.json.decode(raw) if isinstance(raw, str) else raw
    return [{"name": name, "time_ms": ms} for name, ms in values]


def item_json(row: Mapping[str, Any], race: RaceRow, leader_ms: int | None) -> dict:
    finished = row["status"] == "finished"
    time_ms = row["time_ms"] if finished else None
    gap = None
    if finished and leader_ms is not None and time_ms is not None:
        gap = published_seconds(time_ms) - published_seconds(leader_ms)
    return {
        "place": row["place"],
        "gender_place": row["gender_place"],
        "age_group_place": row["age_group_place"],
        "bib": row["bib"],
        "name": row["name"],
        "gender": row["gender"],
        "age_group": row["age_group"],
        "province": row["province"],
        "country": row["country"],
        "status": row["status"],
        "time": format_time(time_ms),
        "time_ms": time_ms,
        "gun_time_ms": row["gun_time_ms"],
        "chip_time_ms": row["chip_time_ms"],
        "pace": format_pace(time_ms, race.distance_m) if finished else None,
        "gap_s": gap,
        "splits": splits_json(row["splits"]),
    }


def race_json(race: RaceRow) -> dict:
    out = race.to_json()
    for private in ("capacity", "bib_first", "bib_last", "reserved_bibs", "registered", "waitlisted",
                    "places_left", "registration_open"):  # fmt: skip
        out.pop(private, None)
    out["results_updated_at"] = race.local(race.results_updated_at) if race.results_updated_at else None
    return out


def race_stats(race: RaceRow) -> dict:
    return race.results_stats or {}


def has_results(race: RaceRow) -> bool:
    """Whether the race has any result at all (a race before its first import, or after undoing it, has none)."""
    return race_stats(race).get("listing", {}).get(stats.key("", "", ""), 0) > 0


# Arabic verbs and adjectives follow the runner's gender: one message for each.
STATUS_LABELS = {
    ("DNF", "female"): N_("She did not finish"),
    ("DNF", "male"): N_("He did not finish"),
    ("DNS", "female"): N_("She did not start"),
    ("DNS", "male"): N_("He did not start"),
    ("DQ", "female"): N_("She was disqualified"),
    ("DQ", "male"): N_("He was disqualified"),
}


def status_label(status: str, gender: str) -> str:
    """A runner's status in the visitor's language, as a sentence about them; the code itself otherwise."""
    message = STATUS_LABELS.get((status, "female" if gender == "female" else "male"))
    return _(message) if message else status


def leader_time(race: RaceRow) -> int | None:
    """The winner's time, which gaps are measured from."""
    return race_stats(race).get("leader_ms")


async def listing(race_id: int, query: Query, *, race: RaceRow | None = None) -> dict:
    """The results listing: finishers by place, then DNF, DQ, DNS; `total` counts the filtered set."""
    race = race or await events.load_race(race_id, public=True)
    if query.q and searched_bib(query.q) is None:
        # A name: found in the race's name index, then only the page's rows are read.
        index = await search.index_for(race.id, race.results_version)
        hits = index.find(searched_name(query.q), query.gender, query.age_group, query.province)
        total, page = len(hits), hits[query.offset : query.offset + query.limit]
        rows = await queries.at_positions(race.id, page) if page else []
    else:
        condition, args = _where(race.id, query)
        if query.q:
            total = await queries.count(condition, args)
        else:
            total = race_stats(race).get("listing", {}).get(stats.key(query.gender, query.age_group, query.province), 0)
        rows = await queries.page(condition, args, query.limit, query.offset)
    leader = leader_time(race)
    return {"race": race_json(race), "total": total, "items": [item_json(r, race, leader) for r in rows]}


EXPORT_SLICE = 2000  # rows per read: on SQLite a read runs on the event loop
_encode = msgspec.msgpack.Encoder().encode


async def export_rows(race_id: int, query: Query) -> tuple[RaceRow, list[bytes]]:
    """Every row of the filtered listing, for the export child: tuples of `queries.EXPORT_COLUMNS` in
    MessagePack, a slice each. Read and encoded a slice at a time with other requests let in between (as
    one pickle, 50,000 rows held the GIL for some 50 ms), and of one version of the results: read again
    in one go if they changed between two slices.

    The cycle collector is paused meanwhile: the slices' tens of thousands of short-lived tuples set off
    full collections, each walking every object the worker holds, on the event loop (116 ms measured)."""
    with gc_paused():
        race = await events.load_race(race_id, public=True)
        condition, args = _where(race.id, query)
        parts: list[bytes] = []
        after = -1
        while True:
            got = await queries.export_slice(condition, args, after, EXPORT_SLICE)
            if got:
                parts.append(_encode(got))
                after = got[-1][-1]
            if len(got) < EXPORT_SLICE:
                break
            await asyncio.sleep(0)
        now = await queries.race_state(race.id)
        if now is None or now["results_version"] != race.results_version:
            race = await events.load_race(race_id, public=True)
            parts = [_encode(await queries.export_slice(condition, args, -1, None))]
    return race, parts


async def runner(race_id: int, bib: int, *, race: RaceRow | None = None) -> dict:
    """One runner's result with "x of N" for each place."""
    race = race or await events.load_race(race_id, public=True)
    row = await queries.of_bib(race.id, bib)
    if row is None:
        raise NotFound(_("No result for bib {bib} in this race.", bib=bib))
    finishers = race_stats(race).get("finishers", {})
    item = item_json(row, race, leader_time(race))
    item["of"] = {
        "overall": finishers.get("", 0),
        "gender": finishers.get(row["gender"], 0),
        "age_group": finishers.get(f"{row['gender']}|{row['age_group'] or ''}", 0),
    }
    return {"race": race_json(race), "result": item}


@events_hooks.podiums.connect
async def podiums(race_ids: list[int]) -> dict[int, dict[str, list[dict]]]:
    """The first three women and men of each race, for the event page."""
    rows = await queries.podium_rows(race_ids)
    out: dict[int, dict[str, list[dict]]] = {race_id: {} for race_id in race_ids}
    for r in rows:
        out[r["race"]].setdefault(r["gender"], []).append(
            {"place": r["gender_place"], "bib": r["bib"], "name": r["name"], "time": format_time(r["time_ms"])}
        )
    return out


async def corrections(race_id: int) -> list[dict]:
    """The correction log: every change to an existing result; never personal data."""
    race = await events.load_race(race_id, public=True)
    rows = await queries.corrections(race.id)
    return [{"at": race.local(r["at"]), "bib": r["bib"], "change": r["change"], "source": r["source"],
             "reason": r["reason"]} for r in rows]  # fmt: skip


def filters(race: RaceRow) -> dict[str, list[str]]:
    """The age groups and provinces that occur in the race's results, for the filter menus."""
    summary = race_stats(race)
    return {"age_groups": summary.get("age_groups", []), "provinces": summary.get("provinces", [])}
