from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T08:01:56:757054"
VERSION = "1.38.0"
DESCRIPTION = "rate counters keep the previous window"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="sportsrun", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="RateCounter",
        tablename="rate_counter",
        column_name="previous_count",
        db_column_name="previous_count",
        column_class_name="Integer",
        column_class=Integer,
        params={
            "default": 0,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
