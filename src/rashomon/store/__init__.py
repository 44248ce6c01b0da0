"""SQLite evidence base (PostgreSQL later, behind the same interface)."""

from rashomon.store.db import (
    DEFAULT_DB,
    ENV_DB,
    Store,
    StoreError,
    holds_writer_lock,
    resolve_db_path,
)

__all__ = ["DEFAULT_DB", "ENV_DB", "Store", "StoreError", "holds_writer_lock", "resolve_db_path"]
