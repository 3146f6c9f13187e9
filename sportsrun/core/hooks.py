"""Hooks: how a lower layer lets higher ones take part in what it does without importing them.

Imports point down only (README, "Layers"). When a lower domain must let a higher one react (a race's
capacity changes and the waitlist moves up) or contribute (the event page shows the podiums), the lower
domain declares a `Hook` and calls it; the higher domain connects its receiver when its module is
imported. Every receiver is awaited in turn, inside whatever transaction the caller holds."""

from collections.abc import Awaitable, Callable
from typing import Any

Receiver = Callable[..., Awaitable[Any]]


class Hook:
    def __init__(self, name: str):
        self.name = name
        self._receivers: list[Receiver] = []

    def connect(self, receiver: Receiver) -> Receiver:
        """Adds `receiver` (once, however often its module is imported); usable as a decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    async def send(self, *args: Any, **kwargs: Any) -> list[Any]:
        """Awaits every receiver in the order they connected; returns what each answered."""
        return [await receiver(*args, **kwargs) for receiver in self._receivers]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"
