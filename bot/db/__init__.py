"""The database connection and its migrations. SQL outside `store/` lives only here."""

from bot.db.connection import Database, DatabaseUnusable
from bot.db.migrate import DatabaseTooNew, MigrationError, migrate

__all__ = ["Database", "DatabaseUnusable", "DatabaseTooNew", "MigrationError", "migrate"]
