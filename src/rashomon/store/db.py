"""The evidence base: one SQLite file per workspace.

Every write that belongs together happens in one transaction, so a process
killed mid-run leaves the store as it was before that item, and a rerun picks
up where it stopped.  WAL mode keeps readers (search, report) working while an
ingest runs.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from rashomon.model import Document, Entity, Record
from rashomon.store import migrations

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
            self.conn.execute("PRAGMA foreign_keys=ON")
            migrations.apply(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable Rashomon database ({exc})") from exc
        self._depth = 0

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

    @property
    def schema_version(self) -> int:
        return migrations.schema_version(self.conn)

    # -- documents ----------------------------------------------------------
    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is not None

    def put_document(self, doc: Document) -> bool:
        """Insert or refresh a document and its search index; True if it was new."""
        new = not self.has_document(doc.id)
        with self.transaction() as c:
            c.execute(
                """INSERT INTO documents(id, source, title, publisher, author, url, published,
                   published_inferred, language, side, input_kind, raw_hash, duplicate_of, text, data)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT(id) DO UPDATE SET source=excluded.source, title=excluded.title,
                   publisher=excluded.publisher, author=excluded.author, url=excluded.url,
                   published=excluded.published, published_inferred=excluded.published_inferred,
                   language=excluded.language, side=excluded.side, input_kind=excluded.input_kind,
                   raw_hash=excluded.raw_hash, duplicate_of=excluded.duplicate_of,
                   text=excluded.text, data=excluded.data""",
                (
                    doc.id, doc.source, doc.title, doc.publisher, doc.author, doc.url,
                    doc.published, int(doc.published_inferred), doc.language, doc.side,
                    doc.input_kind, doc.raw_hash, doc.duplicate_of, doc.text, _dump(doc),
                ),
            )
            rowid = c.execute("SELECT rowid FROM documents WHERE id=?", (doc.id,)).fetchone()[0]
            if not new:
                c.execute("DELETE FROM documents_fts WHERE rowid=?", (rowid,))
            c.execute(
                "INSERT INTO documents_fts(rowid, doc_id, title, text) VALUES (?,?,?,?)",
                (rowid, doc.id, doc.title or "", doc.text),
            )
        return new

    def get_document(self, ref: str) -> Document:
        """Fetch by full id or a unique id prefix (like git), or by source path/URL."""
        rows = self.conn.execute(
            "SELECT data FROM documents WHERE id=? OR source=? OR url=?", (ref, ref, ref)
        ).fetchall()
        if not rows:
            rows = self.conn.execute(
                "SELECT data FROM documents WHERE id LIKE ? LIMIT 2", (ref + "%",)
            ).fetchall()
        if not rows:
            raise StoreError(f"no document matches {ref!r}; try `rashomon search` or `rashomon export`")
        if len(rows) > 1:
            raise StoreError(f"{ref!r} matches several documents; give more of the id")
        return Document.from_dict(json.loads(rows[0]["data"]))

    def iter_documents(self, include_duplicates: bool = True) -> Iterator[Document]:
        sql = "SELECT data FROM documents"
        if not include_duplicates:
            sql += " WHERE duplicate_of IS NULL"
        ids = [r[0] for r in self.conn.execute(sql.replace("SELECT data", "SELECT id")
                                                  + " ORDER BY source, id")]
        for i in range(0, len(ids), 256):  # chunks: flat memory, no cursor held across writes
            yield from self.documents_by_id(ids[i:i + 256])

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
        rows = {r["id"]: r["data"] for r in self.conn.execute(
            f"SELECT id, data FROM documents WHERE id IN ({marks})", ids)}
        return [Document.from_dict(json.loads(rows[i])) for i in ids if i in rows]

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
                """SELECT f.doc_id, d.title, d.publisher, d.published,
                          snippet(documents_fts, 2, '[', ']', ' … ', 12) AS snippet,
                          bm25(documents_fts) AS score
                   FROM documents_fts f JOIN documents d ON d.id = f.doc_id
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
        with self.transaction() as c:
            for table, rows in records.items():
                _check_span_table(table)
                c.execute(f"DELETE FROM {table} WHERE doc_id=? AND layer=?", (doc_id, layer))
                c.executemany(
                    f"INSERT OR REPLACE INTO {table}(id, doc_id, layer, start, end, data)"
                    " VALUES (?,?,?,?,?,?)",
                    [
                        (r.id, doc_id, layer, getattr(r, "start", None), getattr(r, "end", None), _dump(r))  # type: ignore[attr-defined]
                        for r in rows
                    ],
                )
            c.execute(
                "INSERT OR REPLACE INTO layer_runs(layer, doc_id, version, fingerprint)"
                " VALUES (?,?,?,?)",
                (layer, doc_id, version, fingerprint),
            )

    def records(self, table: str, doc_id: str | None = None) -> list[dict[str, Any]]:
        """All records of one kind (optionally of one document), as dicts."""
        if table in migrations.SPAN_TABLES:
            sql = f"SELECT data FROM {table}"
            args: tuple[Any, ...] = ()
            if doc_id:
                sql += " WHERE doc_id=?"
                args = (doc_id,)
            sql += " ORDER BY doc_id, start, id"
        elif table in migrations.CORPUS_TABLES:
            sql, args = f"SELECT data FROM {table} ORDER BY id", ()
        elif table == "entities":
            sql, args = "SELECT data FROM entities ORDER BY name, id", ()
        else:
            raise StoreError(f"unknown record table {table!r}")
        return _loads_many([r[0] for r in self.conn.execute(sql, args)])

    def records_as(self, table: str, cls: type[R], doc_id: str | None = None) -> list[R]:
        """:meth:`records` as typed records (``cls.from_dict`` of each row), for layers
        that read what earlier layers stored: attributes, not string keys."""
        return [cls.from_dict(r) for r in self.records(table, doc_id)]

    def put_entities(self, entities: Iterable[Entity]) -> None:
        with self.transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO entities(id, kind, name, origin, data) VALUES (?,?,?,?,?)",
                [(e.id, e.kind, e.name, e.origin, _dump(e)) for e in entities],
            )

    def replace_corpus_records(self, table: str, rows: Iterable[Record]) -> None:
        """Corpus-level layers (stories, contradictions, framing) rewrite their table whole.

        Contradiction review statuses set by an analyst survive a rerun: they are
        re-applied to records with the same (content-derived) id.
        """
        if table not in migrations.CORPUS_TABLES:
            raise StoreError(f"unknown corpus table {table!r}")
        with self.transaction() as c:
            kept: dict[str, str] = {}
            if table == "contradictions":
                kept = {r[0]: r[1] for r in c.execute("SELECT id, status FROM contradictions")}
            c.execute(f"DELETE FROM {table}")
            if table == "contradictions":
                values: list[tuple[Any, ...]] = []
                for r in rows:
                    data = dict(r.__dict__)  # nested records are serialised by _dump
                    data["status"] = kept.get(data["id"], data.get("status", "new"))
                    values.append((data["id"], _dump(data), data["status"]))
                c.executemany(
                    "INSERT OR REPLACE INTO contradictions(id, data, status) VALUES (?,?,?)", values)
            else:
                c.executemany(f"INSERT OR REPLACE INTO {table}(id, data) VALUES (?,?)",
                              [(r.__dict__["id"], _dump(r.__dict__)) for r in rows])

    def set_contradiction_status(self, cid: str, status: str, note: str | None = None) -> dict[str, Any]:
        if status not in ("new", "confirmed", "rejected"):
            raise StoreError(f"status must be new, confirmed or rejected, not {status!r}")
        rows = self.conn.execute(
            "SELECT id, data FROM contradictions WHERE id=? OR id LIKE ?", (cid, cid + "%")
        ).fetchall()
        if len(rows) != 1:
            raise StoreError(f"{cid!r} matches {len(rows)} contradictions; give the full id")
        real_id, data = rows[0][0], json.loads(rows[0][1])
        data["status"] = status
        with self.transaction() as c:
            c.execute("UPDATE contradictions SET status=?, data=? WHERE id=?", (status, _dump(data), real_id))
            c.execute(
                "INSERT INTO contradiction_reviews(contradiction_id, status, note) VALUES (?,?,?)",
                (real_id, status, note),
            )
        return data

    def review_log(self, cid: str) -> list[dict[str, Any]]:
        return [dict(r) for r in self.conn.execute(
            "SELECT * FROM contradiction_reviews WHERE contradiction_id=? ORDER BY rowid", (cid,))]


def _check_span_table(table: str) -> None:
    if table not in migrations.SPAN_TABLES:
        raise StoreError(f"unknown span table {table!r}")
