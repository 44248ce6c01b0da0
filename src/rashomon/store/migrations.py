"""Versioned schema changes, applied in order and recorded.

Each migration is a named function; the ``_migrations`` table records which
have run, so opening an older workspace upgrades it and a new one is built by
running them all (the sqlite-utils ``Migrations`` idea, kept small).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

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
# queries plus the full record as JSON.  These are the tables of the *first*
# schema, frozen here as migration history: which tables exist today comes from
# the layer registry (``rashomon.layers``), and the store creates the tables of
# new layers on demand (``Store.ensure_record_tables``).
SPAN_TABLES = ("mentions", "timexes", "quotes", "events", "claims")
CORPUS_TABLES = ("stories", "contradictions", "framing", "coverage")


def create_span_table(conn: sqlite3.Connection, table: str) -> None:
    """A per-document record table: span columns for provenance queries plus JSON."""
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY, doc_id TEXT NOT NULL,"
        f" layer TEXT NOT NULL, start INTEGER, end INTEGER, data TEXT NOT NULL)"
    )
    conn.execute(f"CREATE INDEX IF NOT EXISTS {table}_doc ON {table}(doc_id)")


def create_corpus_table(conn: sqlite3.Connection, table: str) -> None:
    """A corpus-wide record table: id plus JSON, rewritten by its layer."""
    conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (id TEXT PRIMARY KEY, data TEXT NOT NULL)")


def review_key(kind: str, a: dict[str, Any], b: dict[str, Any]) -> str:
    """What a contradiction review is about: its kind and both sides' spans.

    Generated ids may change when a detector or the claim layer changes; the
    two evidence spans are what the analyst looked at, so a review re-attaches
    to whichever record later stands on the same two spans.
    """
    spans = sorted([[a.get("doc_id"), a.get("start"), a.get("end")],
                    [b.get("doc_id"), b.get("start"), b.get("end")]],
                   key=lambda s: (str(s[0]), s[1] if s[1] is not None else -1))
    return json.dumps([kind, *spans], separators=(",", ":"))


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
        create_span_table(conn, table)
    for table in CORPUS_TABLES:
        create_corpus_table(conn, table)
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


@migration("0003_reviews_removals_status")
def _reviews_apart(conn: sqlite3.Connection) -> None:
    """Reviews live apart from generated records; document removals are audited.

    * ``reviews`` is an append-only log keyed by what was reviewed (kind and
      both evidence spans, :func:`review_key`), not by a generated id, so a
      recomputation that rebuilds the contradictions re-attaches every review,
      and a review whose target is gone is kept (an orphan), never deleted.
      The old ``contradiction_reviews`` log is carried over row by row: a row
      whose contradiction still exists gets its span key; one whose record is
      already gone is kept under its old id (``id:<x>``) and listed as orphan.
      A status set before any log existed is carried over too.
    * ``removed_documents`` records each ``rashomon remove`` (what, when, why,
      how many derived rows went with it).
    * ``doc_status`` marks documents not analysed (e.g. too large), with the
      message shown to the user.
    """
    _script(
        conn,
        """
        CREATE TABLE reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            target TEXT NOT NULL,
            key TEXT NOT NULL,
            record_id TEXT,
            status TEXT NOT NULL,
            note TEXT,
            snapshot TEXT,
            at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE INDEX reviews_key ON reviews(target, key);
        CREATE TABLE removed_documents (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            doc_id TEXT NOT NULL,
            source TEXT, title TEXT, url TEXT, raw_hash TEXT,
            reason TEXT,
            derived TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        CREATE TABLE doc_status (
            doc_id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            message TEXT NOT NULL,
            fingerprint TEXT,
            at TEXT NOT NULL DEFAULT (datetime('now'))
        );
        ALTER TABLE contradictions ADD COLUMN review_key TEXT;
        CREATE INDEX contradictions_review_key ON contradictions(review_key)
        """,
    )
    current: dict[str, tuple[str, str]] = {}
    for cid, data in conn.execute("SELECT id, data FROM contradictions").fetchall():
        rec = json.loads(data)
        key = review_key(rec.get("kind", ""), rec.get("a") or {}, rec.get("b") or {})
        conn.execute("UPDATE contradictions SET review_key=? WHERE id=?", (key, cid))
        current[cid] = (key, snapshot(rec))
    logged: set[str] = set()
    for cid, status, note, at in conn.execute(
            "SELECT contradiction_id, status, note, at FROM contradiction_reviews ORDER BY rowid"
    ).fetchall():
        key, snap = current.get(cid, (f"id:{cid}", None))
        conn.execute("INSERT INTO reviews(target, key, record_id, status, note, snapshot, at)"
                     " VALUES ('contradiction',?,?,?,?,?,?)", (key, cid, status, note, snap, at))
        logged.add(cid)
    for cid, status in conn.execute("SELECT id, status FROM contradictions WHERE status != 'new'"
                                    ).fetchall():
        if cid not in logged:
            key, snap = current[cid]
            conn.execute("INSERT INTO reviews(target, key, record_id, status, note, snapshot)"
                         " VALUES ('contradiction',?,?,?,NULL,?)", (key, cid, status, snap))
    conn.execute("DROP TABLE contradiction_reviews")


@migration("0004_analyst_columns")
def _analyst_columns(conn: sqlite3.Connection) -> None:
    """Real columns for what analysts filter on; text stored once; FTS5 over ``documents``.

    Every record table is rebuilt in place (rowids kept) into the shape that
    :mod:`rashomon.store.schema` derives from the record classes and the
    declared column map; the JSON ``data`` keeps only the nested extras.  The
    search index becomes an external-content FTS5 table of ``documents``
    (kept current by triggers), so the body is stored once and Datasette
    offers a search box.  Later column declarations are applied the same way
    on open (:func:`rashomon.store.schema.sync`), without a new migration.
    """
    from rashomon.store import schema

    schema.sync(conn)


def snapshot(rec: dict[str, Any]) -> str:
    """The reviewed record's evidence, kept with the review so an orphan stays readable."""
    keep = ("doc_id", "start", "end", "text", "speaker", "outlet", "side")
    return json.dumps({"id": rec.get("id"), "kind": rec.get("kind"),
                       "a": {k: (rec.get("a") or {}).get(k) for k in keep},
                       "b": {k: (rec.get("b") or {}).get(k) for k in keep}},
                      ensure_ascii=False, sort_keys=True)


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
        if conn.execute("SELECT 1 FROM _migrations WHERE name=?", (name,)).fetchone():
            conn.execute("ROLLBACK")  # another process ran it while we waited for the lock
            continue
        try:
            fn(conn)
            conn.execute("INSERT INTO _migrations(name) VALUES (?)", (name,))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        ran.append(name)
    _sync_declared(conn)
    return ran


def _sync_declared(conn: sqlite3.Connection) -> None:
    """Apply column declarations made after the last migration (a no-op when current)."""
    from rashomon.store import schema

    if schema.up_to_date(conn):
        return
    conn.execute("BEGIN IMMEDIATE")  # sync() checks again under the lock: a no-op if done
    try:
        schema.sync(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM _migrations").fetchone()[0]
