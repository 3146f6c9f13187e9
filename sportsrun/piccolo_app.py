"""Piccolo app: every domain's tables, migrations beside this file."""

import os

from piccolo.conf.apps import AppConfig, table_finder

DOMAINS = ["accounts", "campaigns", "events", "registration", "bibs", "results", "timing", "core"]

APP_CONFIG = AppConfig(
    app_name="sportsrun",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=table_finder(modules=[f"sportsrun.{d}.tables" for d in DOMAINS], exclude_imported=True),
)
