"""Piccolo app: every domain's tables, migrations beside this file."""

import os

from piccolo.conf.apps import AppConfig, table_finder

# Every module holding tables, lowest layer first.
TABLES = [
    "sportsrun.core.web.tables",
    "sportsrun.accounts.tables",
    "sportsrun.messages.tables",
    "sportsrun.events.tables",
    "sportsrun.registration.tables",
    "sportsrun.results.tables",
    "sportsrun.timing.tables",
    "sportsrun.football.tables",
    "sportsrun.campaigns.tables",
]

APP_CONFIG = AppConfig(
    app_name="sportsrun",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=table_finder(modules=TABLES, exclude_imported=True),
)
