"""Long work on a worker's event loop broken up so that other requests get their turn.

A bulk import checks and writes 50,000 rows in one request; done in one go it held the worker's loop for
1.7 s, and every page that worker was serving waited as long. Its loops ask `due()` at each row or
statement and yield to the loop when it says so: a budget of time, not a count of rows, since rows differ
in width and machines in speed."""

import time

TURN_S = 0.005  # a request needs several turns of the loop: each may wait this long
BULK = 2000  # rows from which work is bulk: its pure part goes to a thread (online batches stay inline)


def bulk(rows: int) -> bool:
    """Whether work on `rows` rows is an import's, done off the loop where it can be."""
    return rows > BULK


class Turns:
    """`if turns.due(): await asyncio.sleep(0)`: true once `every_s` has passed since it last was."""

    __slots__ = ("every", "last")

    def __init__(self, every_s: float | None = None) -> None:
        self.every, self.last = TURN_S if every_s is None else every_s, time.perf_counter()

    def due(self) -> bool:
        now = time.perf_counter()
        if now - self.last < self.every:
            return False
        self.last = now
        return True
