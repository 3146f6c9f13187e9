import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.params import JSONBody

from sportsrun.accounts import services
from sportsrun.accounts.guards import authenticate, requires_admin
from sportsrun.accounts.schemas import Email, Password, RoleField, Token, User
from sportsrun.core.errors import Unauthorized
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.clients import client_address
from sportsrun.core.web.openapi import BEARER, errors, required
from sportsrun.core.web.params import JSON_BODY_LIMIT, PathId, present

UNSET = msgspec.UNSET


@required("email", "password")
class TokenIn(msgspec.Struct):
    email: Email = UNSET
    password: str | msgspec.UnsetType = UNSET


@required("email", "role", "password")
class UserIn(msgspec.Struct):
    email: Email = UNSET
    role: RoleField = UNSET
    password: Password = UNSET


class UserChange(msgspec.Struct):
    role: RoleField = UNSET
    active: bool | msgspec.UnsetType = UNSET
    password: Password = UNSET


class AuthApi(Controller):
    path = "/api/v1/auth"
    tags = ["auth"]
    request_max_body_size = JSON_BODY_LIMIT

    @post("/token", status_code=200, summary="Exchange email and password for a bearer token",
          responses=errors(401, 429))  # fmt: skip
    async def token(self, request: Request, data: JSONBody[TokenIn]) -> Token:
        return await services.issue_token(present(data), client_address(request))

    @post("/token/revoke", status_code=204, summary="Revoke the bearer token sent with this request",
          security=[{BEARER: []}], responses=errors(401))  # fmt: skip
    async def revoke(self, request: Request) -> None:
        if await authenticate(request) is None:
            raise Unauthorized(_("Sign in: send a valid token as 'Authorization: Bearer <token>'."))
        await services.revoke_token(request.headers["authorization"].partition(" ")[2].strip())


class UsersApi(Controller):
    path = "/api/v1/users"
    tags = ["users"]
    guards = [requires_admin]
    request_max_body_size = JSON_BODY_LIMIT

    @post("/", status_code=201, responses=errors(409))
    async def create(self, data: JSONBody[UserIn]) -> User:
        return await services.create_user(present(data))

    @get("/")
    async def list_users(self) -> list[User]:
        return await services.list_users()

    @patch("/{user_id:int}")
    async def update(self, user_id: PathId, data: JSONBody[UserChange]) -> User:
        return await services.update_user(user_id, present(data))
