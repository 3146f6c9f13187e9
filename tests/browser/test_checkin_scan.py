"""A volunteer checks a runner in by pointing the phone's camera at the check-in QR on the runner's own page.

The camera is Chromium's fake capture device playing a video made here from a screenshot of the QR as the
runner's page shows it: two seconds of the QR, then three of an empty picture, over and over, so that the
QR is shown twice (the second time is a second scan). Where the browser has no BarcodeDetector (Debian's
Chromium on Linux) the page's jsQR fallback is what reads it."""

import io

import httpx
import pytest
from PIL import Image
from playwright.async_api import async_playwright, expect

from tests.browser.conftest import ARGS, PHONE, ConsoleErrors, screenshot, sign_in
from tests.support import make_user

pytestmark = pytest.mark.browser

WIDTH, HEIGHT, FPS = 640, 480, 5


def y4m(qr_png: bytes, path, *, shown_s: int = 2, hidden_s: int = 3) -> None:
    """A YUV4MPEG2 video for Chromium's fake camera: the QR in the middle of a white picture, then nothing."""
    qr = Image.open(io.BytesIO(qr_png)).convert("L")
    side = 300
    qr = qr.resize((side, side), Image.Resampling.NEAREST)
    picture = Image.new("L", (WIDTH, HEIGHT), 255)
    picture.paste(qr, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    blank = Image.new("L", (WIDTH, HEIGHT), 255)
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2 * 2)  # U and V planes: grey
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in [picture] * (shown_s * FPS) + [blank] * (hidden_s * FPS):
            f.write(b"FRAME\n" + frame.tobytes() + chroma)


@pytest.fixture
async def camera_browser(chromium_path, tmp_path):
    """`await launch(video)`: a Chromium whose camera plays `video`, allowed without asking."""
    async with async_playwright() as p:
        browsers = []

        async def launch(video):
            args = [*ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                    f"--use-file-for-fake-video-capture={video}"]  # fmt: skip
            browser = await p.chromium.launch(executable_path=chromium_path, headless=True, args=args)
            browsers.append(browser)
            return browser

        yield launch
        for browser in browsers:
            await browser.close()


async def test_a_volunteer_scans_the_check_in_qr_shown_on_the_runners_page(
    new_page, camera_browser, server, race, tmp_path
):
    async with httpx.AsyncClient(base_url=server.base) as http:
        reg = (await http.post(f"/api/v1/races/{race['id']}/registrations", json={
            "given_name": "دلشاد", "family_name": "کەریم", "gender": "male", "birth_date": "1991-05-05",
            "province": "IQ-SU", "phone": "+9647501112233", "consent": True})).json()  # fmt: skip

    # The runner's phone shows the check-in QR on their own page.
    runner = await new_page(**PHONE)
    await runner.goto(f"{server.base}/registrations/{reg['code']}")
    qr = runner.locator(".checkin-qr .qr svg")
    await qr.scroll_into_view_if_needed()
    await screenshot(runner, "check-in-qr-own-page-ar.png")
    video = tmp_path / "qr.y4m"
    y4m(await qr.screenshot(), video)

    # The volunteer's phone, its camera pointed at it.
    await make_user("volunteer", "scanner@example.test")
    browser = await camera_browser(video)
    context = await browser.new_context(**PHONE)
    page = await context.new_page()
    console = ConsoleErrors(page)
    await sign_in(page, server.base, "scanner@example.test")
    await page.goto(f"{server.base}/volunteer/races/{race['id']}")
    native = await page.evaluate("'BarcodeDetector' in window")
    await page.click("#scanner [data-scan=start]")
    await expect(page.locator("#scanner video")).to_be_visible()
    card = page.locator("#card")
    await expect(card.locator(".success")).to_have_text("تم تسجيل الحضور.", timeout=20_000)  # Checked in.
    assert await card.locator(".name").inner_text() == "دلشاد کەریم"
    assert await card.locator(".bib").inner_text() == str(reg["bib"])
    assert (await card.locator(".status").inner_text()).strip() == "مؤكَّد"  # Confirmed
    await expect(page.locator("#check-in-count")).to_have_text("سُجّل حضور 1 من 1")
    await expect(page.locator("#token")).to_have_value("")  # ready for the next runner's code
    await screenshot(page, "check-in-scanned-ar.png")
    # Which reader did it: the browser's own, or jsQR, loaded only for want of one (Debian's Chromium has none).
    assert await page.evaluate("typeof window.jsQR === 'function'") is not native

    # The QR leaves the picture and comes back: a second scan, told so.
    await expect(card.locator(".success")).to_have_text("تم تسجيل الحضور مسبقًا.", timeout=20_000)
    assert page.url == f"{server.base}/volunteer/races/{race['id']}"  # swapped in place, no reload
    async with httpx.AsyncClient(base_url=server.base) as http:
        listed = (await http.get(f"/api/v1/races/{race['id']}/registrations", headers=race["auth"])).json()
    assert [r["checked_in"] for r in listed if r["id"] == reg["id"]] == [True]

    await page.click("#scanner [data-scan=stop]")
    await expect(page.locator("#scanner video")).to_be_hidden()
    await context.close()
    assert console.errors == []
