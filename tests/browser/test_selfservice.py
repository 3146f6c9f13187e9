"""A runner in each language registers, gets the confirmation by email (a real server process sending
through a local SMTP server), loses the link, recovers it from the home page and fixes a name with htmx."""

import asyncio
import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import LOCALES, screenshot
from tests.messages.local_servers import SmtpServer
from tests.server import running_server

pytestmark = pytest.mark.browser


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def server(smtp):
    """The server of the journeys, its messages going to the local SMTP server."""
    email_url = f"smtp://127.0.0.1:{smtp.port}?from=runs@example.org"
    with running_server(workers=1, SPORTSRUN_DEFAULT_LOCALE="ar", SPORTSRUN_EMAIL_URL=email_url) as handle:
        yield handle


async def next_mail(smtp: SmtpServer, seen: int, timeout_s: float = 60.0):
    """The message after the first `seen`, once the server's sender has delivered it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while len(smtp.inbox.messages) <= seen:
        assert loop.time() < deadline, "no message arrived"
        await asyncio.sleep(0.1)
    return smtp.inbox.messages[seen]


def own_path(body: str) -> str:
    return urlsplit(re.search(r"https?://\S+/registrations/\S+", body).group(0)).path


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
async def test_a_runner_recovers_a_lost_link_and_fixes_a_name(new_page, server, race, smtp, language):
    page = await new_page(viewport={"width": 390, "height": 844}, locale=LOCALES[language])
    await page.goto(f"{server.base}/races/{race['id']}/register")
    assert await page.get_attribute("html", "lang") == language
    await page.fill("#given_name", "Zaynab")
    await page.fill("#family_name", "Hamid Ali")
    await page.check("input[name=gender][value=female]")
    await page.fill("#birth_date", "1994-07-01")
    await page.select_option("#province", "IQ-BG")
    await page.fill("#email", f"zainab.{language}@example.org")
    await page.check("input[name=consent]")
    await page.click("form#registration button[type=submit]")
    await page.wait_for_url("**/registrations/*")
    first_link = urlsplit(page.url).path

    confirmation = await next_mail(smtp, 0)
    assert confirmation["Content-Language"] == language
    assert own_path(confirmation.get_content()) == first_link

    # The link is lost: from the home page, "Lost your link?".
    await page.goto(f"{server.base}/")
    await page.click(".lost-link a")
    await page.wait_for_url("**/registrations/recover")
    await page.fill("#email", f"zainab.{language}@example.org")
    await page.fill("#birth_date", "1994-07-01")
    await page.click("form.recover button[type=submit]")
    await page.locator("#recover-sent").wait_for()
    await screenshot(page, f"selfservice-{language}-recover.png")

    recovered = await next_mail(smtp, 1)
    assert recovered["Content-Language"] == language
    new_link = own_path(recovered.get_content())
    assert new_link != first_link
    await page.goto(server.base + new_link)
    await page.fill("#edit-own #given_name", "Zainab")
    await page.click("#edit-own button[type=submit]")
    await page.locator("#edit-own .saved").wait_for()  # the form swapped in by htmx, saved
    assert page.url.endswith(new_link)  # no page load: htmx
    assert await page.inner_text("#own-name") == "Zainab Hamid Ali"  # the summary follows the saved form
    await screenshot(page, f"selfservice-{language}-fixed.png")
    await page.reload()
    assert "Zainab Hamid Ali" in await page.inner_text("dl.summary")
    response = await page.goto(server.base + first_link)
    assert response.status == 404  # the lost link no longer opens anything
