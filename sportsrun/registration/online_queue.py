"""Online registrations for one race that arrive while a batch is being written wait and go in the next
batch together (writer.write_registrations): the race's lock and the round trips are paid per batch."""

import asyncio
from dataclasses import dataclass, field

from sportsrun.registration.writer import NewRegistration, Written, write_registrations

MAX_QUEUED_BATCH = 200


@dataclass
class _RaceQueue:
    waiting: list[tuple[NewRegistration, asyncio.Future]] = field(default_factory=list)
    draining: bool = False


class RegistrationQueue:
    """Per event loop: registrations for one race that arrive while a batch is being written wait and go
    in the next batch together."""

    def __init__(self) -> None:
        self._races: dict[int, _RaceQueue] = {}
        self._tasks: set[asyncio.Task] = set()

    async def submit(self, race_id: int, item: NewRegistration) -> Written:
        future = asyncio.get_running_loop().create_future()
        # If the client goes away before its batch is written, nobody awaits the outcome: mark it seen.
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        queue = self._races.setdefault(race_id, _RaceQueue())
        queue.waiting.append((item, future))
        if not queue.draining:
            queue.draining = True
            task = asyncio.get_running_loop().create_task(self._drain(race_id, queue))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await asyncio.shield(future)

    async def _drain(self, race_id: int, queue: _RaceQueue) -> None:
        try:
            while queue.waiting:
                batch = queue.waiting[:MAX_QUEUED_BATCH]
                del queue.waiting[:MAX_QUEUED_BATCH]
                await self._write(race_id, batch)
        finally:
            queue.draining = False
            if not queue.waiting:
                self._races.pop(race_id, None)

    @staticmethod
    async def _write(race_id: int, batch: list[tuple[NewRegistration, asyncio.Future]]) -> None:
        try:
            results = await write_registrations(race_id, [item for item, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            # One bad registration must not sink the others: write them one by one.
            for item, future in batch:
                try:
                    [result] = await write_registrations(race_id, [item])
                    future.set_result(result)
                except Exception as one:  # noqa: BLE001 - handed to the waiting request
                    future.set_exception(one)
            return
        for (_item, future), result in zip(batch, results, strict=True):
            future.set_result(result)


_queues: dict[asyncio.AbstractEventLoop, RegistrationQueue] = {}


def queue() -> RegistrationQueue:
    loop = asyncio.get_running_loop()
    if loop not in _queues:
        _queues.clear()  # a loop that is gone (tests) leaves nothing behind
        _queues[loop] = RegistrationQueue()
    return _queues[loop]
