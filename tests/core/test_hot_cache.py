"""Shared pages are sent again for a second without reaching the application, each variant its own, never
with a visitor's cookie; a write through this process, or the second passing, brings a fresh render."""

import asyncio

import pytest

from sportsrun.core.web import hot_answers, page_cache
from tests.results.support import race_with_results
from tests.support import token_headers

AR = {"Accept-Language": "ar", "Accept-Encoding": "gzip"}
EN = {"Accept-Language": "en", "Accept-Encoding": "gzip"}


@pytest.fixture
async def results_page(client):
    race = await race_with_results(
        client, await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    )
    page_cache.rendered.clear()
    client.cookies.clear()
    return f"/races/{race['id']}/results"


async def get(client, url: str, headers: dict):
    """A request from a visitor without cookies (the client would send back the CSRF cookie it was given)."""
    client.cookies.clear()
    return await client.get(url, headers=headers)


def rendered_since() -> bool:
    """Whether the application rendered (or looked up) a page since `forget_renders`."""
    return bool(page_cache.rendered.entries)


def forget_renders() -> None:
    page_cache.rendered.entries.clear()  # the renders only: the hot answers stay


async def test_a_shared_page_is_sent_again_without_the_application(client, results_page):
    first = await get(client, results_page, AR)
    assert first.status_code == 200 and "set-cookie" in first.headers  # the CSRF middleware's, for this visitor
    forget_renders()
    again = await get(client, results_page, AR)
    assert not rendered_since()  # answered before the application
    assert again.status_code == 200 and again.content == first.content
    assert "set-cookie" not in again.headers  # one visitor's cookie is never given to another
    assert again.headers["etag"] == first.headers["etag"] and again.headers["content-encoding"] == "gzip"
    assert again.headers["vary"] == first.headers["vary"] and "x-request-id" in again.headers

    # Another language is another variant, rendered by the application.
    english = await get(client, results_page, EN)
    assert rendered_since() and 'lang="en"' in english.text and 'lang="ar"' in again.text

    # A poll with the ETag gets a 304 from the kept answer.
    forget_renders()
    polled = await get(client, results_page, {**AR, "If-None-Match": first.headers["etag"]})
    assert polled.status_code == 304 and not polled.content and not rendered_since()


async def test_a_write_through_this_process_or_a_second_passing_renders_again(client, results_page, monkeypatch):
    await get(client, results_page, AR)
    forget_renders()
    await client.post("/api/v1/auth/token", json={"email": "nobody@example.test", "password": "wrong password"})
    await get(client, results_page, AR)
    assert rendered_since()

    monkeypatch.setattr(hot_answers, "TTL_S", 0.05)
    page_cache.rendered.clear()
    await get(client, results_page, AR)
    forget_renders()
    await asyncio.sleep(0.1)
    await get(client, results_page, AR)
    assert rendered_since()


async def test_pages_for_one_visitor_are_never_kept(client):
    one, two = await get(client, "/login", {}), await get(client, "/login", {})
    assert one.status_code == two.status_code == 200
    assert one.cookies["csrftoken"] != two.cookies["csrftoken"]
    assert not hot_answers.answers.paths.get(("/login", b""))


def test_an_answer_rendered_across_a_write_is_not_kept():
    from sportsrun.core.web.hot_answers import HotAnswers

    kept = HotAnswers()
    scope = {"path": "/races/1/results", "query_string": b"", "headers": [], "path_template": None}
    began = kept.generation
    kept.clear()  # a write ran while the page rendered
    kept.keep(scope, [(b"vary", b"Accept-Language")], b"old", began)
    assert kept.find(scope) is None
    kept.keep(scope, [(b"vary", b"Accept-Language")], b"new", kept.generation)
    assert kept.find(scope).body == b"new"
