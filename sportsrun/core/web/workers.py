"""Serving with several worker processes, each listening on a socket of its own (SO_REUSEPORT).

uvicorn's `--workers` shares one listening socket, and the worker that wakes first accepts every
connection waiting (asyncio accepts up to the backlog per wake-up): clients that connect together, as a
start-line crowd or a load test does, all land on one process while the other idles (measured: 331 of 336
write transactions on one of two workers). With a socket per worker the kernel spreads new connections
over the workers by a hash of their addresses.

The parent binds the address first without listening, so that a taken port is reported once, and holds it
so nothing else takes it while the workers start; a bound socket that does not listen is given no
connections. A worker that dies is replaced; one that dies at start-up stops the whole server instead of
restarting forever."""

import multiprocessing
import signal
import socket
import sys
import time

EARLY_DEATH_S = 5.0
GRACE_S = 15.0


def _socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(options: dict) -> None:
    import uvicorn

    # Not listening yet: the server listens once the application has started, so that no connection
    # waits in the queue of a worker still starting (or restarting after a crash).
    sock = _socket(options["host"], options["port"])
    uvicorn.Server(uvicorn.Config(**options)).run(sockets=[sock])


class Workers:
    def __init__(self, count: int, options: dict):
        self.count, self.options = count, options
        self.context = multiprocessing.get_context("spawn")  # no fork of a process that may hold threads
        self.processes: dict[multiprocessing.Process, float] = {}
        self.stopping = False

    def _start(self) -> None:
        process = self.context.Process(target=_worker, args=(self.options,), name="sportsrun-worker")
        process.start()
        self.processes[process] = time.monotonic()

    def _stop(self, *_args) -> None:
        self.stopping = True

    def run(self) -> int:
        try:
            reserved = _socket(self.options["host"], self.options["port"])
        except OSError as exc:
            print(f"sportsrun: cannot listen on {self.options['host']}:{self.options['port']}: {exc}", file=sys.stderr)
            return 1
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        try:
            for _ in range(self.count):
                self._start()
            return self._watch()
        finally:
            self._end_all()
            reserved.close()

    def _watch(self) -> int:
        while not self.stopping:
            time.sleep(0.25)
            for process, started in list(self.processes.items()):
                if process.is_alive() or self.stopping:
                    continue
                del self.processes[process]
                if time.monotonic() - started < EARLY_DEATH_S:
                    print(f"sportsrun: a worker exited at start-up (code {process.exitcode})", file=sys.stderr)
                    return 1
                print(f"sportsrun: a worker exited (code {process.exitcode}); starting another", file=sys.stderr)
                self._start()
        return 0

    def _end_all(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        deadline = time.monotonic() + GRACE_S
        for process in self.processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
                process.join()
