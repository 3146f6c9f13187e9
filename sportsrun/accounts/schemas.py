"""What the accounts API answers, as the OpenAPI schema shows it (the handlers build plain dicts of these
shapes), and the request fields whose exact form it states."""

import datetime as dt
from typing import Literal, TypedDict

from sportsrun.core.web.openapi import text

Role = Literal["admin", "organiser", "volunteer"]
RoleField = text(enum=["admin", "organiser", "volunteer"])
Email = text(format="email")
Password = text(format="password", minLength=8)


class Token(TypedDict):
    """A bearer token, valid 30 days: send it as `Authorization: Bearer <token>`."""

    token: str
    role: Role
    expires_at: dt.datetime


class User(TypedDict):
    id: int
    email: str
    role: Role
    active: bool
