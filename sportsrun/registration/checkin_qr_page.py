"""The runner's check-in QR as an image at an address made of its token, for the confirmation message: a
text message or mail cannot carry the QR itself, so it carries this link. The address holds nothing but the
token the QR holds anyway; it shows the QR and nothing else, and 404 once a cancellation cleared the token."""

from litestar import Controller, Response, get

from sportsrun.core.errors import NotFound
from sportsrun.core.i18n import gettext as _
from sportsrun.core.web.forms import NO_STORE, absolute
from sportsrun.core.web.params import PathCode
from sportsrun.registration import checkin_queries
from sportsrun.registration.checkin_token import checkin_qr_png


def checkin_qr_url(token: str | None) -> str | None:
    return absolute(f"/check-in/{token}/qr.png") if token else None


class CheckInQrImage(Controller):
    path = "/check-in"
    include_in_schema = False

    @get("/{checkin_token:str}/qr.png")
    async def qr(self, checkin_token: PathCode) -> Response:
        if await checkin_queries.token_holder(checkin_token) is None:
            raise NotFound(_("No registration holds this check-in code."))
        return Response(checkin_qr_png(checkin_token), media_type="image/png", headers=NO_STORE)
