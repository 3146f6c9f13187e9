"""Small helpers shared by the /api/v1 controllers."""

from typing import Annotated, Any

import msgspec
from litestar.params import PathParameter

JSON_BODY_LIMIT = 64 * 1024  # a registration or an event is a few hundred bytes
FORM_BODY_LIMIT = 64 * 1024  # a page's form: an event's 5,000-character description, percent-encoded, fits
MULTIPART_OVERHEAD = 64 * 1024  # an upload's other fields and boundaries, beside the file itself


def present(data: msgspec.Struct) -> dict[str, Any]:
    """The fields a client actually sent: absent is not the same as null in a partial update."""
    return {f: v for f in data.__struct_fields__ if (v := getattr(data, f)) is not msgspec.UNSET}


# Ids and bibs in paths: PostgreSQL's integer columns end at 2³¹ − 1; a larger number names nothing.
PathId = Annotated[int, PathParameter(ge=1, le=2_147_483_647)]
PathCode = Annotated[str, PathParameter(max_length=64)]
