"""Uploaded files, read whole up to the configured size."""

from litestar.datastructures import UploadFile

from sportsrun.core.errors import TooLarge
from sportsrun.core.i18n import gettext as _
from sportsrun.settings import get_settings


async def read_upload(upload: UploadFile) -> bytes:
    """The file's bytes; refused (413) past SPORTSRUN_MAX_UPLOAD_MB, as configured when the request comes."""
    settings = get_settings()
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise TooLarge(_("The file is larger than {n} MB.", n=settings.max_upload_mb))
    return data
