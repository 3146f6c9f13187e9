"""The runner's share card (a PNG per language, reusing the campaign card's drawing), the runner page's
preview tags, and the share links of the event, results and runner pages."""

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from PIL import Image

from sportsrun.results import card
from sportsrun.settings import get_settings
from tests.results.support import race_with_results
from tests.support import soup, token_headers


@pytest.fixture(autouse=True)
def forget_cards():
    # Ids start again after each test's reset: a card of an earlier test's race 1 must not answer.
    card._kept.clear()
    yield
    card._kept.clear()


@pytest.fixture
async def race(client):
    return await race_with_results(
        client, await token_headers(client, "organiser"), await token_headers(client, "volunteer")
    )


def lang(locale: str) -> dict:
    return {"Accept-Language": locale}


def meta(page) -> dict:
    return {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}


@pytest.mark.parametrize("locale", ["ar", "ckb", "en"])
async def test_the_card_is_a_png_in_the_language_of_its_address(client, race, locale):
    url = f"/races/{race['id']}/results/{race['bibs'][0]}/card-{locale}.png"
    r = await client.get(url, headers=lang("en"))  # the address decides, not the visitor's language
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert r.headers["cache-control"] == "public, max-age=300"
    image = Image.open(io.BytesIO(r.content))
    assert image.format == "PNG" and image.size == (1200, 630)
    again = await client.get(url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == r.headers["etag"]
    others = [(await client.get(url.replace(f"-{locale}.", f"-{o}."))).content for o in ("ar", "ckb", "en")]
    assert others.count(r.content) == 1  # each language its own card


async def test_a_new_import_draws_a_new_card(client, race):
    from tests.support import xlsx
    from tests.timing.support import upload

    url = f"/races/{race['id']}/results/{race['bibs'][0]}/card-ar.png"
    first = await client.get(url)
    volunteer = await token_headers(client, "volunteer", "second-volunteer@example.test")
    sheet = xlsx([["Bib", "Time"], [race["bibs"][0], "0:39:00"]])
    assert (await upload(client, volunteer, race["id"], sheet, mode="merge")).status_code == 201
    from sportsrun.results import state

    await state.forget(race["id"])
    changed = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]
    assert changed.content != first.content


async def test_the_card_says_what_the_public_page_says(client, race):
    # The words and numbers the card is drawn from: the public name (initials when chosen), the race,
    # the event, the date, the time and the places, and nothing personal.
    from sportsrun.core.i18n import in_locale
    from sportsrun.events.services import load_race
    from sportsrun.results import public

    loaded = await load_race(race["id"], public=True)
    sara = await public.runner(race["id"], race["bibs"][1], race=loaded)
    with in_locale("en"):
        made = card.spec(sara["race"], loaded.event_brief(), sara["result"])
    assert made.title == "S. A."  # she chose initials
    assert made.subtitle.startswith("10 km · Baghdad Peace Run · ") and "Provisional results" in made.subtitle
    figures = {f.label: f for f in made.figures}
    assert figures["Time"].value == "0:42:00" and figures["Among women"].value == 2
    assert figures["Place"].total == 4
    ahmad = await public.runner(race["id"], race["bibs"][0], race=loaded)
    with in_locale("ar"):
        made = card.spec(ahmad["race"], loaded.event_brief(), ahmad["result"])
    assert made.title == "أحمد الزهراء" and made.figures[0].value == "0:40:12"
    late = await public.runner(race["id"], race["bibs"][4], race=loaded)
    with in_locale("en"):
        made = card.spec(late["race"], loaded.event_brief(), late["result"])
    assert [f.value for f in made.figures] == ["He did not finish"]
    drawn = str(made)
    for personal in ("07701230005", "1985-02-02"):
        assert personal not in drawn


async def test_no_card_for_an_unknown_bib_or_race(client, race):
    assert (await client.get(f"/races/{race['id']}/results/98/card-ar.png")).status_code == 404
    assert (await client.get("/races/999999/results/1/card-ar.png")).status_code == 404
    assert (await client.get(f"/races/{race['id']}/results/{race['bibs'][0]}/card-fr.png")).status_code == 404


@pytest.mark.parametrize("locale", ["ar", "ckb", "en"])
async def test_the_runner_page_previews_the_card_of_its_language(client, race, locale):
    public = get_settings().public_url
    bib = race["bibs"][0]
    page = soup(await client.get(f"/races/{race['id']}/results/{bib}", headers=lang(locale)))
    tags = meta(page)
    card_url = f"{public}/races/{race['id']}/results/{bib}/card-{locale}.png"
    assert tags["og:image"] == card_url and tags["twitter:image"] == card_url
    assert tags["twitter:card"] == "summary_large_image"
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")


def share_hrefs(page) -> dict[str, str]:
    return {a["class"][0].removeprefix("share-"): a["href"] for a in page.select("ul.share-links a")}


def check_links(links: dict[str, str], url: str, title: str) -> None:
    assert set(links) == {"whatsapp", "telegram", "facebook", "x"}
    whatsapp = urlsplit(links["whatsapp"])
    assert (whatsapp.netloc, whatsapp.path) == ("wa.me", "/")
    assert parse_qs(whatsapp.query)["text"] == [f"{title} {url}"]
    telegram = urlsplit(links["telegram"])
    assert (telegram.netloc, telegram.path) == ("t.me", "/share/url")
    assert parse_qs(telegram.query) == {"url": [url], "text": [title]}
    facebook = urlsplit(links["facebook"])
    assert facebook.netloc == "www.facebook.com" and parse_qs(facebook.query) == {"u": [url]}
    x = urlsplit(links["x"])
    assert (x.netloc, x.path) == ("x.com", "/intent/tweet") and parse_qs(x.query) == {"url": [url], "text": [title]}
    for href in links.values():  # the address fully encoded: no raw ":" or "/" of it in the query
        assert "%3A%2F%2F" in href and " " not in href


async def test_share_links_on_the_event_results_and_runner_pages(client, race):
    public = get_settings().public_url
    bib = race["bibs"][0]
    runner_url = f"{public}/races/{race['id']}/results/{bib}"
    page = soup(await client.get(f"/races/{race['id']}/results/{bib}", headers=lang("ar")))
    check_links(share_hrefs(page), runner_url, f"أحمد الزهراء: 0:40:12 · {race['name']}")
    links = page.select("ul.share-links a")
    assert all(a["rel"] == ["noopener", "noreferrer"] for a in links)
    assert links[0]["aria-label"] == "شارك على WhatsApp"
    results = soup(await client.get(f"/races/{race['id']}/results", headers=lang("ar")))
    check_links(share_hrefs(results), f"{public}/races/{race['id']}/results", f"{race['name']} · Baghdad Peace Run")
    event = soup(await client.get(f"/events/{race['event_id']}", headers=lang("ckb")))
    check_links(share_hrefs(event), f"{public}/events/{race['event_id']}", "Baghdad Peace Run")
    # No script of theirs: every script on the pages is our own.
    for each in (page, results, event):
        assert all(s["src"].startswith("/static/") for s in each.select("script"))
