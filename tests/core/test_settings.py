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
