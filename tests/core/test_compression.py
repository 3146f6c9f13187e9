"""What is sent is gzipped when the client accepts it and it is worth it (500 bytes or more), with
`Vary: Accept-Encoding` beside what the answer already varies by; never an answer that could carry a
secret beside text the request chose (BREACH: see core/web/compression.py)."""

import gzip
import re

import pytest

from sportsrun.core.web import page_cache
from tests.results.support import race_with_results
from tests.support import HTMX, make_race, register, token_headers

GZIP = {"Accept-Encoding": "gzip, deflate"}
PLAIN = {"Accept-Encoding": "identity"}


async def fetch(client, url: str, method: str = "GET", data: dict | None = None, **headers):
    """The response and its body as sent (httpx would decode it)."""
    async with client.stream(method, url, headers=headers, data=data) as r:
        raw = b"".join([chunk async for chunk in r.aiter_raw()])
    return r, raw


def varies_by(response) -> list[str]:
    return [v.strip().lower() for v in response.headers.get("vary", "").split(",") if v.strip()]


@pytest.fixture
async def race(client):
    return await race_with_results(
        client, await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    )


async def test_results_page_fragment_and_api_answer_are_gzipped_with_vary(client, race):
    page, api = f"/races/{race['id']}/results", f"/api/v1/races/{race['id']}/results"
    cases = [
        (page, {}, ["hx-request", "accept-language", "cookie", "accept-encoding"]),
        (page, HTMX, ["hx-request", "accept-language", "cookie", "accept-encoding"]),
        (api, {}, ["accept-encoding"]),
    ]
    for url, extra, vary in cases:
        r, raw = await fetch(client, url, **GZIP, **extra)
        assert r.status_code == 200 and r.headers["content-encoding"] == "gzip", url
        assert varies_by(r) == vary  # merged with the page's own, each once
        body = gzip.decompress(raw)
        assert int(r.headers["content-length"]) == len(raw) < len(body) / 2
        plain, plain_raw = await fetch(client, url, **PLAIN, **extra)
        assert "content-encoding" not in plain.headers and varies_by(plain) == vary
        assert plain_raw == body and plain.headers["etag"] == r.headers["etag"]
    assert (await client.get(page, headers={**GZIP, **HTMX})).text.lstrip().startswith("<")  # a fragment


async def test_not_gzipped_when_not_accepted(client, race):
    url = f"/races/{race['id']}/results"
    for accepted in ("identity", "gzip;q=0", "gzip;q=0, *", "br", "deflate"):
        r, raw = await fetch(client, url, **{"Accept-Encoding": accepted})
        assert r.status_code == 200 and "content-encoding" not in r.headers, accepted
        assert b"<html" in raw
    for accepted in ("*", "GZIP;q=0.5", "br;q=1, gzip;q=0.1"):
        r, _raw = await fetch(client, url, **{"Accept-Encoding": accepted})
        assert r.headers["content-encoding"] == "gzip", accepted


async def test_small_answers_are_sent_as_they_are(client, race):
    for url in ("/healthz", f"/api/v1/races/{race['id']}/corrections", "/api/v1/races/999999/results"):
        r, raw = await fetch(client, url, **GZIP)
        assert len(raw) < 500 and "content-encoding" not in r.headers, url
        assert "accept-encoding" not in varies_by(r)
    etag = (await client.get(f"/races/{race['id']}/results", headers=GZIP)).headers["etag"]
    r, raw = await fetch(client, f"/races/{race['id']}/results", **GZIP, **{"If-None-Match": etag})
    assert r.status_code == 304 and raw == b"" and "content-encoding" not in r.headers


async def test_answers_not_cached_are_gzipped_on_the_way_out(client, race):
    r, raw = await fetch(client, "/api/v1/provinces", **GZIP)
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip" and varies_by(r) == ["accept-encoding"]
    assert b"IQ-BG" in gzip.decompress(raw) and int(r.headers["content-length"]) == len(raw)
    r, raw = await fetch(client, f"/races/{race['id']}/corrections", **GZIP)  # a page without a form
    assert r.status_code == 200 and "content-encoding" not in r.headers  # …but with the visitor's CSRF token
    assert client.cookies["csrftoken"].encode() in raw


async def test_a_page_with_a_form_and_reflected_text_is_not_compressed(client):
    race = await make_race(client, await token_headers(client, "organiser"))
    url = f"/races/{race['id']}/register?from=probe-7f3a"
    r, raw = await fetch(client, url, **GZIP)
    assert r.status_code == 200 and "content-encoding" not in r.headers
    token = re.search(rb'name="_csrf_token" value="([^"]+)"', raw).group(1).decode()
    assert token.encode() in raw and b"probe-7f3a" in raw  # the secret beside text the request chose
    # The answer to a post carries both too (the typed values and the token) and is not compressed.
    r, raw = await fetch(
        client, f"/races/{race['id']}/register", "POST", {"_csrf_token": token, "given_name": "probe-9c1d"}, **GZIP
    )
    assert r.status_code == 422 and "content-encoding" not in r.headers
    assert b"probe-9c1d" in raw and token.encode() in raw and len(raw) > 500


async def test_self_service_answers_are_not_compressed(client):
    race = await make_race(client, await token_headers(client, "organiser"))
    code = (await register(client, race["id"])).json()["code"]
    r, raw = await fetch(client, f"/registrations/{code}?from=probe", **GZIP)  # the private link on it
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert "content-encoding" not in r.headers and code.encode() in raw and b"probe" in raw
    r, raw = await fetch(client, f"/api/v1/registrations/{code}", **GZIP)  # personal data
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert "content-encoding" not in r.headers and len(raw) > 500


async def test_a_public_results_page_with_reflected_search_is_compressed(client, race):
    await client.get("/")  # the visitor has a CSRF token…
    token = client.cookies["csrftoken"]
    r, raw = await fetch(client, f"/races/{race['id']}/results?q=probe-5e2b", **GZIP)
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
    body = gzip.decompress(raw)
    assert b"probe-5e2b" in body and token.encode() not in body  # …which the shared page does not carry
    assert not re.search(rb'name="_csrf_token" value="[^"]', body)


async def test_a_cached_page_is_gzipped_once(client, race):
    url = f"/races/{race['id']}/results"
    _first, raw = await fetch(client, url, **GZIP)
    kept = [entry for entry in page_cache.rendered.entries.values() if entry.gzipped is not None]
    assert len(kept) == 1 and kept[0].gzipped == raw
    made = kept[0].gzipped
    _second, again = await fetch(client, url, **GZIP)
    assert again == raw and kept[0].gzipped is made  # the same bytes, not compressed again
    assert [entry for entry in page_cache.rendered.entries.values() if entry.gzipped is not None] == kept
    assert page_cache.rendered.size == sum(entry.size for entry in page_cache.rendered.entries.values())
