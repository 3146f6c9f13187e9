"""Static files under hashed names, kept for a year by browsers; their plain names with a short cache."""

import gzip
import hashlib
import re

from sportsrun.core.web.static import STATIC, static_url
from tests.support import soup

GZIP = {"Accept-Encoding": "gzip"}


async def test_pages_link_static_files_by_hashed_name(client):
    page = soup(await client.get("/"))
    links = {
        "css/site.css": page.select_one("link[rel=stylesheet]")["href"],
        "favicon.svg": page.select_one("link[rel=icon]")["href"],
    }
    htmx = STATIC / "vendor" / "htmx.min.js"
    scripts = [s["src"] for s in page.select("script[src]")]
    if htmx.exists():  # `make assets` put it there: htmx and our script that needs it
        links["vendor/htmx.min.js"], links["js/site.js"] = scripts
    else:
        assert scripts == [] and static_url("vendor/htmx.min.js") is None
    for path, href in links.items():
        stem, suffix = path.rsplit(".", 1)
        assert re.fullmatch(rf"/static/{re.escape(stem)}\.[0-9a-f]{{12}}\.{suffix}", href), href
        r = await client.get(href)
        assert r.status_code == 200 and r.content == (STATIC / path).read_bytes()
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "set-cookie" not in r.headers  # nothing personal in what proxies keep for a year


async def test_a_changed_file_gets_a_new_name(client):
    """The hash is of the content: a name is never reused for other content."""
    url = static_url("css/site.css")
    digest = url.rsplit(".", 2)[1]
    assert hashlib.sha256((STATIC / "css/site.css").read_bytes()).hexdigest().startswith(digest)


async def test_static_files_are_gzipped_once_and_revalidated(client):
    url = static_url("css/site.css")
    async with client.stream("GET", url, headers=GZIP) as r:
        raw = b"".join([chunk async for chunk in r.aiter_raw()])
    assert r.headers["content-encoding"] == "gzip" and r.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(raw) == (STATIC / "css/site.css").read_bytes() and len(raw) < len(gzip.decompress(raw))
    assert r.headers["content-type"] == "text/css; charset=utf-8"
    plain = await client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == (STATIC / "css/site.css").read_bytes()
    again = await client.get(url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


async def test_plain_and_old_names_answer_with_a_short_cache(client):
    for url in ("/static/css/site.css", "/static/css/site.0123456789ab.css"):
        r = await client.get(url)
        assert r.status_code == 200 and r.content == (STATIC / "css/site.css").read_bytes(), url
        assert r.headers["cache-control"] == "public, max-age=300"
    for url in ("/static/css/nothing.css", "/static/../pyproject.toml", "/static/%2e%2e/pyproject.toml", "/static/"):
        assert (await client.get(url)).status_code == 404, url
    head = await client.head(static_url("js/site.js"))
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/javascript")
