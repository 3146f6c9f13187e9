"""The shape of the code a newcomer follows: small modules, and an upload that goes from the page to the
stored results without climbing back into a module it has left. (The layers themselves are checked by
`lint-imports` in `make lint`.)"""

import asyncio
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sportsrun
from tests.support import sign_in, soup, token_headers, xlsx
from tests.timing.support import race_with_runners, results

PACKAGE = Path(sportsrun.__file__).parent
MAX_LINES = 300
# Around every page: their `send` wrappers are called from inside the page's response, by design of ASGI.
MIDDLEWARE = {"sportsrun.core.web.security_headers", "sportsrun.core.web.locale", "sportsrun.core.web.access_log",
              "sportsrun.core.web.compression"}  # fmt: skip


def test_no_module_is_over_300_lines():
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in PACKAGE.rglob("*.py")
        if "piccolo_migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


class ClimbBacks:
    """Watches every call into sportsrun's modules, on every thread, and keeps each chain of modules that
    enters a module already on the stack below another one (A → B → A). The middleware around the page is
    left out of the chains."""

    def __init__(self) -> None:
        self.found: set[tuple[str, ...]] = set()
        self.seen: set[tuple[str, ...]] = set()

    def __call__(self, frame, event, _arg):
        if event != "call" or not frame.f_globals.get("__name__", "").startswith("sportsrun."):
            return
        chain: list[str] = []
        while frame is not None:
            name = frame.f_globals.get("__name__", "")
            if name.startswith("sportsrun.") and name not in MIDDLEWARE and (not chain or chain[-1] != name):
                chain.append(name)
            frame = frame.f_back
        self.seen.add(tuple(reversed(chain)))
        if len(set(chain)) != len(chain):
            self.found.add(tuple(reversed(chain)))

    def __enter__(self) -> "ClimbBacks":
        threading.setprofile(self)
        sys.setprofile(self)
        # Threads started before would not be watched: the work sent to threads goes to new ones.
        self.executor = ThreadPoolExecutor(max_workers=2)
        asyncio.get_running_loop().set_default_executor(self.executor)
        return self

    def __exit__(self, *_exc) -> None:
        sys.setprofile(None)
        threading.setprofile(None)
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor())
        self.executor.shutdown(wait=False)


async def test_an_upload_goes_from_the_page_to_the_stored_results_without_climbing_back(client):
    race = await race_with_runners(client, await token_headers(client, "organiser"), 4)
    token = await sign_in(client, "volunteer")
    sheet = xlsx([["Results"], ["Bib", "5K", "Time", "Chip time"], [1, "0:19:00", "0:40:00", "0:39:58"],
                  [2, None, "0:41:30", None], [3, "-", "DNF", None]])  # fmt: skip
    base = f"/volunteer/races/{race['id']}/results"
    with ClimbBacks() as watched:
        preview = await client.post(f"{base}/preview", data={"_csrf_token": token, "mode": "replace"},
                                    files={"file": ("times.xlsx", sheet)})  # fmt: skip
        form = soup(preview).select_one("form.commit")
        fields = {i["name"]: i.get("value", "") for i in form.select("input")}
        committed = await client.post(form["action"], data={**fields, "_csrf_token": token})
    assert preview.status_code == 200 and committed.status_code == 201
    assert sorted(r["status"] for r in (await results(race["id"])).values()) == ["DNF", "finished", "finished"]
    assert watched.found == set(), "\n".join(" → ".join(chain) for chain in sorted(watched.found)[:10])
    assert any("sportsrun.timing.sheet_rows" in chain for chain in watched.seen), "the threads were not watched"
