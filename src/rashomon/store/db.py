"""The evidence base: one SQLite file per workspace.

Every write that belongs together happens in one transaction, so a process
killed mid-run leaves the store as it was before that item, and a rerun picks
up where it stopped.  WAL mode keeps readers (search, report) working while an
ingest runs.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from filelock import FileLock, Timeout

from rashomon.model import Document, Entity, Record
from rashomon.store import migrations, schema

log = logging.getLogger("rashomon.store")
REVIEW_STATUSES = ("new", "confirmed", "rejected")
R = TypeVar("R", bound=Record)

DEFAULT_DB = "rashomon.db"
ENV_DB = "RASHOMON_DB"


class StoreError(Exception):
    """A problem with the workspace database that the user can act on."""


def resolve_db_path(path: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` wins, then ``$RASHOMON_DB``, then ``./rashomon.db``."""
    if path:
        return Path(path)
    env = os.environ.get(ENV_DB)
    return Path(env) if env else Path(DEFAULT_DB)


def _record_fields(obj: Any) -> Any:
    """JSON fallback: a record serialises as its fields (no intermediate dict copies)."""
    if isinstance(obj, Record):
        return obj.__dict__
    if isinstance(obj, tuple | set | frozenset):
        return list(obj)
    raise TypeError(f"cannot store {type(obj).__name__}")


# One encoder for every write: json.dumps with these arguments builds a new
# JSONEncoder per call, which showed in profiles of analysis writes.
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_record_fields).encode


def _dump(obj: Any) -> str:
    """Canonical JSON of a record or plain value (sorted keys, UTF-8 kept)."""
    return _ENCODE(obj.__dict__ if isinstance(obj, Record) else obj)


def _loads_many(texts: list[str]) -> list[Any]:
    """``[json.loads(t) for t in texts]`` in one decoder call (stored rows are JSON values)."""
    if not texts:
        return []
    return json.loads("[" + ",".join(texts) + "]")


P = ParamSpec("P")
T = TypeVar("T")


def holds_writer_lock(fn: Callable[P, T]) -> Callable[P, T]:
    """Run ``fn(store, ...)`` holding ``store``'s writer lock (see :meth:`Store.writer_lock`).

    For whole runs that read the store to decide what to write (ingest's
    near-duplicate index, analysis and its corpus layers).
    """
    @functools.wraps(fn)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        store = kwargs["store"] if "store" in kwargs else args[0]
        if not isinstance(store, Store):
            raise TypeError(f"{fn.__name__}: first argument must be a Store")
        with store.writer_lock():
            return fn(*args, **kwargs)

    return run


class Store:
    """Library front door to the workspace database.

    The CLI only opens a ``Store`` and calls its methods, so a Python user gets
    the same operations (the sqlite-utils pattern).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = resolve_db_path(path) if str(path) != ":memory:" else Path(":memory:")
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=30)
            self.conn.row_factory = sqlite3.Row
            if str(self.path) != ":memory:":
                self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            # Foreign keys are declared (Datasette links them, ``PRAGMA foreign_key_check``
            # audits them) but not enforced: entity ids of events may name an entity
            # stored only after the analysis (discovered entities), and the store's
            # own methods keep doc_id links whole (see remove_documents).
            self.conn.execute("PRAGMA foreign_keys=OFF")
            migrations.apply(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable Rashomon database ({exc})") from exc
        self._depth = 0
        self._lock: FileLock | None = None
        self._span_tables: set[str] = set()
        self._corpus_tables: set[str] = set()
        self._discover_tables()

    # -- plumbing -----------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing block; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")
        finally:
            self._depth = 0

    @contextmanager
    def writer_lock(self, on_wait: Callable[[str], None] | None = None,
                    timeout: float | None = None) -> Iterator[None]:
        """Hold the workspace's writer lock: one ingest/analyze/remove run at a time.

        Each write is already transactional, but a run also *reads* the store
        to decide what to write (the near-duplicate index, the corpus layers'
        inputs); two runs interleaving would each miss the other's documents.
        So a run takes this lock, and a second run waits for it, saying so
        once (``on_wait``, else a warning on the ``rashomon.store`` logger).
        The lock is an OS file lock on ``<db>.lock`` (``filelock``): released
        when the holder exits, even on ``kill -9``.  Nested use on one
        ``Store`` is re-entrant (two ``Store`` objects of one file in one
        process would wait on each other: share the Store).  Readers never
        take it (WAL keeps them going).

        :param timeout: give up with :class:`StoreError` after this many
            seconds (default: wait as long as it takes).
        """
        if str(self.path) == ":memory:":
            yield
            return
        if self._lock is None:
            self._lock = FileLock(str(self.path) + ".lock")
        lock = self._lock
        try:
            lock.acquire(timeout=0)
        except Timeout:
            msg = (f"waiting for another rashomon process that is writing to {self.path} "
                   f"(lock {lock.lock_file}) ...")
            (on_wait or log.warning)(msg)
            try:
                lock.acquire(timeout=-1 if timeout is None else timeout)
            except Timeout as exc:
                raise StoreError(f"{self.path}: still locked by another process after "
                                 f"{timeout:g} s; try again when it has finished") from exc
        try:
            yield
        finally:
            lock.release()

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.conn)

    # -- record tables ------------------------------------------------------
    def _discover_tables(self) -> None:
        """Which record tables this workspace has, read from its schema.

        A span table has ``id, doc_id, layer, start, end`` and ``data``
        columns; a corpus table ``id`` and ``data`` without ``layer`` (see
        :func:`rashomon.store.schema.table_kind`).  The layer registry decides
        which should exist (:meth:`ensure_record_tables`); the store only
        serves the ones that do, so it needs no copy of the list.
        """
        kinds = schema.existing_tables(self.conn)
        self._span_tables = {t for t, k in kinds.items() if k == "span"}
        self._corpus_tables = {t for t, k in kinds.items() if k == "corpus"}

    def _schema(self, table: str) -> schema.TableSchema:
        """The column layout of an existing record table (documents and entities included)."""
        if table in ("documents", "entities"):
            return schema.table_schema(table, table)
        if table in self._span_tables:
            return schema.table_schema(table, "span")
        if table in self._corpus_tables:
            return schema.table_schema(table, "corpus")
        raise StoreError(f"unknown record table {table!r}")

    def ensure_record_tables(self, span: Iterable[str], corpus: Iterable[str]) -> None:
        """Create the record tables the layer registry names that are missing (idempotent).

        Each gets the columns its record class and :data:`rashomon.layers.TABLE_COLUMNS`
        declare, and the views that join it are created once all their tables exist.
        """
        span, corpus = list(span), list(corpus)
        missing = [t for t in span if t not in self._span_tables] + \
            [t for t in corpus if t not in self._corpus_tables]
        if not missing:
            return
        for t in missing:
            if not t.isidentifier():
                raise StoreError(f"bad record table name {t!r}")
        with self.transaction() as c:
            for t in span:
                schema.create_table(c, t, "span")
            for t in corpus:
                schema.create_table(c, t, "corpus")
            schema.create_views(c)
        self._discover_tables()

    @property
    def span_tables(self) -> set[str]:
        return set(self._span_tables)

    @property
    def corpus_tables(self) -> set[str]:
        return set(self._corpus_tables)

    def record_counts(self, tables: Iterable[str]) -> dict[str, int]:
        """Row count of each named record table (0 for one not created yet)."""
        known = self._span_tables | self._corpus_tables
        return {t: (self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                    if t in known else 0) for t in tables}

    # -- documents ----------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is not None

    def put_document(self, doc: Document) -> bool:
        """Insert or refresh a document; the search index follows by trigger. True if new.

        A refreshed document's outlet and camp are carried to the columns of
        its records that repeat them (events.outlet, quotes.camp, ...).
        """
        new = not self.has_document(doc.id)
        ts = schema.table_schema("documents", "documents")
        cols = [c.name for c in ts.columns] + ["data"]
        names = ", ".join(f'"{c}"' for c in cols)
        update = ", ".join(f'"{c}"=excluded."{c}"' for c in cols if c != "id")
        with self.transaction() as c:
            c.execute(f"INSERT INTO documents({names}) VALUES ({', '.join('?' * len(cols))})"
                      f" ON CONFLICT(id) DO UPDATE SET {update}", ts.split(doc))
            if not new:
                values = {"publisher": doc.publisher, "side": doc.side}
                for t in sorted(self._span_tables):
                    dcols = [x for x in self._schema(t).columns if x.document]
                    if dcols:
                        c.execute(f"UPDATE {t} SET "
                                  + ", ".join(f'"{x.name}"=?' for x in dcols) + " WHERE doc_id=?",
                                  [values.get(x.document) for x in dcols] + [doc.id])
        return new

    def _documents(self, where: str, args: Iterable[Any]) -> list[Document]:
        ts = schema.table_schema("documents", "documents")
        cur = self.conn.cursor()
        cur.row_factory = None
        rows = cur.execute(f"SELECT {ts.select()} FROM documents WHERE {where}",
                           tuple(args)).fetchall()
        extras = _loads_many([r[-1] for r in rows])
        return [Document.from_dict(ts.join_values(r[:-1], x))
                for r, x in zip(rows, extras, strict=True)]

    def get_document(self, ref: str) -> Document:
        """Fetch by full id or a unique id prefix (like git), or by source path/URL."""
        rows = self._documents("id=? OR source=? OR url=?", (ref, ref, ref))
        if not rows:
            rows = self._documents("id LIKE ? LIMIT 2", (ref + "%",))
        if not rows:
            raise StoreError(f"no document matches {ref!r}; try `rashomon search` or `rashomon export`")
        if len(rows) > 1:
            raise StoreError(f"{ref!r} matches several documents; give more of the id")
        return rows[0]

    def iter_documents(self, include_duplicates: bool = True) -> Iterator[Document]:
        ids = self.document_ids(include_duplicates)
        for i in range(0, len(ids), 256):  # chunks: flat memory, no cursor held across writes
            yield from self.documents_by_id(ids[i:i + 256])

    def document_texts(self, include_duplicates: bool = True) -> Iterator[tuple[str, str]]:
        """(id, cleaned body) of every document, without decoding the full records.

        For corpus layers that only read the text; chunked like :meth:`iter_documents`.
        """
        ids = self.document_ids(include_duplicates)
        for i in range(0, len(ids), 256):
            chunk = ids[i:i + 256]
            marks = ",".join("?" * len(chunk))
            rows = dict(self.conn.execute(
                f"SELECT id, text FROM documents WHERE id IN ({marks})", chunk).fetchall())
            yield from ((d, rows[d]) for d in chunk if d in rows)

    def document_ids(self, include_duplicates: bool = True) -> list[str]:
        sql = "SELECT id FROM documents"
        if not include_duplicates:
            sql += " WHERE duplicate_of IS NULL"
        return [r[0] for r in self.conn.execute(sql + " ORDER BY source, id")]

    def documents_by_id(self, ids: list[str]) -> list[Document]:
        """Several documents in one query, in the order of ``ids``."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        found = {d.id: d for d in self._documents(f"id IN ({marks})", ids)}
        return [found[i] for i in ids if i in found]

    def document_order(self) -> dict[str, int]:
        """Each document's rank in storage order (SQLite rowid: a new document ranks last).

        Corpus layers that must cap work use it so that a document added later
        never displaces what earlier documents already produced.
        """
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, rowid FROM documents")}

    def document_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def doc_meta(self) -> dict[str, dict[str, Any]]:
        """Light metadata of every document, without bodies (for corpus layers)."""
        rows = self.conn.execute(
            "SELECT id, source, title, publisher, author, url, published, published_inferred,"
            " language, side, duplicate_of FROM documents"
        ).fetchall()
        return {r["id"]: dict(r) for r in rows}

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Ranked full-text hits (BM25) with a highlighted snippet."""
        try:
            rows = self.conn.execute(
                """SELECT d.id AS doc_id, d.title, d.publisher, d.published,
                          snippet(documents_fts, 1, '[', ']', ' … ', 12) AS snippet,
                          bm25(documents_fts) AS score
                   FROM documents_fts f JOIN documents d ON d.rowid = f.rowid
                   WHERE documents_fts MATCH ? ORDER BY score LIMIT ?""",
                (query, limit),
            ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"bad search query {query!r} ({exc}); quote phrases, e.g. '\"Lachin corridor\"'"
            ) from exc
        return [dict(r) for r in rows]

    # -- inputs (resume / idempotency) --------------------------------------
    def record_input(self, source: str, item: str, status: str, doc_id: str | None = None,
                     message: str | None = None) -> None:
        with self.transaction() as c:
            c.execute(
                "INSERT INTO inputs(source, item, doc_id, status, message) VALUES (?,?,?,?,?)"
                " ON CONFLICT(source, item) DO UPDATE SET doc_id=excluded.doc_id,"
                " status=excluded.status, message=excluded.message, at=datetime('now')",
                (source, item, doc_id, status, message),
            )

    def near_duplicates(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM near_duplicates"
        args: tuple[Any, ...] = ()
        if doc_id:
            sql += " WHERE doc_id=? OR other_id=?"
            args = (doc_id, doc_id)
        return [dict(r) for r in self.conn.execute(sql, args)]

    def add_near_duplicate(self, doc_id: str, other_id: str, similarity: float, kind: str) -> None:
        a, b = sorted((doc_id, other_id))
        with self.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO near_duplicates(doc_id, other_id, similarity, kind)"
                " VALUES (?,?,?,?)",
                (a, b, similarity, kind),
            )

    # -- analysis records ---------------------------------------------------
    def layer_fingerprint(self, layer: str, doc_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT fingerprint FROM layer_runs WHERE layer=? AND doc_id=?", (layer, doc_id)
        ).fetchone()
        return row[0] if row else None

    def replace_doc_records(self, layer: str, version: str, fingerprint: str, doc_id: str,
                            records: dict[str, Iterable[Record]]) -> None:
        """Swap one layer's output for one document atomically."""
        extra = {"layer": layer}
        doc = self._document_values(doc_id)
        with self.transaction() as c:
            for table, rows in records.items():
                self._check_span_table(table)
                c.execute(f"DELETE FROM {table} WHERE doc_id=? AND layer=?", (doc_id, layer))
                ts = self._schema(table)
                cols = ts.all_columns()
                c.executemany(
                    f"INSERT OR REPLACE INTO {table}({', '.join(chr(34) + x + chr(34) for x in cols)})"
                    f" VALUES ({', '.join('?' * len(cols))})",
                    [ts.split(r, doc, extra) for r in rows])
            c.execute(
                "INSERT OR REPLACE INTO layer_runs(layer, doc_id, version, fingerprint)"
                " VALUES (?,?,?,?)",
                (layer, doc_id, version, fingerprint),
            )

    def _document_values(self, doc_id: str) -> dict[str, Any]:
        row = self.conn.execute("SELECT publisher, side FROM documents WHERE id=?",
                                (doc_id,)).fetchone()
        return {"publisher": row[0], "side": row[1]} if row else {}

    def records(self, table: str, doc_id: str | None = None) -> list[dict[str, Any]]:
        """All records of one kind (optionally of one document), as dicts.

        Each is rebuilt from its columns and its JSON extras, identical to the
        record that was stored (``to_dict`` of it, keys sorted).
        """
        args: tuple[Any, ...] = ()
        if table in self._span_tables:
            where = ""
            if doc_id:
                where, args = " WHERE doc_id=?", (doc_id,)
            order = f"{where} ORDER BY doc_id, start, id"
        elif table in self._corpus_tables:
            order = " ORDER BY id"
        elif table == "entities":
            order = " ORDER BY name, id"
        else:
            raise StoreError(f"unknown record table {table!r}")
        ts = self._schema(table)
        cur = self.conn.cursor()
        cur.row_factory = None  # plain tuples: owned columns in select() order, then data
        rows = cur.execute(f"SELECT {ts.select()} FROM {table}{order}", args).fetchall()
        extras = _loads_many([r[-1] for r in rows])
        return [ts.join_values(r[:-1], x) for r, x in zip(rows, extras, strict=True)]

    def table_columns(self, table: str) -> list[tuple[str, str, str]]:
        """(name, kind, description) of each analyst column of a record table.

        ``kind`` is text, integer, real, bool or json (the ``data`` extras).
        The store's bookkeeping columns (``layer``, ``review_key``) are left out.
        For exporters and the API: column types come from here, not from guessing.
        """
        ts = self._schema(table)
        return [(c.name, c.kind, c.description) for c in ts.columns if c.name != "layer"] + \
            [("data", "json", "nested extras not in columns (JSON)")]

    def table_rows(self, table: str, where: str = "", args: Iterable[Any] = (),
                   order: str | None = None) -> Iterator[tuple[Any, ...]]:
        """Raw column values of a record table, in :meth:`table_columns` order.

        The flat view analysts load (CSV, Parquet, GeoJSON, API lists): bool
        columns come back as ``bool``, ``data`` as its JSON text.  ``where`` is
        an SQL condition over the columns with ``?`` placeholders (``args``).
        """
        cols = self.table_columns(table)
        names = ", ".join(f'"{n}"' for n, _, _ in cols)
        sql = f"SELECT {names} FROM {table}" + (f" WHERE {where}" if where else "")
        sql += f" ORDER BY {order or 'rowid'}"
        bools = [i for i, (_, k, _) in enumerate(cols) if k == "bool"]
        for row in self.conn.execute(sql, tuple(args)):
            if bools:
                row = tuple(bool(v) if i in bools and v is not None else v
                            for i, v in enumerate(row))
            yield tuple(row)

    def records_as(self, table: str, cls: type[R], doc_id: str | None = None) -> list[R]:
        """:meth:`records` as typed records (``cls.from_dict`` of each row), for layers
        that read what earlier layers stored: attributes, not string keys."""
        return [cls.from_dict(r) for r in self.records(table, doc_id)]

    def put_entities(self, entities: Iterable[Entity]) -> None:
        ts = schema.table_schema("entities", "entities")
        cols = ts.all_columns()
        with self.transaction() as c:
            c.executemany(
                f"INSERT OR REPLACE INTO entities({', '.join(chr(34) + x + chr(34) for x in cols)})"
                f" VALUES ({', '.join('?' * len(cols))})", [ts.split(e) for e in entities])

    def _check_span_table(self, table: str) -> None:
        if table not in self._span_tables:
            raise StoreError(f"unknown span table {table!r}")

    def replace_corpus_records(self, table: str, rows: Iterable[Record]) -> None:
        """Corpus-level layers (stories, contradictions, framing) rewrite their table whole.

        Reviews are not part of the generated rows: they live in ``reviews``,
        keyed by kind and both evidence spans, and are re-attached here, in
        the same transaction, to whichever new record stands on the same spans.
        A review whose target is gone stays in ``reviews`` (see
        :meth:`review_orphans`).
        """
        if table not in self._corpus_tables:
            raise StoreError(f"unknown corpus table {table!r}")
        ts = self._schema(table)
        cols = ts.all_columns()
        sql = (f"INSERT OR REPLACE INTO {table}({', '.join(chr(34) + x + chr(34) for x in cols)})"
               f" VALUES ({', '.join('?' * len(cols))})")
        with self.transaction() as c:
            c.execute(f"DELETE FROM {table}")
            if table == "contradictions":
                values: list[tuple[Any, ...]] = []
                for r in rows:
                    data = dict(r.__dict__)  # nested records are serialised on write
                    data["status"] = "new"
                    key = migrations.review_key(data["kind"], data["a"], data["b"])
                    values.append(ts.split(data, None, {"review_key": key}))
                c.executemany(sql, values)
                self._reattach_reviews(c)
            else:
                c.executemany(sql, [ts.split(r) for r in rows])

    # -- reviews ------------------------------------------------------------
    def _reattach_reviews(self, c: sqlite3.Connection) -> None:
        """Give every contradiction the status of the latest review of its spans."""
        latest = c.execute(
            "SELECT r.key, r.status FROM reviews r JOIN contradictions x ON x.review_key = r.key"
            " WHERE r.target='contradiction' AND r.id = (SELECT max(id) FROM reviews r2"
            " WHERE r2.target='contradiction' AND r2.key = r.key)").fetchall()
        for key, status in latest:
            c.execute("UPDATE contradictions SET status=? WHERE review_key=?", (status, key))

    def set_contradiction_status(self, cid: str, status: str, note: str | None = None) -> dict[str, Any]:
        """Review a contradiction (full id or unique prefix); the review outlives the record.

        The review is appended to ``reviews`` under the record's kind and both
        spans, with a snapshot of its evidence; an orphaned review (its record
        gone) can be reviewed again by its old record id.
        """
        if status not in REVIEW_STATUSES:
            raise StoreError(f"status must be new, confirmed or rejected, not {status!r}")
        with self.transaction() as c:
            ts = self._schema("contradictions")
            rows = c.execute(
                f"SELECT {ts.select()}, review_key FROM contradictions WHERE id=? OR id LIKE ?",
                (cid, cid + "%")).fetchall()
            if len(rows) > 1:
                exact = [r for r in rows if r["id"] == cid]
                rows = exact or rows
            if len(rows) == 1:
                data = ts.join(rows[0])
                real_id, key = data["id"], rows[0]["review_key"]
                snap: str | None = migrations.snapshot(data)
            elif not rows:
                orphan = [o for o in self.review_orphans() if o["record_id"] == cid or
                          (o["record_id"] or "").startswith(cid)]
                if len({o["key"] for o in orphan}) != 1:
                    raise StoreError(f"{cid!r} matches 0 contradictions and no orphaned review; "
                                     "see `rashomon contradictions` or `rashomon review --orphans`")
                real_id, key, snap = orphan[0]["record_id"], orphan[0]["key"], None
                data = {"id": real_id, **(orphan[0]["snapshot"] or {}), "orphan": True}
            else:
                raise StoreError(f"{cid!r} matches {len(rows)} contradictions; give the full id")
            c.execute("INSERT INTO reviews(target, key, record_id, status, note, snapshot)"
                      " VALUES ('contradiction',?,?,?,?,?)", (key, real_id, status, note, snap))
            self._reattach_reviews(c)
        data["status"] = status
        return data

    def review_log(self, cid: str) -> list[dict[str, Any]]:
        """Every review of what contradiction ``cid`` stands on (its spans), oldest first."""
        row = self.conn.execute("SELECT review_key FROM contradictions WHERE id=?",
                                (cid,)).fetchone()
        if row is not None:
            rows = self.conn.execute("SELECT * FROM reviews WHERE target='contradiction' AND"
                                     " key=? ORDER BY id", (row[0],))
        else:
            rows = self.conn.execute(
                "SELECT * FROM reviews WHERE target='contradiction' AND key IN"
                " (SELECT key FROM reviews WHERE record_id=?) ORDER BY id", (cid,))
        return [_review_row(r) for r in rows]

    def latest_reviews(self) -> dict[str, dict[str, Any]]:
        """Current contradiction id -> its latest review (status, note, at), reviewed ones only."""
        rows = self.conn.execute(
            "SELECT x.id AS contradiction_id, r.* FROM contradictions x JOIN reviews r"
            " ON r.target='contradiction' AND r.key = x.review_key"
            " WHERE r.id = (SELECT max(id) FROM reviews r2 WHERE r2.target='contradiction'"
            " AND r2.key = x.review_key) ORDER BY x.id")
        return {r["contradiction_id"]: _review_row(r) for r in rows}

    def review_orphans(self) -> list[dict[str, Any]]:
        """Latest review of each reviewed target that no current record stands on.

        These are kept, never deleted: the analyst's judgement stays on file
        (with a snapshot of what was judged) when a recomputation, a new
        version of a layer or a removed document makes the record go away.
        """
        rows = self.conn.execute(
            "SELECT * FROM reviews r WHERE r.target='contradiction'"
            " AND r.id = (SELECT max(id) FROM reviews r2 WHERE r2.target=r.target AND"
            " r2.key=r.key)"
            " AND NOT EXISTS (SELECT 1 FROM contradictions x WHERE x.review_key = r.key)"
            " ORDER BY r.id")
        return [_review_row(r) for r in rows]

    def set_record_review(self, target: str, table: str, record_id: str, status: str,
                          note: str | None = None) -> dict[str, Any]:
        """Review a record other than a contradiction (an early warning, ...) by its exact id.

        Appended to the same ``reviews`` log as contradiction reviews, under
        ``target`` and the key ``id:<record id>`` (such records carry no pair
        of spans to key on), with a snapshot of the record so the judgement
        stays readable if a recomputation drops it.  Contradictions keep their
        span-keyed path (:meth:`set_contradiction_status`).
        """
        if status not in REVIEW_STATUSES:
            raise StoreError(f"status must be new, confirmed or rejected, not {status!r}")
        if table not in self._span_tables | self._corpus_tables:
            self._discover_tables()  # a layer may have created it since this Store opened
        if table not in self._span_tables | self._corpus_tables:
            raise StoreError(f"no {target} {record_id!r}: this workspace has no {table} table")
        # the whole record, rebuilt from its columns and extras (the ``data`` column
        # alone holds only the nested extras)
        data = next((r for r in self.records(table) if r.get("id") == record_id), None)
        if data is None:
            raise StoreError(f"no {target} {record_id!r}")
        with self.transaction() as c:
            c.execute("INSERT INTO reviews(target, key, record_id, status, note, snapshot)"
                      " VALUES (?,?,?,?,?,?)",
                      (target, f"id:{record_id}", record_id, status, note, _dump(data)))
        data["status"] = status
        data["note"] = note
        return data

    def latest_record_reviews(self, target: str) -> dict[str, dict[str, Any]]:
        """The latest review of each record of ``target`` reviewed by id, keyed by record id."""
        rows = self.conn.execute(
            "SELECT * FROM reviews r WHERE r.target=? AND r.id = (SELECT max(id) FROM reviews r2"
            " WHERE r2.target=r.target AND r2.key=r.key) ORDER BY r.id", (target,))
        return {r["record_id"]: _review_row(r) for r in rows}

    # -- reviews of other corpus records, keyed by a stable review key ---------
    def latest_keyed_reviews(self, target: str) -> dict[str, dict[str, Any]]:
        """The latest review of each key reviewed under ``target`` (e.g. ``"warning"``).

        Corpus layers whose records carry a ``review_key`` read this to give a
        recomputed record the status of what the analyst reviewed before
        (:meth:`latest_record_reviews` is the same log keyed by record id).
        """
        rows = self.conn.execute(
            "SELECT * FROM reviews r WHERE r.target=? AND r.id = (SELECT max(id) FROM reviews r2"
            " WHERE r2.target=r.target AND r2.key=r.key) ORDER BY r.id", (target,))
        return {r["key"]: _review_row(r) for r in rows}

    def review_record(self, table: str, target: str, ref: str, status: str,
                      note: str | None = None) -> dict[str, Any]:
        """Review one record of a corpus table whose records carry a ``review_key``.

        ``ref`` is the record id or a unique prefix, or the old id of a review
        whose record is gone (an orphan).  The review is appended to ``reviews``
        under the record's key (so it outlives the record and re-attaches to its
        recomputed successor) and the stored record is rewritten, through the
        table's schema, with the new status and note.
        """
        if status not in REVIEW_STATUSES:
            raise StoreError(f"status must be new, confirmed or rejected, not {status!r}")
        if table not in self._corpus_tables:
            self._discover_tables()  # a layer may have created it since this Store opened
        if table not in self._corpus_tables:
            raise StoreError(f"unknown corpus table {table!r}; run `rashomon analyze` first")
        ts = self._schema(table)
        cols = ts.all_columns()
        with self.transaction() as c:
            found = [r for r in self.records(table) if str(r["id"]).startswith(ref)]
            exact = [r for r in found if r["id"] == ref]
            found = exact or found
            if len(found) > 1:
                raise StoreError(f"{ref!r} matches {len(found)} records of {table}; "
                                 "give the full id")
            if found:
                data = found[0]
                key = data.get("review_key") or f"id:{data['id']}"
                snap: str | None = json.dumps(
                    {k: data.get(k) for k in ("id", "indicator", "scope", "evidence")},
                    ensure_ascii=False, sort_keys=True)
            else:
                old = [r for r in self.latest_keyed_reviews(target).values()
                       if (r["record_id"] or "").startswith(ref)]
                if len({r["key"] for r in old}) != 1:
                    raise StoreError(f"{ref!r} matches no record of {table} and no earlier review")
                key, snap = old[0]["key"], None
                data = {"id": old[0]["record_id"], **(old[0]["snapshot"] or {}), "orphan": True}
            c.execute("INSERT INTO reviews(target, key, record_id, status, note, snapshot)"
                      " VALUES (?,?,?,?,?,?)", (target, key, data["id"], status, note, snap))
            data["status"], data["note"] = status, note
            if found:
                c.execute(f"INSERT OR REPLACE INTO {table}"
                          f"({', '.join(chr(34) + x + chr(34) for x in cols)})"
                          f" VALUES ({', '.join('?' * len(cols))})", ts.split(data))
        return data

    # -- not analysed -------------------------------------------------------
    def mark_not_analysed(self, doc_id: str, status: str, message: str,
                          tables: Iterable[str] = ()) -> None:
        """Record why a document was not analysed, dropping any older records of it.

        Stale records from an earlier run (e.g. under a higher size limit) would
        otherwise look current; ``tables`` are the per-document tables to clear.
        """
        with self.transaction() as c:
            for t in tables:
                self._check_span_table(t)
                c.execute(f"DELETE FROM {t} WHERE doc_id=?", (doc_id,))
            c.execute("DELETE FROM layer_runs WHERE doc_id=?", (doc_id,))
            c.execute("INSERT OR REPLACE INTO doc_status(doc_id, status, message) VALUES (?,?,?)",
                      (doc_id, status, message))

    def clear_not_analysed(self, doc_id: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM doc_status WHERE doc_id=?", (doc_id,))

    def not_analysed(self) -> list[dict[str, Any]]:
        """Documents stored but not analysed, with the reason."""
        return [dict(r) for r in self.conn.execute(
            "SELECT s.doc_id, d.source, s.status, s.message, s.at FROM doc_status s"
            " JOIN documents d ON d.id = s.doc_id ORDER BY s.doc_id")]

    # -- removal ------------------------------------------------------------
    def resolve_document_id(self, ref: str) -> str:
        """The id of the one document ``ref`` names (id, unique prefix, source or URL)."""
        rows = self.conn.execute("SELECT id FROM documents WHERE id=? OR source=? OR url=?",
                                 (ref, ref, ref)).fetchall()
        if not rows:
            rows = self.conn.execute("SELECT id FROM documents WHERE id LIKE ? LIMIT 2",
                                     (ref + "%",)).fetchall()
        if not rows:
            raise StoreError(f"no document matches {ref!r}")
        if len(rows) > 1:
            raise StoreError(f"{ref!r} matches several documents; give more of the id")
        return rows[0][0]

    def remove_documents(self, ids: Iterable[str], reason: str | None = None) -> list[dict[str, Any]]:
        """Take documents out with every per-document row derived from them.

        Per document, in one transaction: its records in every span table, its
        layer fingerprints, its search-index row, its near-duplicate links, its
        not-analysed mark and the discovered (non-profile) entities that no
        remaining mention names; a copy that pointed to it as ``duplicate_of``
        becomes the original (so it is analysed next time) and the others point
        to that copy; its input rows are marked ``removed``; and a row in the
        ``removed_documents`` audit trail says what went, when and why.
        Reviews are never deleted: a review of a contradiction that stood on the
        document becomes an orphan (:meth:`review_orphans`).

        Corpus tables (stories, contradictions, ...) are derived from all
        documents together and need the profile to recompute;
        :func:`rashomon.pipeline.remove_documents` does both under the writer lock.

        :param ids: exact document ids (see :meth:`resolve_document_id`).
        :returns: one summary per removed document.
        """
        out = []
        for doc_id in ids:
            with self.transaction() as c:
                row = c.execute("SELECT rowid, source, title, url, raw_hash FROM documents"
                                " WHERE id=?", (doc_id,)).fetchone()
                if row is None:
                    raise StoreError(f"no document {doc_id!r}")
                derived: dict[str, int] = {}
                for t in sorted(self._span_tables):
                    derived[t] = c.execute(f"DELETE FROM {t} WHERE doc_id=?", (doc_id,)).rowcount
                derived["layer_runs"] = c.execute("DELETE FROM layer_runs WHERE doc_id=?",
                                                  (doc_id,)).rowcount
                derived["near_duplicates"] = c.execute(
                    "DELETE FROM near_duplicates WHERE doc_id=? OR other_id=?",
                    (doc_id, doc_id)).rowcount
                # the index entry goes with the document row (trigger documents_fts_ad)
                derived["search_index"] = 1
                c.execute("DELETE FROM doc_status WHERE doc_id=?", (doc_id,))
                promoted = self._promote_copies(c, doc_id)
                c.execute("UPDATE inputs SET status='removed', message=? WHERE doc_id=?",
                          (f"removed{': ' + reason if reason else ''}", doc_id))
                c.execute("DELETE FROM documents WHERE id=?", (doc_id,))
                derived["entities"] = c.execute(
                    "DELETE FROM entities WHERE coalesce(origin, '') != 'profile' AND id NOT IN"
                    " (SELECT entity_id FROM mentions WHERE entity_id IS NOT NULL)").rowcount
                c.execute("INSERT INTO removed_documents(doc_id, source, title, url, raw_hash,"
                          " reason, derived) VALUES (?,?,?,?,?,?,?)",
                          (doc_id, row["source"], row["title"], row["url"], row["raw_hash"],
                           reason, _dump(derived)))
            out.append({"id": doc_id, "source": row["source"], "title": row["title"],
                        "derived": derived, "promoted": promoted})
        return out

    def _promote_copies(self, c: sqlite3.Connection, doc_id: str) -> str | None:
        """Copies of a removed original: the first (by id) becomes the original."""
        copies = [r[0] for r in c.execute("SELECT id FROM documents WHERE duplicate_of=?"
                                          " ORDER BY id", (doc_id,))]
        if not copies:
            return None
        first = copies[0]
        for cid in copies:
            target = None if cid == first else first
            c.execute("UPDATE documents SET duplicate_of=? WHERE id=?", (target, cid))
        return first

    def removals(self) -> list[dict[str, Any]]:
        """The ``removed_documents`` audit trail, oldest first."""
        rows = [dict(r) for r in self.conn.execute("SELECT * FROM removed_documents ORDER BY id")]
        for r in rows:
            r["derived"] = json.loads(r["derived"])
        return rows


def _review_row(r: sqlite3.Row) -> dict[str, Any]:
    d = dict(r)
    d["snapshot"] = json.loads(d["snapshot"]) if d.get("snapshot") else None
    return d
