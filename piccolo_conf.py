"""Piccolo's configuration: the engine from SPORTSRUN_DATABASE_URL and the app's tables.

Installed as a top-level module with the package, so `sportsrun` and `piccolo` find it from any
working directory."""

from piccolo.conf.apps import AppRegistry

from sportsrun.core.db.connections import engine_from_settings
from sportsrun.settings import get_settings

DB = engine_from_settings(get_settings())

APP_REGISTRY = AppRegistry(apps=["sportsrun.piccolo_app"])
