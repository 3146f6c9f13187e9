"""The suite runs against a real database: SQLite by default, PostgreSQL when SPORTSRUN_TEST_DB=postgres
(with SPORTSRUN_TEST_POSTGRES_URL). `make test` runs both when PostgreSQL is there; with CI=true a
missing PostgreSQL is a failure, not a skip."""

import os
import tempfile

import pytest
from hypothesis import settings

# The machine is shared (two cores, the suite on two databases, browsers): a per-example time limit
# fails good code when a neighbour is busy. Speed is measured in bench/, not here.
settings.register_profile("sportsrun", deadline=None)
settings.load_profile("sportsrun")

TEST_DB = os.environ.get("SPORTSRUN_TEST_DB", "sqlite")
_workdir = tempfile.mkdtemp(prefix="sportsrun-tests-")

if TEST_DB == "postgres":
    url = os.environ.get("SPORTSRUN_TEST_POSTGRES_URL")
    if not url:
        raise pytest.UsageError("SPORTSRUN_TEST_DB=postgres needs SPORTSRUN_TEST_POSTGRES_URL")
    os.environ["SPORTSRUN_DATABASE_URL"] = url
else:
    os.environ["SPORTSRUN_DATABASE_URL"] = f"sqlite:///{_workdir}/test.db"
os.environ["SPORTSRUN_SECRET_KEY"] = "test-secret-key-0123456789abcdef"
os.environ["SPORTSRUN_DEFAULT_LOCALE"] = "en"
os.environ["SPORTSRUN_REGISTRATION_RATE_LIMIT"] = "0"
os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")

from tests.support import reset_database, run_migrations  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
async def database():
    from sportsrun.core.db import connections
    from sportsrun.core.db import sql as db
    from sportsrun.settings import get_settings

    if TEST_DB == "postgres":
        await db.fetch("DROP SCHEMA public CASCADE")
        await db.fetch("CREATE SCHEMA public")
    await run_migrations()
    await connections.start(get_settings())
    yield
    await connections.stop()


@pytest.fixture(autouse=True)
async def clean_tables(database):
    yield
    await reset_database()
    from sportsrun.campaigns import state as campaign_state
    from sportsrun.core.web import page_cache
    from sportsrun.football import state as football_state
    from sportsrun.results import downloads, search, state

    # Ids start again after each test's reset: cached pages of an earlier test's race 1 must not show.
    await state.forget()
    page_cache.rendered.clear()
    downloads.store.clear()
    search.forget()
    football_state.forget()
    campaign_state.clear()


@pytest.fixture
def settings_env(monkeypatch):
    """Change SPORTSRUN_* settings for one test; they are read once per process otherwise."""
    from sportsrun.settings import get_settings

    def set_env(**values):
        for key, value in values.items():
            monkeypatch.setenv(f"SPORTSRUN_{key.upper()}", str(value))
        get_settings.cache_clear()

    yield set_env
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def app(database):
    from sportsrun.app import create_app

    return create_app()


@pytest.fixture
async def client(app):
    """The real app over ASGI on the test's own event loop (Litestar's test client runs it on another
    thread's loop, which a PostgreSQL pool cannot cross). The session fixture holds the database open."""
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver.local") as c:
        yield c


@pytest.fixture
def workdir():
    return _workdir
