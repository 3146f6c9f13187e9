"""Registrations safe to retry. A runner on a dropped phone connection, or a process that died after its
commit, leaves a registration saved but its answer (with the self-service code, shown once) unseen; the
retry would be refused as a duplicate. So a registration may carry an Idempotency-Key (the pages make one
when the form opens): the same key with the same body within a day returns the first answer again, code
included; the same key with another body is refused.

The first answer is kept encrypted with a key derived from the Idempotency-Key itself, which only the
client holds, and is found by a digest of it: the table alone gives no one a runner's code."""

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from sportsrun.core.errors import FieldError, InvalidInput
from sportsrun.core.i18n import gettext as _
from sportsrun.registration import queries

KEEP = dt.timedelta(hours=24)
HEADER = "Idempotency-Key"


@dataclass(frozen=True, slots=True)
class Retry:
    """What a registration needs to be answered the same way again."""

    key_hash: str  # finds the first answer
    body_hash: str  # tells a retry from another registration under the same key
    cipher_key: bytes  # opens the first answer; never stored

    def seal(self, answer: Mapping[str, Any]) -> bytes:
        nonce = os.urandom(12)
        return nonce + AESGCM(self.cipher_key).encrypt(nonce, json.dumps(answer).encode(), None)

    def open(self, sealed: bytes) -> dict:
        return json.loads(AESGCM(self.cipher_key).decrypt(sealed[:12], sealed[12:], None))


def retry_of(race_id: int, key: str | None, body: Mapping[str, Any]) -> Retry | None:
    """None without a key; a key is 1 to 255 visible ASCII characters (a UUID, say)."""
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        raise InvalidInput([FieldError(HEADER, _("Send an Idempotency-Key of 1 to 255 visible ASCII characters."))])
    scoped = f"{race_id}\0{key}".encode()
    canonical = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()
    return Retry(
        key_hash=hashlib.sha256(b"lookup\0" + scoped).hexdigest(),
        body_hash=hashlib.sha256(canonical).hexdigest(),
        cipher_key=hashlib.sha256(b"cipher\0" + scoped).digest(),
    )


def another_body() -> InvalidInput:
    message = _("This Idempotency-Key was already used for another registration: make a new key for this one.")
    return InvalidInput([FieldError(HEADER, message)])


async def first_answer(retry: Retry) -> dict | None:
    """The answer given to the first registration under this key, within the last day."""
    [answer] = await first_answers([retry])
    if isinstance(answer, InvalidInput):
        raise answer
    return answer


async def first_answers(retries: list[Retry]) -> list[dict | InvalidInput | None]:
    """For each retry, in one query: its first answer, the refusal of another body under its key, or None
    when its key is new."""
    kept = await queries.kept_answers([r.key_hash for r in retries], dt.datetime.now(dt.UTC) - KEEP)
    return answers_from(retries, {k: (r["body_hash"], r["answer"]) for k, r in kept.items()})


def answers_from(retries: list[Retry], kept: Mapping[str, tuple]) -> list[dict | InvalidInput | None]:
    """first_answers() from the kept (body hash, sealed answer) by key hash, read already."""
    out: list[dict | InvalidInput | None] = []
    for retry in retries:
        row = kept.get(retry.key_hash)
        if row is None:
            out.append(None)
        elif row[0] != retry.body_hash:
            out.append(another_body())
        else:
            out.append(retry.open(bytes(row[1])))
    return out
