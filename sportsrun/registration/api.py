from dataclasses import dataclass
from typing import Annotated

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import CacheControlHeader, UploadFile
from litestar.params import HeaderParameter, JSONBody, MultipartBody

from sportsrun.accounts.guards import requires_organiser
from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.openapi import errors, required
from sportsrun.core.web.params import JSON_BODY_LIMIT, PathCode, PathId, present
from sportsrun.core.web.uploads import read_upload
from sportsrun.registration import changes, imports, organiser, recovery, services
from sportsrun.registration.schemas import (
    Accepted,
    ChangedRegistration,
    Day,
    EntrantImport,
    Gender,
    NameDisplay,
    OrganiserRegistration,
    OwnRegistration,
    Registered,
)

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


@required("given_name", "family_name", "gender", "birth_date", "province", "consent")
class RegistrationIn(msgspec.Struct):
    given_name: str | Unset = UNSET
    family_name: str | Unset = UNSET
    gender: Gender = UNSET
    birth_date: Day = UNSET
    province: str | None | Unset = UNSET
    country: str | None | Unset = UNSET
    phone: str | None | Unset = UNSET
    email: str | None | Unset = UNSET
    emergency_contact: str | None | Unset = UNSET
    club: str | None | Unset = UNSET
    name_display: NameDisplay = UNSET
    guardian_name: str | None | Unset = UNSET
    guardian_allows_full_name: bool | Unset = UNSET
    consent: bool | Unset = UNSET
    another_person: bool | Unset = UNSET


IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(name="Idempotency-Key", description="The same key with the same body within 24 hours returns "
                    "the first answer again, code included (a retry after a lost answer)."),
]  # fmt: skip


class BibChange(msgspec.Struct):
    bib: int | Unset = UNSET


class RegistrationChangeIn(RegistrationIn):
    """A partial update: by code the registrant's own fields, by id (organiser) any field and the bib."""

    bib: int | Unset = UNSET


@required("birth_date")
class RecoverIn(msgspec.Struct):
    phone: str | None | Unset = UNSET
    email: str | None | Unset = UNSET
    birth_date: str | Unset = UNSET


@dataclass
class EntrantsUpload:
    file: UploadFile


def _registration_id(key: PathCode) -> int:
    if not key.isdigit():
        raise NotFound(_("No such registration."))
    return int(key)


class RegistrationsApi(Controller):
    path = "/api/v1"
    tags = ["registrations"]
    request_max_body_size = JSON_BODY_LIMIT

    @post(
        "/races/{race_id:int}/registrations",
        status_code=201,
        summary="Register for a race: a bib at once, or a place on the waitlist",
        responses=errors(409, 429),
    )
    async def register(self, request: Request, race_id: PathId, data: JSONBody[RegistrationIn],
                       idempotency_key: IdempotencyKey = None) -> Registered:  # fmt: skip
        await services.check_rate(client_address(request))
        return await services.register(race_id, present(data), idempotency_key=idempotency_key)

    @get(
        "/registrations/{key:str}",
        summary="The registrant's own registration, by its secret code",
        cache_control=CacheControlHeader(no_store=True),
        responses=errors(429),
    )
    async def get_own(self, request: Request, key: PathCode) -> OwnRegistration:
        return await services.get_own(key, client_address(request))

    @delete("/registrations/{key:str}", status_code=204, summary="Cancel by secret code", responses=errors(409, 429))
    async def cancel_own(self, request: Request, key: PathCode) -> None:
        await services.cancel_own(key, client_address(request))

    @patch(
        "/registrations/{key:str}",
        summary="Change a registration: by its code (the registrant) or by its id (an organiser, bearer token)",
        description="A code is never digits only: a key of digits is a registration id, for organisers.",
        cache_control=CacheControlHeader(no_store=True),
        responses=errors(409),
    )
    async def change(
        self, request: Request, key: PathCode, data: JSONBody[RegistrationChangeIn]
    ) -> ChangedRegistration:
        if key.isdigit():
            await requires_organiser(request, None)  # type: ignore[arg-type]
            return await changes.change_by_organiser(_registration_id(key), present(data), request.user.id)
        return await changes.change_own(key, present(data), client_address(request))

    @post(
        "/registrations/recover",
        status_code=202,
        summary="Lost links: sent to the phone or email given, if it matches; the answer never says",
    )
    async def recover(self, request: Request, data: JSONBody[RecoverIn]) -> Accepted:
        return await recovery.request_links(present(data), client_address(request))

    @get("/races/{race_id:int}/registrations", guards=[requires_organiser])
    async def list_registrations(self, race_id: PathId) -> list[OrganiserRegistration]:
        return await organiser.list_for_organiser(race_id)


class EntrantImportApi(Controller):
    """The entrant upload; the app gives this controller the upload size limit."""

    path = "/api/v1"
    tags = ["registrations"]

    @post(
        "/races/{race_id:int}/registrations/imports",
        guards=[requires_organiser],
        status_code=201,
        summary="Bulk entrants from .xlsx or .csv, all or nothing",
        responses=errors(sheet=True),
    )
    async def import_entrants(
        self,
        request: Request,
        race_id: PathId,
        data: MultipartBody[EntrantsUpload],
    ) -> EntrantImport:
        return await imports.import_entrants(race_id, await read_upload(data.file), request.user.id)
