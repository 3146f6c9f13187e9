"""Static files under names that carry a hash of their content, which browsers and proxies keep for a year.

Templates link `static_url("css/site.css")`, which is `/static/css/site.<hash>.css`: a changed file gets a
new name, so the old one may be kept forever (`immutable`: not even asked about on reload). The files
are read, hashed and gzipped once per process, at the first request that needs them, and served from
memory; a file changed while the server runs is seen after a restart. The plain name
(`/static/css/site.css`) still answers, with a short cache, for anything that links it directly, and
so does an old hash (a page kept from the last release), with the current content and a short cache.
`static/vendor/htmx.min.js` exists only after `make assets`: without it `static_url` gives None and the
pages link no htmx."""

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import PathParameter

from sportsrun.core.web.compression import CHOSEN, MIN_SIZE, accepts_gzip, compress

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = ROOT / "templates"
STATIC = ROOT / "static"
PREFIX = "/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
TEXT = ("text/", "application/javascript", "image/svg+xml", "application/json")


@dataclass(frozen=True, slots=True)
class Asset:
    hashed: str  # the name with the content's hash: css/site.0123456789.css
    body: bytes
    gzipped: bytes | None  # None when not worth compressing
    media_type: str
    etag: str


def hashed_name(path: str, digest: str) -> str:
    name = PurePosixPath(path)
    return str(name.with_name(f"{name.stem}.{digest}{name.suffix}")) if name.suffix else f"{path}.{digest}"


def _asset(path: str, body: bytes) -> Asset:
    digest = hashlib.sha256(body).hexdigest()[:12]
    media_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    text = media_type.startswith(TEXT)  # Litestar adds the charset of text/*
    gzipped = compress(body, 9) if text and len(body) >= MIN_SIZE else None
    return Asset(hashed_name(path, digest), body, gzipped, media_type, f'"{digest}"')


class Assets:
    """The files under `root` by their path there ("css/site.css") and by their hashed name."""

    def __init__(self, root: Path, templates: Path):
        self.root, self.templates = root, templates
        self._by_path: dict[str, Asset] | None = None
        self._by_hashed: dict[str, Asset] = {}
        self._release = ""

    def _load(self) -> dict[str, Asset]:
        if self._by_path is None:
            files = sorted(p for p in self.root.rglob("*") if p.is_file()) if self.root.is_dir() else []
            by_path = {}
            for file in files:
                path = file.relative_to(self.root).as_posix()
                by_path[path] = _asset(path, file.read_bytes())
            self._by_hashed = {asset.hashed: asset for asset in by_path.values()}
            release = hashlib.sha256()
            for asset in by_path.values():
                release.update(f"{asset.hashed}\n".encode())
            for template in sorted(self.templates.rglob("*.html")):
                release.update(template.read_bytes())
            self._release = release.hexdigest()[:16]
            self._by_path = by_path
        return self._by_path

    def url(self, path: str) -> str | None:
        """The address of the file at `path` under its hashed name; None when there is no such file."""
        asset = self._load().get(path)
        return PREFIX + asset.hashed if asset else None

    def find(self, requested: str) -> tuple[Asset, bool] | None:
        """The file asked for and whether it was asked for by its current hashed name."""
        by_path = self._load()
        if requested in self._by_hashed:
            return self._by_hashed[requested], True
        if requested in by_path:
            return by_path[requested], False
        # An older release's name of a file that is still here.
        name = PurePosixPath(requested)
        stem, _dot, digest = (name.stem if name.suffix else name.name).rpartition(".")
        if stem and len(digest) == 12 and all(c in "0123456789abcdef" for c in digest):
            old = by_path.get(str(name.with_name(stem + name.suffix)))
            if old is not None:
                return old, False
        return None

    def release(self) -> str:
        """A digest of the templates and static files this process serves: pages built from other ones
        (a new release) must not be answered 304 from a browser's copy of the old ones."""
        self._load()
        return self._release


assets = Assets(STATIC, TEMPLATES)


def static_url(path: str) -> str | None:
    return assets.url(path)


@get(PREFIX + "{path:path}", include_in_schema=False, opt={"exclude_from_csrf": True}, name="static")
async def static_file(request: Request, path: Annotated[str, PathParameter(max_length=300)]) -> Response:
    found = assets.find(path.lstrip("/"))
    if found is None:
        raise NotFoundException()
    asset, current = found
    request.scope[CHOSEN] = True  # type: ignore[literal-required]
    headers = {"Cache-Control": IMMUTABLE if current else SHORT, "ETag": asset.etag}
    if asset.gzipped is not None:
        headers["Vary"] = "Accept-Encoding"
    if asset.etag in request.headers.get("if-none-match", ""):
        return Response(content=None, status_code=304, headers=headers)
    body = asset.body
    if asset.gzipped is not None and accepts_gzip(request.scope["headers"]):
        headers["Content-Encoding"] = "gzip"
        body = asset.gzipped
    return Response(content=body, media_type=asset.media_type, headers=headers)
