import pytest

from sportsrun.settings import ConfigError, load


def test_database_urls_as_sqlalchemy_writes_them(monkeypatch, tmp_path):
    monkeypatch.setenv("SPORTSRUN_DATABASE_URL", f"sqlite:///{tmp_path}/a.db")
    assert load().sqlite_path == f"{tmp_path}/a.db"  # sqlite:////abs → /abs
    monkeypatch.setenv("SPORTSRUN_DATABASE_URL", "sqlite:///relative.db")
    assert load().sqlite_path == "relative.db" and load().is_sqlite
    monkeypatch.setenv("SPORTSRUN_DATABASE_URL", "postgresql://u:p@h:5432/d")
    assert not load().is_sqlite


def test_defaults_and_bad_values(monkeypatch):
    for name in ("MAX_UPLOAD_MB", "REGISTRATION_RATE_LIMIT", "LOGIN_RATE_LIMIT", "DEFAULT_LOCALE"):
        monkeypatch.delenv(f"SPORTSRUN_{name}", raising=False)
    settings = load()
    assert (
        settings.default_locale,
        settings.max_upload_mb,
        settings.registration_rate_limit,
        settings.login_rate_limit,
    ) == ("ar", 10, 60, 10)
    monkeypatch.setenv("SPORTSRUN_MAX_UPLOAD_MB", "ten")
    with pytest.raises(ConfigError, match="SPORTSRUN_MAX_UPLOAD_MB"):
        load()
    monkeypatch.setenv("SPORTSRUN_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("SPORTSRUN_DEFAULT_LOCALE", "fr")
    with pytest.raises(ConfigError, match="SPORTSRUN_DEFAULT_LOCALE"):
        load()


def test_postgresql_needs_a_secret_key(monkeypatch):
    monkeypatch.setenv("SPORTSRUN_DATABASE_URL", "postgresql://u:p@h:5432/d")
    monkeypatch.delenv("SPORTSRUN_SECRET_KEY")
    with pytest.raises(ConfigError, match="SPORTSRUN_SECRET_KEY"):
        load()


def test_pool_and_timeouts(monkeypatch):
    for name in ("DB_POOL_MIN", "DB_POOL_MAX", "DB_CONNECT_TIMEOUT", "DB_COMMAND_TIMEOUT", "DB_STATEMENT_CACHE_SIZE"):
        monkeypatch.delenv(f"SPORTSRUN_{name}", raising=False)
    s = load()
    assert (s.db_pool_min, s.db_pool_max, s.db_connect_timeout_s, s.db_command_timeout_s) == (2, 20, 10.0, None)
    assert s.db_statement_cache_size == 100
    monkeypatch.setenv("SPORTSRUN_DB_POOL_MIN", "1")
    monkeypatch.setenv("SPORTSRUN_DB_POOL_MAX", "5")
    monkeypatch.setenv("SPORTSRUN_DB_COMMAND_TIMEOUT", "30")
    monkeypatch.setenv("SPORTSRUN_DB_STATEMENT_CACHE_SIZE", "0")
    s = load()
    assert (s.db_pool_min, s.db_pool_max, s.db_command_timeout_s, s.db_statement_cache_size) == (1, 5, 30.0, 0)
    monkeypatch.setenv("SPORTSRUN_DB_POOL_MIN", "6")
    with pytest.raises(ConfigError, match="SPORTSRUN_DB_POOL_MIN"):
        load()
    monkeypatch.setenv("SPORTSRUN_DB_POOL_MIN", "1")
    monkeypatch.setenv("SPORTSRUN_DB_CONNECT_TIMEOUT", "0")
    with pytest.raises(ConfigError, match="SPORTSRUN_DB_CONNECT_TIMEOUT"):
        load()


def test_postgres_connections_get_the_settings(monkeypatch):
    from sportsrun.core.db.connections import postgres_config

    monkeypatch.setenv("SPORTSRUN_DATABASE_URL", "postgres://u:p@h:5432/d")
    monkeypatch.setenv("SPORTSRUN_DB_STATEMENT_CACHE_SIZE", "0")
    monkeypatch.setenv("SPORTSRUN_DB_CONNECT_TIMEOUT", "2.5")
    config = postgres_config(load())
    assert config["dsn"] == "postgresql://u:p@h:5432/d"
    assert (config["statement_cache_size"], config["timeout"]) == (0, 2.5)


async def test_postgresql_plans_each_statement_for_the_table_as_it_is():
    from sportsrun.core.db import connections
    from sportsrun.core.db import sql as db

    if connections.is_sqlite():
        pytest.skip("PostgreSQL's plan cache")
    [row] = await db.fetch("SHOW plan_cache_mode")
    assert row["plan_cache_mode"] == "force_custom_plan"
