"""Versioned schema changes, applied in order and recorded.

Each migration is a named function; the ``_migrations`` table records which
have run, so opening an older workspace upgrades it and a new one is built by
running them all (the sqlite-utils ``Migrations`` idea, kept small).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(fn: Migration) -> Migration:
        MIGRATIONS.append((name, fn))
        return fn

    return register


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run several statements inside the caller's transaction.

    ``executescript`` would commit first, breaking the all-or-nothing migration.
    """
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)


# Per-document record tables share one shape: span columns for provenance
# queries plus the full record as JSON.
SPAN_TABLES = ("mentions", "timexes", "quotes", "events", "claims")
CORPUS_TABLES = ("stories", "contradictions", "framing", "coverage")


@migration("0001_initial")
def _initial(conn: sqlite3.Connection) -> None:
    _script(
        conn,
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            title TEXT, publisher TEXT, author TEXT, url TEXT,
            published TEXT, published_inferred INTEGER NOT NULL DEFAULT 0,
            language TEXT, side TEXT, input_kind TEXT,
            raw_hash TEXT, duplicate_of TEXT,
            text TEXT NOT NULL,
            data TEXT NOT NULL,
            ingested_at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE INDEX documents_raw_hash ON documents(raw_hash);
        CREATE TABLE inputs (
            source TEXT NOT NULL,
            item TEXT NOT NULL,
            doc_id TEXT,
            status TEXT NOT NULL,
            message TEXT,
            at TEXT NOT NULL DEFAULT (datetime('now')),
            PRIMARY KEY (source, item)
        );
        CREATE TABLE near_duplicates (
            doc_id TEXT NOT NULL,
            other_id TEXT NOT NULL,
            similarity REAL NOT NULL,
            kind TEXT NOT NULL,
            PRIMARY KEY (doc_id, other_id)
        );
        CREATE VIRTUAL TABLE documents_fts USING fts5(
            doc_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            origin TEXT,
            data TEXT NOT NULL
        );
        CREATE TABLE layer_runs (
            layer TEXT NOT NULL,
            doc_id TEXT NOT NULL,
            version TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            ran_at TEXT NOT NULL DEFAULT (datetime('now')),
            PRIMARY KEY (layer, doc_id)
        );
        CREATE TABLE contradiction_reviews (
            contradiction_id TEXT NOT NULL,
            status TEXT NOT NULL,
            note TEXT,
            at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        """
    )
    for table in SPAN_TABLES:
        conn.execute(
            f"CREATE TABLE {table} (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, layer TEXT NOT NULL,"
            f" start INTEGER, end INTEGER, data TEXT NOT NULL)"
        )
        conn.execute(f"CREATE INDEX {table}_doc ON {table}(doc_id)")
    for table in CORPUS_TABLES:
        conn.execute(f"CREATE TABLE {table} (id TEXT PRIMARY KEY, data TEXT NOT NULL)")
    conn.execute("ALTER TABLE contradictions ADD COLUMN status TEXT NOT NULL DEFAULT 'new'")


@migration("0002_fts_keyed_by_rowid")
def _fts_by_rowid(conn: sqlite3.Connection) -> None:
    """Key the search index by the documents' rowid.

    0001 looked rows up by an UNINDEXED ``doc_id`` column, so refreshing one
    document's index entry scanned the whole index; rowid lookups are direct.
    """
    conn.execute("DROP TABLE documents_fts")
    conn.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5("
        "doc_id UNINDEXED, title, text, tokenize = 'unicode61 remove_diacritics 2')"
    )
    conn.execute(
        "INSERT INTO documents_fts(rowid, doc_id, title, text)"
        " SELECT rowid, id, coalesce(title, ''), text FROM documents"
    )


def apply(conn: sqlite3.Connection) -> list[str]:
    """Run pending migrations, each in its own transaction; return their names."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY,"
        " applied_at TEXT NOT NULL DEFAULT (datetime('now')))"
    )
    done = {r[0] for r in conn.execute("SELECT name FROM _migrations")}
    ran = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            fn(conn)
            conn.execute("INSERT INTO _migrations(name) VALUES (?)", (name,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        ran.append(name)
    return ran


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM _migrations").fetchone()[0]
