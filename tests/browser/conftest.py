"""Browser journeys: Playwright driving Debian's Chromium against a real `sportsrun serve`.

Without /usr/bin/chromium the journeys are skipped, except in CI (CI=true), where that is a failure."""

import os
import shutil
from pathlib import Path

import httpx
import pytest

from tests.server import running_server
from tests.support import make_user, race_body

CHROMIUM = os.environ.get("SPORTSRUN_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]  # fmt: skip


@pytest.fixture(scope="module")
def chromium_path():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but Chromium is not installed at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip("Chromium is not installed (apt install chromium): browser journeys skipped")
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@pytest.fixture
async def browser(chromium_path):
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


def artifact(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / name)


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
