"""The analyst-facing shape of the record tables, derived from the model and the layer registry.

Each record table has a real column for every field people filter on, so
Datasette, pandas or plain SQL can facet on PLOVER type, outlet or date
without opening JSON:

* every top-level scalar field of the table's record class (``str``, ``int``,
  ``float``, ``bool``, optional or not) is a column of the same name that
  *owns* the value (text stored once);
* the columns declared in :data:`rashomon.layers.TABLE_COLUMNS` add nested
  values (``source_actor.entity_id``), values of the record's document
  (outlet, camp) and computed values (CAMEO quad class);
* ``data`` keeps only what is left: the truly nested extras (lists, ``attrs``).

A record is split into column values and extras on write (:meth:`TableSchema.split`)
and joined back on read (:meth:`TableSchema.join`), so every stored record
round-trips identically.  A column owns a value only when SQLite gives the
same Python value back (a ``str`` in a TEXT column, an ``int`` in an INTEGER
column, a finite ``float`` in a REAL one, a ``bool``); anything else stays in
``data`` as well, so no value is ever changed by the columns.

:func:`sync` rebuilds any table whose columns differ from what the
declarations say, in place (rowids kept), so an older workspace and a newly
declared column are both upgraded on open.
"""

from __future__ import annotations

import dataclasses
import json
import math
import sqlite3
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import rashomon.model as model
from rashomon.layers import (
    FIELD_DOCS,
    TABLE_COLUMNS,
    TABLE_DOCS,
    Column,
    corpus_tables,
    record_classes,
)
from rashomon.layers import span_tables as registry_span_tables

ABSENT = "__absent__"  # owned paths a record did not have (restored as absent, not None)
SQL_TYPES = {"text": "TEXT", "integer": "INTEGER", "real": "REAL", "bool": "INTEGER"}
PY_TYPES: dict[Any, str] = {str: "text", int: "integer", float: "real", bool: "bool"}
# names the store uses itself: a record field of one of these names stays in ``data``
RESERVED = frozenset({"data", "layer", "ingested_at", "review_key", "rowid"})
# columns that are bookkeeping of the store, not fields of the record
SPAN_BOOKKEEPING = ("layer",)
DOCUMENT_BOOKKEEPING = ("ingested_at",)
CONTRADICTION_BOOKKEEPING = ("review_key",)


def _encode_default(obj: Any) -> Any:
    if isinstance(obj, model.Record):
        return obj.__dict__
    if isinstance(obj, tuple | set | frozenset):
        return list(obj)
    raise TypeError(f"cannot store {type(obj).__name__}")


ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_encode_default).encode


@dataclass(frozen=True)
class Col:
    """A resolved column: where its value comes from and whether it owns it."""

    name: str
    kind: str  # text | integer | real | bool
    path: tuple[str, ...] | None  # None: not from the record (document value or computed)
    own: bool
    document: str | None = None
    compute: Any = None
    references: str | None = None
    description: str = ""

    @property
    def sql(self) -> str:
        ref = f" REFERENCES {self.references}" if self.references else ""
        return f'"{self.name}" {SQL_TYPES[self.kind]}{ref}'


def _owns(kind: str, value: Any) -> bool:
    """Would SQLite give ``value`` back unchanged from a column of this kind?"""
    if value is None:
        return True
    t = type(value)
    if kind == "text":
        return t is str
    if kind == "bool":
        return t is bool
    if kind == "integer":
        return t is int and -(2**63) <= value < 2**63
    if kind == "real":
        return t is float and not math.isnan(value)
    return False


def _cell(kind: str, value: Any) -> Any:
    """A copy column's value: scalars as they are, nested values as JSON."""
    if value is None or isinstance(value, str | int | float):
        if kind == "real" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, float) and math.isnan(value):
            return None
        return int(value) if isinstance(value, bool) else value
    return ENCODE(value)


def _get(d: Any, path: tuple[str, ...]) -> Any:
    for p in path:
        if isinstance(d, model.Record):
            d = d.__dict__
        if not isinstance(d, dict):
            return None
        d = d.get(p)
    return d


@dataclass(frozen=True)
class TableSchema:
    """The columns of one record table and how a record maps onto them."""

    name: str
    kind: str  # span | corpus | documents | entities
    columns: tuple[Col, ...]

    @property
    def id_col(self) -> str:
        return "id"

    def all_columns(self) -> list[str]:
        """Column names in table order (bookkeeping included), without ``data``."""
        return [c.name for c in self.columns] + ["data"] + list(self.bookkeeping())

    def bookkeeping(self) -> tuple[str, ...]:
        if self.kind == "documents":
            return DOCUMENT_BOOKKEEPING
        if self.name == "contradictions":
            return CONTRADICTION_BOOKKEEPING
        return ()

    def ddl(self, name: str | None = None) -> str:
        """``CREATE TABLE`` for this shape (``name`` to build a replacement beside the old)."""
        parts = []
        for c in self.columns:
            if c.name == "id":
                parts.append('"id" TEXT PRIMARY KEY')
            elif c.name == "doc_id" and self.kind == "span":
                parts.append('"doc_id" TEXT NOT NULL REFERENCES documents(id)')
            elif c.name == "layer":
                parts.append('"layer" TEXT NOT NULL')
            elif c.name == "source" and self.kind == "documents":
                parts.append('"source" TEXT NOT NULL')
            elif c.name == "text" and self.kind == "documents":
                parts.append('"text" TEXT NOT NULL')
            else:
                parts.append(c.sql)
        parts.append('"data" TEXT NOT NULL')
        if self.kind == "documents":
            parts.append("\"ingested_at\" TEXT NOT NULL DEFAULT (datetime('now'))")
        for b in self.bookkeeping():
            if b != "ingested_at":
                parts.append(f'"{b}" TEXT')
        return f"CREATE TABLE {name or self.name} ({', '.join(parts)})"

    def indexes(self) -> list[str]:
        out = []
        for c in self.columns:
            if c.name == "doc_id" or (c.references and c.name != "id"):
                out.append(f"CREATE INDEX IF NOT EXISTS {self.name}_{c.name} "
                           f"ON {self.name}({c.name})")
        if self.kind == "documents":
            out.append("CREATE INDEX IF NOT EXISTS documents_raw_hash ON documents(raw_hash)")
        if self.name == "contradictions":
            out.append("CREATE INDEX IF NOT EXISTS contradictions_review_key "
                       "ON contradictions(review_key)")
        return out

    # -- records <-> rows ---------------------------------------------------
    def split(self, rec: Any, document: Mapping[str, Any] | None = None,
              extra: Mapping[str, Any] | None = None) -> tuple[Any, ...]:
        """A record (model object or dict) as a row: column values in table order, then ``data``.

        ``document`` gives the values of document columns (outlet, camp);
        ``extra`` the bookkeeping columns (``layer``, ``review_key``).
        """
        if isinstance(rec, model.Record):
            d = dict(rec.__dict__)
        elif isinstance(rec, Mapping):
            d = dict(rec)
        else:  # any other record-like object (e.g. a plugin's dataclass): its attributes
            d = dict(vars(rec))
        full = d if not any(c.compute for c in self.columns) else dict(d)
        values: list[Any] = []
        owned: list[Col] = []
        for c in self.columns:
            if c.path is None:
                if c.compute is not None:
                    values.append(_cell(c.kind, c.compute(full)))
                elif c.document is not None:
                    values.append((document or {}).get(c.document))
                else:
                    values.append((extra or {}).get(c.name))
                continue
            v = _get(d, c.path)
            if c.own and _owns(c.kind, v):
                owned.append(c)
                values.append(int(v) if type(v) is bool else v)
            else:
                values.append(_cell(c.kind, v))
        absent: list[str] = []
        copied: set[tuple[str, ...]] = set()
        for c in owned:
            container: Any = d
            for i, p in enumerate(c.path[:-1]):  # type: ignore[index]
                inner = container.get(p)
                if isinstance(inner, model.Record):
                    inner = inner.__dict__
                if not isinstance(inner, dict):
                    container = None
                    break
                key = c.path[: i + 1]  # type: ignore[index]
                if key not in copied:  # never change the caller's record
                    inner = dict(inner)
                    container[p] = inner
                    copied.add(key)
                container = inner
            if container is None:
                continue
            leaf = c.path[-1]  # type: ignore[index]
            if leaf in container:
                del container[leaf]
            else:
                absent.append(".".join(c.path))  # type: ignore[arg-type]
        if absent:
            d[ABSENT] = absent
        row = values + [ENCODE(d)]
        row += [(extra or {}).get(b) for b in self.bookkeeping() if b != "ingested_at"]
        return tuple(row)

    @property
    def owned(self) -> tuple[Col, ...]:
        """The columns that own a record value, in :meth:`select` order."""
        return tuple(c for c in self.columns if c.own and c.path)

    def join(self, row: Mapping[str, Any] | sqlite3.Row, data: dict[str, Any] | None = None
             ) -> dict[str, Any]:
        """The record dict a stored row stands for (keys sorted, as the JSON always was).

        ``row`` may come from an older layout: owned columns it lacks are skipped
        (their values are then still in ``data``).
        """
        d = json.loads(row["data"]) if data is None else data
        keys = set(row.keys())
        cols = [c for c in self.owned if c.name in keys]
        return self._restore(d, cols, [row[c.name] for c in cols])

    def join_values(self, values: tuple[Any, ...], data: dict[str, Any]) -> dict[str, Any]:
        """:meth:`join` of a plain row selected with :meth:`select` (the fast path of reads)."""
        return self._restore(data, self.owned, values)

    @staticmethod
    def _restore(d: dict[str, Any], cols: Iterable[Col], values: Iterable[Any]
                 ) -> dict[str, Any]:
        absent = d.pop(ABSENT, None)
        for c, v in zip(cols, values, strict=False):
            path = c.path
            if absent and ".".join(path) in absent:  # type: ignore[arg-type]
                continue
            if c.kind == "bool" and v is not None:
                v = bool(v)
            if len(path) == 1:  # type: ignore[arg-type]
                if path[0] not in d:  # type: ignore[index]
                    d[path[0]] = v  # type: ignore[index]
                continue
            container: Any = d
            for p in path[:-1]:  # type: ignore[index]
                container = container.get(p) if isinstance(container, dict) else None
            if not isinstance(container, dict) or path[-1] in container:  # type: ignore[index]
                continue
            container[path[-1]] = v  # type: ignore[index]
            parent = d  # keep the nested dict's keys sorted too
            for p in path[:-2]:  # type: ignore[index]
                parent = parent[p]
            parent[path[-2]] = dict(sorted(container.items()))  # type: ignore[index]
        return dict(sorted(d.items()))

    def select(self) -> str:
        """Column list that :meth:`join` needs."""
        return ", ".join(f'"{c.name}"' for c in self.owned) + ", data"


def _record_class(table: str) -> type | None:
    if table == "documents":
        return model.Document
    if table == "entities":
        return model.Entity
    name = record_classes().get(table)
    return getattr(model, name, None) if name else None


def _scalar_kind(hint: Any) -> str | None:
    """'text' for ``str`` or ``str | None`` and so on; None for anything nested."""
    if hint in PY_TYPES:
        return PY_TYPES[hint]
    args = typing.get_args(hint)
    if (typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 2
            and type(None) in args):
        other = args[0] if args[1] is type(None) else args[1]
        return PY_TYPES.get(other)
    return None


def _column(c: Column) -> Col:
    """A declared column resolved: a plain top-level name owns its field."""
    derived = c.document is not None or c.compute is not None
    path = None if derived else tuple((c.path or c.name).split("."))
    own = c.own or (not derived and c.path is None)
    return Col(c.name, c.type, path, own, c.document, c.compute, c.references, c.description)


@cache
def table_schema(table: str, kind: str) -> TableSchema:
    """The column layout of ``table`` (``kind``: span, corpus, documents or entities)."""
    cols: list[Col] = []
    seen: set[str] = set()
    cls = _record_class(table)
    fields: list[tuple[str, str]] = []
    if cls is not None:
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):
            k = _scalar_kind(hints.get(f.name))
            if k and f.name not in RESERVED:  # a field named like a store column stays in data
                fields.append((f.name, k))
    if kind == "span":  # every span table has these, with or without a record class
        cols.append(Col("id", "text", ("id",), True, description=FIELD_DOCS["id"]))
        cols.append(Col("doc_id", "text", ("doc_id",), True, references="documents(id)",
                        description=FIELD_DOCS["doc_id"]))
        cols.append(Col("layer", "text", None, False, description="layer that wrote it"))
        seen.update(("id", "doc_id", "layer"))
        have = {n for n, _ in fields}
        fields += [(n, "integer") for n in ("start", "end") if n not in have]
    elif not any(n == "id" for n, _ in fields):
        fields.insert(0, ("id", "text"))
    for n, k in fields:
        if n in seen:
            continue
        ref = None
        if n == "duplicate_of" and table == "documents":
            ref = "documents(id)"
        elif n == "story_id":
            ref = "stories(id)"
        elif n in ("event_id",):
            ref = "events(id)"
        elif n == "quote_id":
            ref = "quotes(id)"
        elif n == "entity_id":
            ref = "entities(id)"
        cols.append(Col(n, k, (n,), True, references=ref, description=FIELD_DOCS.get(n, "")))
        seen.add(n)
    for c in TABLE_COLUMNS.get(table, ()):
        if c.name in seen:
            continue
        cols.append(_column(c))
        seen.add(c.name)
    return TableSchema(table, kind, tuple(cols))


def declared_tables() -> dict[str, str]:
    """Every record table the registry declares, with its kind."""
    out = {"documents": "documents", "entities": "entities"}
    out.update({t: "span" for t in registry_span_tables()})
    out.update({t: "corpus" for t in corpus_tables()})
    return out


def table_kind(conn: sqlite3.Connection, table: str) -> str | None:
    """What an existing table is: span, corpus, documents, entities, or None (not a record table)."""
    if table in ("documents", "entities"):
        return table
    cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    if {"id", "doc_id", "layer", "start", "end", "data"} <= cols:
        return "span"
    if {"id", "data"} <= cols and "layer" not in cols and not table.startswith("_") \
            and table not in ("reviews", "removed_documents", "doc_status", "inputs"):
        return "corpus"
    return None


def existing_tables(conn: sqlite3.Connection) -> dict[str, str]:
    """Record tables present in the database, with their kind."""
    out = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'"
                                " AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
                                " AND name NOT LIKE 'documents!_fts%' ESCAPE '!'"):
        kind = table_kind(conn, name)
        if kind:
            out[name] = kind
    return out


# -- documents' search index: FTS5 over the documents table (text stored once) --
FTS_DDL = ("CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents',"
           " content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')")
FTS_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ai AFTER INSERT ON documents BEGIN"
    " INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);"
    " END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_ad AFTER DELETE ON documents BEGIN"
    " INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.rowid, old.title, old.text); END",
    "CREATE TRIGGER IF NOT EXISTS documents_fts_au AFTER UPDATE OF title, text ON documents"
    " BEGIN INSERT INTO documents_fts(documents_fts, rowid, title, text)"
    " VALUES ('delete', old.rowid, old.title, old.text);"
    " INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);"
    " END",
)


def ensure_fts(conn: sqlite3.Connection) -> None:
    """Make ``documents_fts`` an external-content index of ``documents``, kept by triggers."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name='documents_fts'").fetchone()
    if row is None or "content='documents'" not in row[0]:
        conn.execute("DROP TABLE IF EXISTS documents_fts")
        conn.execute(FTS_DDL)
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')")
    for t in FTS_TRIGGERS:
        conn.execute(t)


# -- views for the common joins ----------------------------------------------
VIEWS: dict[str, tuple[tuple[str, ...], str]] = {
    "event_evidence": (("events", "documents"), """
        SELECT e.id AS event_id, e.date, e.plover, e.cameo, e.goldstein, e.quad_class,
               e.source_name, e.target_name, e.place_name, e.lat, e.lon, e.outlet, e.camp,
               e.sentence, d.id AS doc_id, d.title, d.url, d.published
        FROM events e JOIN documents d ON d.id = e.doc_id"""),
    "quote_evidence": (("quotes", "documents"), """
        SELECT q.id AS quote_id, q.speaker_name, q.speaker_entity_id, q.kind, q.text,
               q.outlet, q.camp, d.id AS doc_id, d.title, d.url, d.published
        FROM quotes q JOIN documents d ON d.id = q.doc_id"""),
    "story_documents": (("stories", "documents"), """
        SELECT s.id AS story_id, s.title AS story, s.date, d.id AS doc_id,
               d.publisher AS outlet, d.side AS camp, d.title, d.url
        FROM stories s, json_each(s.data, '$.doc_ids') j JOIN documents d ON d.id = j.value"""),
    "contradiction_pairs": (("contradictions", "stories"), """
        SELECT c.id AS contradiction_id, c.kind, c.status, c.confidence, s.title AS story,
               c.a_outlet, c.a_camp, c.a_speaker, c.a_text,
               c.b_outlet, c.b_camp, c.b_speaker, c.b_text, c.reason
        FROM contradictions c LEFT JOIN stories s ON s.id = c.story_id"""),
    "entity_mentions": (("mentions", "entities", "documents"), """
        SELECT m.entity_id, e.name, e.kind AS entity_kind, m.surface, m.doc_id,
               d.publisher AS outlet, d.side AS camp
        FROM mentions m JOIN entities e ON e.id = m.entity_id
        JOIN documents d ON d.id = m.doc_id"""),
}


def drop_views(conn: sqlite3.Connection) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='view'").fetchall():
        if name in VIEWS:
            conn.execute(f"DROP VIEW {name}")


def create_views(conn: sqlite3.Connection) -> None:
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for name, (needs, sql) in VIEWS.items():
        if all(t in have for t in needs):
            conn.execute(f"CREATE VIEW IF NOT EXISTS {name} AS {sql}")


# -- creating and upgrading --------------------------------------------------
def create_table(conn: sqlite3.Connection, table: str, kind: str) -> None:
    """Create ``table`` in its declared shape, with its indexes (idempotent)."""
    schema = table_schema(table, kind)
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                          (table,)).fetchone()
    if not exists:
        conn.execute(schema.ddl())
    for sql in schema.indexes():
        conn.execute(sql)
    if kind == "documents":
        ensure_fts(conn)


def _document_values(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    return {r[0]: {"publisher": r[1], "side": r[2]}
            for r in conn.execute("SELECT id, publisher, side FROM documents")}


def rebuild(conn: sqlite3.Connection, table: str, kind: str,
            documents: dict[str, dict[str, Any]] | None = None) -> int:
    """Rewrite ``table`` in its declared shape, row by row, keeping rowids; returns rows."""
    schema = table_schema(table, kind)
    tmp = f"{table}__rebuild"
    conn.execute(f"DROP TABLE IF EXISTS {tmp}")
    conn.execute(schema.ddl(tmp))
    docs = documents if documents is not None else (
        _document_values(conn) if any(c.document for c in schema.columns) else {})
    names = schema.all_columns()
    # ingested_at is given explicitly (an old row keeps its time)
    cols = [n for n in names if n != "ingested_at" or kind == "documents"]
    sql = (f"INSERT INTO {tmp}(rowid, {', '.join(chr(34) + c + chr(34) for c in cols)})"
           f" VALUES ({', '.join('?' * (len(cols) + 1))})")
    n = 0
    old = conn.cursor()
    old.row_factory = sqlite3.Row  # join() reads columns by name, whatever the connection's factory
    old.execute(f"SELECT rowid AS rowid_, * FROM {table}")
    while batch := old.fetchmany(2000):  # streamed: a large workspace upgrades in flat memory
        rows = []
        for r in batch:
            rec = schema.join(r)
            extra = {k: r[k] for k in r.keys() if k in ("layer", "review_key", "ingested_at")}
            values = schema.split(rec, docs.get(rec.get("doc_id")) if docs else None, extra)
            if kind == "documents":  # the old row keeps its time
                values = values + (extra.get("ingested_at") or "1970-01-01 00:00:00",)
            rows.append((r["rowid_"], *values))
        conn.executemany(sql, rows)
        n += len(rows)
    conn.execute(f"DROP TABLE {table}")
    conn.execute(f"ALTER TABLE {tmp} RENAME TO {table}")
    for s in schema.indexes():
        conn.execute(s)
    return n


def needs_rebuild(conn: sqlite3.Connection, table: str, kind: str) -> bool:
    have = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    return have != table_schema(table, kind).all_columns()


def sync(conn: sqlite3.Connection, extra: Iterable[tuple[str, str]] = ()) -> list[str]:
    """Bring every record table to its declared shape; returns the tables rebuilt.

    Runs inside the caller's transaction.  Views are dropped and recreated
    around a rebuild (a view on a dropped table would block the rename), and
    the search index is re-linked when ``documents`` is rebuilt.
    """
    present = existing_tables(conn)
    for name, kind in extra:
        present.setdefault(name, kind)
    stale = [(t, k) for t, k in present.items() if needs_rebuild(conn, t, k)]
    if stale:
        drop_views(conn)
        order = sorted(stale, key=lambda tk: tk[0] != "documents")  # documents first
        if any(t == "documents" for t, _ in stale):
            conn.execute("DROP TABLE IF EXISTS documents_fts")
            for trig in ("documents_fts_ai", "documents_fts_ad", "documents_fts_au"):
                conn.execute(f"DROP TRIGGER IF EXISTS {trig}")
        docs = None
        for t, k in order:
            if k != "documents" and docs is None:
                docs = _document_values(conn)
            rebuild(conn, t, k, docs)
    if "documents" in present:
        ensure_fts(conn)
    create_views(conn)
    return [t for t, _ in stale]


def up_to_date(conn: sqlite3.Connection) -> bool:
    """True when no table needs a rebuild and the views and search index are in place."""
    present = existing_tables(conn)
    if any(needs_rebuild(conn, t, k) for t, k in present.items()):
        return False
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN"
                                       " ('table', 'view', 'trigger')")}
    wanted = {n for n, (needs, _) in VIEWS.items() if all(t in have for t in needs)}
    if "documents" in present:
        wanted |= {"documents_fts", "documents_fts_ai", "documents_fts_ad", "documents_fts_au"}
    return wanted <= have


def table_docs(table: str) -> tuple[str, str, tuple[str, ...]]:
    """(title, description, default facets) of a table, for Datasette and the dictionary."""
    return TABLE_DOCS.get(table, (table.replace("_", " ").capitalize(), "", ()))
