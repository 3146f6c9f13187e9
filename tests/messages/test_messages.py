"""The notifier: confirmations through a local SMTP server and a fake SMS gateway in ar, ckb and en, the
outbox when nothing is configured, retries, and claims that keep two senders from sending one twice."""

import asyncio
import datetime as dt
import re

import pytest

from sportsrun.core.db import sql as db
from sportsrun.core.i18n import gettext, in_locale
from sportsrun.messages import sender, services
from tests.messages.local_servers import Gateway, SmtpServer
from tests.support import count, make_race, register, runner, sign_in, token_headers

LINK_LINE = "Your private link, to see, fix or cancel your registration (do not share it):"


@pytest.fixture
async def race(client):
    return await make_race(client, await token_headers(client, "organiser"), name="10 km")


async def register_in(client, race_id: int, language: str, **overrides):
    return await client.post(
        f"/api/v1/races/{race_id}/registrations", json=runner(**overrides), headers={"Accept-Language": language}
    )


def translated(language: str, message: str) -> str:
    with in_locale(language):
        return gettext(message)


async def outbox() -> list[dict]:
    return await db.fetch("SELECT * FROM outbox_message ORDER BY id")


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
async def test_confirmation_by_email_in_the_registrations_language(client, race, settings_env, language):
    with SmtpServer() as smtp:
        settings_env(email_url=f"smtp://127.0.0.1:{smtp.port}?from=runs@example.org")
        r = await register_in(client, race["id"], language, email=f"zainab.{language}@example.org", phone=None)
        assert r.status_code == 201, r.text
        answer = r.json()
        own = (await client.get(f"/api/v1/registrations/{answer['code']}")).json()
        assert own["language"] == language
        assert await sender.run_once() == 1
        await asyncio.sleep(0)
    [message] = smtp.inbox.messages
    assert smtp.inbox.envelopes == [("runs@example.org", [f"zainab.{language}@example.org"])]
    assert message["Content-Language"] == language
    body = message.get_content()
    assert f"http://127.0.0.1:8000/registrations/{answer['code']}" in body
    assert str(answer["bib"]) in body and "10 km" in body and "Baghdad Peace Run" in body
    assert translated(language, LINK_LINE) in body
    if language != "en":
        assert translated(language, LINK_LINE) != LINK_LINE  # really translated, not the English fallback
        assert re.search(r"[\u0600-\u06FF]", message["Subject"])
    [row] = await outbox()
    assert (row["state"], row["channel"], row["language"], row["attempts"]) == ("sent", "email", language, 1)


async def test_confirmation_by_sms_through_the_gateway(client, race, settings_env):
    async with Gateway() as gateway:
        settings_env(sms_url=gateway.url())
        r = await register_in(client, race["id"], "ckb", phone="0770 123 4567")
        assert r.status_code == 201
        assert await sender.run_once() == 1
    [sms] = gateway.received
    assert set(sms) == {"to", "text"}
    assert sms["to"] == "+9647701234567"
    assert f"/registrations/{r.json()['code']}" in sms["text"]
    assert translated("ckb", LINK_LINE) in sms["text"]
    assert gateway.authorizations == [Gateway.basic()]  # the credentials of the address, not in the path
    assert (await outbox())[0]["state"] == "sent"


async def test_a_waitlisted_runner_is_told_their_place(client, settings_env):
    race = await make_race(client, await token_headers(client, "organiser"), capacity=1)
    await register(client, race["id"])
    r = await register(client, race["id"])
    assert r.json()["status"] == "waitlisted"
    rows = await outbox()
    assert len(rows) == 2 and "number 1 on the waitlist" in rows[1]["body"]


async def test_imported_entrants_get_no_confirmation(client, race):
    from tests.support import xlsx

    headers = await token_headers(client, "organiser", "importer@example.test")
    sheet = xlsx(
        [
            ["given_name", "family_name", "gender", "birth_date", "province", "phone"],
            ["Ali", "Hassan", "male", "1990-01-01", "IQ-BG", "07701112233"],
        ]
    )
    r = await client.post(
        f"/api/v1/races/{race['id']}/registrations/imports", headers=headers, files={"file": ("e.xlsx", sheet)}
    )
    assert r.status_code == 201, r.text
    assert await count("outbox_message") == 0


async def test_with_nothing_configured_messages_wait_for_admins(client, race):
    r = await register(client, race["id"], phone="07709998877")
    assert r.status_code == 201
    assert await sender.run_once() == 0  # no transport: nothing is claimed
    [row] = await outbox()
    assert (row["state"], row["attempts"], row["channel"], row["recipient"]) == ("pending", 0, "sms", "+9647709998877")

    await sign_in(client, "organiser")
    assert (await client.get("/organiser/messages")).status_code == 403
    await client.post("/logout", data={})
    client.cookies.clear()
    assert (await client.get("/organiser/messages")).status_code in (302, 303)  # signing in first
    await sign_in(client, "admin")
    page = await client.get("/organiser/messages")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "+9647709998877" in page.text and r.json()["code"] in page.text
    assert "No email server or SMS gateway is configured" in page.text


async def test_a_failing_transport_is_tried_again_later(client, race, settings_env, caplog):
    async with Gateway(statuses=[503, 500]) as gateway:
        settings_env(sms_url=gateway.url())
        await register(client, race["id"], phone="07701230000")
        now = dt.datetime.now(dt.UTC)
        assert await sender.send_due(now) == 1
        [row] = await outbox()
        assert (row["state"], row["attempts"], row["error"]) == ("pending", 1, "SMS gateway answered 503")
        assert await sender.send_due(now + dt.timedelta(seconds=10)) == 0  # not due before its wait
        assert await sender.send_due(now + dt.timedelta(seconds=31)) == 1
        assert (await outbox())[0]["attempts"] == 2
        assert await sender.send_due(now + dt.timedelta(seconds=31 + 61)) == 1
    [row] = await outbox()
    assert (row["state"], row["attempts"], row["error"]) == ("sent", 3, "")
    assert len(gateway.received) == 3
    assert "+9647701230000" not in caplog.text and "registrations/" not in caplog.text  # nothing personal logged


async def test_a_message_is_given_up_after_its_last_attempt(client, settings_env):
    async with Gateway(statuses=[500] * sender.MAX_ATTEMPTS) as gateway:
        settings_env(sms_url=gateway.url())
        async with db.write_transaction():
            await services.enqueue([services.Message("sms", "+9647700000001", "en", "", "hello")])
        now = dt.datetime.now(dt.UTC)
        for _ in range(sender.MAX_ATTEMPTS):
            now += dt.timedelta(hours=2)
            assert await sender.send_due(now) == 1
    [row] = await outbox()
    assert (row["state"], row["attempts"]) == ("failed", sender.MAX_ATTEMPTS)


async def _queue(n: int) -> None:
    async with db.write_transaction():
        await services.enqueue(
            [services.Message("sms", f"+96477000{i:05d}", "en", "", f"message {i}") for i in range(n)]
        )


async def test_two_senders_at_once_never_send_one_message_twice(settings_env):
    async with Gateway(delay=0.01) as gateway:
        settings_env(sms_url=gateway.url())
        await _queue(3 * sender.BATCH + 5)
        while await count("outbox_message", "state = 'pending'"):
            claimed = await asyncio.gather(*(sender.send_due() for _ in range(3)))
            assert sum(claimed) > 0
    texts = [m["text"] for m in gateway.received]
    assert len(texts) == len(set(texts)) == 3 * sender.BATCH + 5
    assert await count("outbox_message", "state = 'sent' AND attempts = 1") == 3 * sender.BATCH + 5


async def test_a_claim_that_runs_out_lets_another_sender_take_the_message(settings_env):
    async with Gateway() as gateway:
        settings_env(sms_url=gateway.url())
        await _queue(1)
        now = dt.datetime.now(dt.UTC)
        from sportsrun.messages import queries

        async with db.write_transaction():  # a worker claims it, then dies before sending
            assert len(await queries.claim(["sms"], "dead-worker", now, now + sender.LEASE, 10)) == 1
        assert await sender.send_due(now + dt.timedelta(seconds=1)) == 0  # still held
        assert await sender.send_due(now + sender.LEASE + dt.timedelta(seconds=1)) == 1
    assert len(gateway.received) == 1
    assert (await outbox())[0]["state"] == "sent"


async def test_the_loop_sends_what_a_registration_queued(client, race, settings_env):
    """The worker's loop, woken by the registration, sends without anyone calling it."""
    async with Gateway() as gateway:
        settings_env(sms_url=gateway.url())
        async with sender.running():
            await register(client, race["id"], phone="07705550000")
            for _ in range(200):
                if gateway.received:
                    break
                await asyncio.sleep(0.05)
    assert [m["to"] for m in gateway.received] == ["+9647705550000"]


SENDER_PROCESS = """
import asyncio, sys
from sportsrun.core.db import connections
from sportsrun.messages import sender
from sportsrun.settings import get_settings

async def main():
    await connections.start(get_settings())
    claimed = 0
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    try:
        while n := await sender.send_due():
            claimed += n
    finally:
        await connections.stop()
    print(claimed)

asyncio.run(main())
"""


async def test_two_worker_processes_never_send_one_message_twice(settings_env):
    """Two processes on one database, as two workers or two hosts are, each sending until nothing is due."""
    import os
    import sys

    async with Gateway(delay=0.05) as gateway:
        settings_env(sms_url=gateway.url())
        await _queue(4 * sender.BATCH)
        env = {**os.environ, "SPORTSRUN_SMS_URL": gateway.url()}
        workers = [await asyncio.create_subprocess_exec(sys.executable, "-c", SENDER_PROCESS, env=env,
                   stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE) for _ in range(2)]  # fmt: skip
        for w in workers:
            assert (await w.stdout.readline()).strip() == b"ready"
        outputs = await asyncio.gather(*(w.communicate(b"go\n") for w in workers))
        assert [w.returncode for w in workers] == [0, 0]
    claimed = [int(out.decode().split()[-1]) for out, _err in outputs]
    assert sum(claimed) == 4 * sender.BATCH and min(claimed) > 0  # both took part
    texts = [m["text"] for m in gateway.received]
    assert len(texts) == len(set(texts)) == 4 * sender.BATCH
    assert await count("outbox_message", "state = 'sent' AND attempts = 1") == 4 * sender.BATCH


async def test_the_confirmation_links_the_check_in_qr_and_nothing_else(client, race):
    """A text message cannot carry the QR: it links an image of it, addressed by the check-in token only."""
    import io

    from PIL import Image

    r = await register(client, race["id"])
    code = r.json()["code"]
    token = (await client.get(f"/api/v1/registrations/{code}")).json()["checkin_token"]
    body = (await outbox())[0]["body"]
    link = re.search(r"https?://\S+/check-in/(\S+)/qr\.png", body)
    assert link and link.group(1) == token and code not in link.group(0)
    image = await client.get(f"/check-in/{token}/qr.png")
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(image.content)).size[0] > 100
    assert image.headers["cache-control"] == "no-store"
    assert (await client.get(f"/check-in/{token[:-2]}xx/qr.png")).status_code == 404
    assert (await client.delete(f"/api/v1/registrations/{code}")).status_code == 204
    assert (await client.get(f"/check-in/{token}/qr.png")).status_code == 404


async def test_each_person_of_a_group_gets_a_confirmation_in_the_groups_language(client, race):
    people = [{k: v for k, v in runner(given_name=name, birth_date=born).items() if k not in ("phone", "email")}
              for name, born in (("Rami", "2012-03-04"), ("Huda", "2014-05-06"))]  # fmt: skip
    for person in people:
        person["guardian_name"] = "Mona Hamid"
    r = await client.post(f"/api/v1/races/{race['id']}/registrations/groups", headers={"Accept-Language": "ckb"},
                          json={"phone": "+9647701234567", "people": people})  # fmt: skip
    assert r.status_code == 201, r.text
    rows = await outbox()
    assert [(m["recipient"], m["language"]) for m in rows] == [("+9647701234567", "ckb")] * 2
    codes = [p["code"] for p in r.json()["registrations"]]
    assert all(code in m["body"] for code, m in zip(codes, rows, strict=True))


async def test_sent_messages_are_forgotten_after_thirty_days(client, race, settings_env):
    """They hold private links: an admin can look at them for a month, then they are gone."""
    async with Gateway() as gateway:
        settings_env(sms_url=gateway.url())
        await register(client, race["id"], phone="07705550001")
        await register(client, race["id"], phone="07705550002")
        await sender.run_once()
    assert await count("outbox_message", "state = 'sent'") == 2
    old = dt.datetime.now(dt.UTC) - sender.SENT_KEPT - dt.timedelta(hours=1)
    first = (await outbox())[0]["id"]
    await db.fetch("UPDATE outbox_message SET sent_at = {} WHERE id = {}", old, first)
    sender._last_sweep = None
    await sender.run_once()
    assert [m["recipient"] for m in await outbox()] == ["+9647705550002"]
