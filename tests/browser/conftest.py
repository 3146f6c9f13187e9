"""Browser journeys: Playwright driving Debian's Chromium against a real `sportsrun serve`.

Without /usr/bin/chromium the journeys are skipped, except in CI (CI=true), where that is a failure."""

import os
import re
import shutil
from pathlib import Path

import httpx
import pytest

from tests.server import running_server
from tests.support import make_user, race_body

CHROMIUM = os.environ.get("SPORTSRUN_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# A phone as the journeys open pages on it (Arabic unless a test says otherwise), and each page language's
# browser locale.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "ar-IQ",
}
LOCALES = {"ar": "ar-IQ", "ckb": "ckb-IQ", "en": "en-GB"}
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]  # fmt: skip


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Chromium is not installed at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt install chromium): browser journeys skipped")
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.fixture(scope="session")
async def browser(chromium_path):
    """One Chromium for the session (a launch took one to two seconds a test); each test opens contexts of
    its own, as isolated as browsers are."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium_path, headless=True, args=ARGS)
        yield browser
        await browser.close()


@pytest.fixture
def server():
    with running_server(workers=1, SPORTSRUN_DEFAULT_LOCALE="ar") as handle:
        yield handle


@pytest.fixture
async def race(server):
    """A published event with a race open for registration, made through the API as an organiser would."""
    await make_user("organiser", "organiser@example.test")
    async with httpx.AsyncClient(base_url=server.base) as http:
        token = (
            await http.post(
                "/api/v1/auth/token", json={"email": "organiser@example.test", "password": "a long enough password"}
            )
        ).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        event = (await http.post("/api/v1/events", headers=auth, json={
            "name": "سباق البصرة للسلام", "province": "IQ-BA", "city": "البصرة", "date": "2027-03-20",
            "published": True})).json()  # fmt: skip
        race = (await http.post(f"/api/v1/events/{event['id']}/races", headers=auth,
                                json=race_body(name="10 كم", capacity=50, bib_first=1, bib_last=99,
                                               reserved_bibs=[1]))).json()  # fmt: skip
        return {**race, "auth": auth}


FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture
async def new_page(browser, request):
    """`await new_page(**context_options)`: a page in a context of its own, with every page of that context
    watched by ConsoleErrors. The test fails at teardown if any of them had a console error; a failed test
    leaves a screenshot of each of its pages in test-artifacts/."""
    contexts, watched = [], {}

    def watch(page) -> None:
        if page not in watched:
            watched[page] = ConsoleErrors(page)

    async def make(**context_options):
        context = await browser.new_context(**context_options)
        context.on("page", watch)  # pages the page opens itself (a popup, a new tab)
        contexts.append(context)
        page = await context.new_page()
        watch(page)
        return page

    yield make
    if request.node.stash.get(FAILED, False):
        for number, page in enumerate(p for p in watched if not p.is_closed()):
            await screenshot(page, f"failed-{request.node.name}-{number}.png")
    for context in contexts:
        await context.close()
    errors = [f"{page.url}: {error}" for page, console in watched.items() for error in console.errors]
    assert errors == [], "console errors:\n" + "\n".join(errors)


async def sign_in(page, base: str, email: str, password: str = "a long enough password") -> None:
    """Through the login form, as a person would; done when the browser has landed on the signed-in home."""
    await page.goto(f"{base}/login")
    await page.fill("#email", email)
    await page.fill("#password", password)
    await page.click("main form button[type=submit]")
    await page.wait_for_url(re.compile(r"/(organiser|volunteer)$"))


def artifact(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)


async def screenshot(page, name: str) -> None:
    """A whole-page screenshot into test-artifacts/. The caret is left alone: hiding it, Playwright writes
    `caret-color` into each input's style attribute and leaves `style=""` behind, which htmx then copies
    onto a swapped field (its settle step copies class and style), and our CSP refuses that inline style."""
    await page.screenshot(path=artifact(name), full_page=True, caret="initial")


class ConsoleErrors:
    """Collects script errors, CSP violations and failed assets: a page that has one is broken for someone.
    A page answered with 4xx on purpose (a form with errors is a 422) is not a failure."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", self._response)

    def _console(self, message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type not in ("document", "xhr", "fetch"):
            self.errors.append(f"{response.status} {response.url}")
