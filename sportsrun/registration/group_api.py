"""The group registration and the organiser's answer to a flagged registration (JSON API)."""

from typing import Any

import msgspec
from litestar import Controller, Request, post
from litestar.params import JSONBody

from sportsrun.accounts.guards import requires_organiser
from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.openapi import required
from sportsrun.core.web.params import JSON_BODY_LIMIT, PathCode, PathId, present
from sportsrun.registration import flags, groups
from sportsrun.registration.api import IdempotencyKey

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


@required("given_name", "family_name", "gender", "birth_date", "province", "consent")
class PersonIn(msgspec.Struct):
    """A registration body without the contacts, which the group gives once."""

    given_name: str | Unset = UNSET
    family_name: str | Unset = UNSET
    gender: str | Unset = UNSET
    birth_date: str | Unset = UNSET
    province: str | None | Unset = UNSET
    country: str | None | Unset = UNSET
    club: str | None | Unset = UNSET
    name_display: str | Unset = UNSET
    guardian_name: str | None | Unset = UNSET
    guardian_allows_full_name: bool | Unset = UNSET
    consent: bool | Unset = UNSET
    another_person: bool | Unset = UNSET


@required("people")
class GroupIn(msgspec.Struct):
    phone: str | None | Unset = UNSET
    email: str | None | Unset = UNSET
    emergency_contact: str | None | Unset = UNSET
    people: list[PersonIn] | Unset = UNSET


@required("decision")
class FlagDecision(msgspec.Struct):
    decision: str | Unset = UNSET


def group_body(data: GroupIn) -> dict[str, Any]:
    body = present(data)
    if "people" in body:
        body["people"] = [present(p) for p in body["people"]]
    return body


class GroupRegistrationsApi(Controller):
    path = "/api/v1"
    tags = ["registrations"]
    request_max_body_size = JSON_BODY_LIMIT

    @post(
        "/races/{race_id:int}/registrations/groups",
        status_code=201,
        summary="Register a group (1 to 20 people, one contact): all or nothing",
    )
    async def register_group(self, request: Request, race_id: PathId, data: JSONBody[GroupIn],
                             idempotency_key: IdempotencyKey = None) -> dict[str, Any]:  # fmt: skip
        body = group_body(data)
        await groups.check_rate(client_address(request), groups.group_size(body))
        return await groups.register_group(race_id, body, idempotency_key=idempotency_key)

    @post(
        "/registrations/{key:str}/flag",
        guards=[requires_organiser],
        status_code=200,
        summary='Resolve a flagged registration: {"decision": "keep"} clears the flag, "cancel" cancels it',
    )
    async def resolve_flag(self, request: Request, key: PathCode, data: JSONBody[FlagDecision]) -> dict[str, Any]:
        if not key.isdigit():
            raise NotFound(_("No such registration."))
        return await flags.resolve(int(key), present(data).get("decision"), request.user.id)
