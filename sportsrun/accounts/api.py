from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody

from sportsrun.accounts import services
from sportsrun.accounts.guards import authenticate, requires_admin
from sportsrun.core.errors import Unauthorized
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.params import JSON_BODY_LIMIT, PathId, present

UNSET = msgspec.UNSET


class TokenIn(msgspec.Struct):
    email: str | msgspec.UnsetType = UNSET
    password: str | msgspec.UnsetType = UNSET


class UserIn(msgspec.Struct):
    email: str | msgspec.UnsetType = UNSET
    role: str | msgspec.UnsetType = UNSET
    password: str | msgspec.UnsetType = UNSET


class UserChange(msgspec.Struct):
    role: str | msgspec.UnsetType = UNSET
    active: bool | msgspec.UnsetType = UNSET
    password: str | msgspec.UnsetType = UNSET


class AuthApi(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]
    request_max_body_size = JSON_BODY_LIMIT

    @post("/token", status_code=200, summary="Exchange email and password for a bearer token")
    async def token(self, request: Request, data: JSONBody[TokenIn]) -> dict[str, Any]:
        return await services.issue_token(present(data), client_address(request))

    @post("/token/revoke", status_code=204, summary="Revoke the bearer token sent with this request")
    async def revoke(self, request: Request) -> None:
        if await authenticate(request) is None:
            raise Unauthorized(_("Sign in: send a valid token as 'Authorization: Bearer <token>'."))
        await services.revoke_token(request.headers["authorization"].partition(" ")[2].strip())


class UsersApi(Controller):
    path = "/api/v1/users"
    tags = ["users"]
    guards = [requires_admin]
    request_max_body_size = JSON_BODY_LIMIT

    @post("/", status_code=201)
    async def create(self, data: JSONBody[UserIn]) -> dict[str, Any]:
        return await services.create_user(present(data))

    @get("/")
    async def list_users(self) -> list[dict[str, Any]]:
        return await services.list_users()

    @patch("/{user_id:int}")
    async def update(self, user_id: PathId, data: JSONBody[UserChange]) -> dict[str, Any]:
        return await services.update_user(user_id, present(data))
