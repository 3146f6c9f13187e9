"""The per-worker page cache holds at most SPORTSRUN_PAGE_CACHE_MB of bodies, gzipped copies counted."""

import pytest

from sportsrun.core.web import page_cache
from sportsrun.settings import ConfigError, load
from tests.results.support import race_with_results
from tests.support import token_headers

GZIP = {"Accept-Encoding": "gzip"}


def kept_searches() -> list[str]:
    """The searches of the results pages kept, oldest first (a page's key holds its query)."""
    return [key[3][3] for key in page_cache.rendered.entries if key[0] == "page"]  # ("page", locale, htmx, query…


async def test_the_cache_is_bounded_in_bytes(client, settings_env):
    race = await race_with_results(
        client, await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    )
    url = f"/races/{race['id']}/results"
    one = await client.get(url, params={"q": "probe-0"}, headers=GZIP)
    entry = page_cache.rendered.get(next(reversed(page_cache.rendered.entries)))
    assert entry.gzipped is not None and entry.size == len(entry.body) + len(entry.gzipped) + page_cache.OVERHEAD
    assert len(one.content) == len(entry.body)
    # Room for three pages and their gzipped copies, not four.
    settings_env(page_cache_mb=(entry.size * 3.5) / 1024 / 1024)
    page_cache.rendered.clear()
    for n in range(6):
        assert (await client.get(url, params={"q": f"probe-{n}"}, headers=GZIP)).status_code == 200
    assert kept_searches() == ["probe-3", "probe-4", "probe-5"]  # the least recently used went first
    limit = page_cache.rendered.max_bytes()
    assert page_cache.rendered.size == sum(e.size for e in page_cache.rendered.entries.values()) <= limit
    # A page read again is the most recent; the gzipped copy made for a later reader counts too.
    await client.get(url, params={"q": "probe-3"}, headers={"Accept-Encoding": "identity"})
    await client.get(url, params={"q": "probe-6"}, headers={"Accept-Encoding": "identity"})
    assert kept_searches() == ["probe-5", "probe-3", "probe-6"]
    await client.get(url, params={"q": "probe-6"}, headers=GZIP)
    assert page_cache.rendered.size == sum(e.size for e in page_cache.rendered.entries.values()) <= limit


async def test_an_answer_larger_than_the_cache_is_sent_not_kept(client, settings_env):
    race = await race_with_results(
        client, await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    )
    settings_env(page_cache_mb=0.001)
    r = await client.get(f"/races/{race['id']}/results", headers=GZIP)
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip" and "<html" in r.text
    assert not page_cache.rendered.entries and page_cache.rendered.size == 0


def test_the_setting(monkeypatch):
    monkeypatch.delenv("SPORTSRUN_PAGE_CACHE_MB", raising=False)
    assert load().page_cache_bytes == 64 * 1024 * 1024
    monkeypatch.setenv("SPORTSRUN_PAGE_CACHE_MB", "0.5")
    assert load().page_cache_bytes == 512 * 1024
    for bad in ("lots", "-1"):
        monkeypatch.setenv("SPORTSRUN_PAGE_CACHE_MB", bad)
        with pytest.raises(ConfigError, match="SPORTSRUN_PAGE_CACHE_MB"):
            load()
