"""Changing a registration after it was made: the registrant through their code (names, contacts, club,
how the name is shown), the organiser through its id (any field, the bib too: a misread date of birth or
gender is theirs to correct). The changed registration is read again by the rules of registering,
duplicates included, and every change is recorded (registration_change; bibs in the bib audit)."""

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sportsrun.core.db.sql import write_transaction
from sportsrun.core.errors import Conflict, FieldError, InvalidInput, NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.events import services as events
from sportsrun.events.age_groups import ADULT_AGE, age_on
from sportsrun.registration import hooks, organiser, queries, selfservice_queries, services
from sportsrun.registration.people import duplicate_person
from sportsrun.registration.validation import RegistrationInput

OWN_FIELDS = ("given_name", "family_name", "phone", "email", "emergency_contact", "club", "name_display")
ORGANISER_FIELDS = (*OWN_FIELDS, "gender", "birth_date", "province", "country", "guardian_name",
                    "guardian_allows_full_name")  # fmt: skip
IDENTITY = ("birth_date", "name_key", "phone", "email")


def _as_input(row: Mapping[str, Any]) -> dict[str, Any]:
    """The stored registration as a registration body, for reading again with the changes over it."""
    values = {f: row[f] for f in ORGANISER_FIELDS}
    values["birth_date"] = row["birth_date"].isoformat()
    values["guardian_allows_full_name"] = bool(row["guardian_allows_full_name"])
    if row["province"] is not None:
        values["country"] = None  # a province implies Iraq; the reader says so itself
    return values


def _refuse_fields(data: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    errors = []
    for field in data:
        if field in ("birth_date", "gender") and field not in allowed:
            errors.append(FieldError(field, _("Only the organiser can correct this: ask them.")))
        elif field not in allowed:
            errors.append(FieldError(field, _("This cannot be changed here.")))
    if errors:
        raise InvalidInput(errors)


def _stored(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


async def _apply(row: Mapping[str, Any], data: Mapping[str, Any], user_id: int | None, *, own: bool) -> list[str]:
    """Reads the registration with `data` over it, then writes what differs, in the race's lock; returns the
    fields changed."""
    race = await events.load_race(row["race"])
    entry: RegistrationInput = await services.validate(race, {**_as_input(row), **data}, consent_required=False)
    new = {f: getattr(entry, f) for f in selfservice_queries.CHANGEABLE}
    if new["name_display"] == "full" and row["name_display"] != "full" and not new["guardian_allows_full_name"] \
            and age_on(entry.birth_date, race.race_day) < ADULT_AGE:  # fmt: skip
        raise InvalidInput(
            [
                FieldError(
                    "name_display",
                    _("A runner under 18 is shown by full name only when the guardian allows it: ask the organiser."),
                )
            ]
        )
    async with write_transaction():
        await events.lock_race(race.id)
        current = await selfservice_queries.current(row["id"])
        if own and current["status"] == "cancelled":
            raise Conflict(_("This registration is cancelled: it cannot be changed."))
        old = {f: current[f] for f in selfservice_queries.CHANGEABLE}
        old["guardian_allows_full_name"] = bool(old["guardian_allows_full_name"])
        changed = {f: v for f, v in new.items() if v != old[f]}
        if not changed:
            return []
        if current["status"] != "cancelled" and any(f in changed for f in IDENTITY):
            other = await selfservice_queries.same_person(race.id, current["id"], entry.birth_date, entry.name_key,
                                                          entry.phone, entry.email)  # fmt: skip
            if other is not None:
                raise duplicate_person()
        await selfservice_queries.update_fields(current["id"], changed)
        shown = [f for f in changed if f != "name_key"]
        await selfservice_queries.record_change(
            current["id"],
            user_id,
            ",".join(shown),
            json.dumps({f: _stored(old[f]) for f in shown}, ensure_ascii=False),
            json.dumps({f: _stored(changed[f]) for f in shown}, ensure_ascii=False),
            dt.datetime.now(dt.UTC),
        )  # fmt: skip
    return shown


async def change_own(code: str, data: Mapping[str, Any], client_address: str | None = None) -> dict:
    """PATCH by code: the registrant's own fields; the date of birth and gender are refused (422)."""
    _refuse_fields(data, OWN_FIELDS)
    row = await services._by_code(code, client_address)  # the wrong-code limit applies here too
    if row["status"] == "cancelled":
        raise Conflict(_("This registration is cancelled: it cannot be changed."))
    if fields := await _apply(row, data, None, own=True):
        await hooks.changed.send(row["race"], row["id"], fields)
    return await services.get_own(code)


async def change_by_organiser(registration_id: int, data: Mapping[str, Any], user_id: int) -> dict:
    """PATCH by id: any field and the bib, all or nothing (the bib through `organiser.reassign`)."""
    fields = {k: v for k, v in data.items() if k != "bib"}
    _refuse_fields(fields, ORGANISER_FIELDS)
    row = await queries.by_id(registration_id)
    if row is None:
        raise NotFound(_("No such registration."))
    changed: list[str] = []
    async with write_transaction():
        if fields:
            changed = await _apply(row, fields, user_id, own=False)
        if "bib" in data:
            await organiser.reassign(registration_id, {"bib": data["bib"]}, user_id)
    if changed:
        await hooks.changed.send(row["race"], registration_id, changed)
    out = await organiser.organiser_row(registration_id)
    out["language"] = (await selfservice_queries.current(registration_id))["language"]
    return out
