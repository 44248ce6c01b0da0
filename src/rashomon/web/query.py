"""Read side of the web app: record lists with filters, sorting, pages, facets and evidence.

Everything here goes through the Store's public methods (``records``,
``doc_meta``, ``documents_by_id``, ``search``), never raw SQL on the stored
JSON, so a change of the table layout (real columns per field) needs no change
here.  Filtering, sorting and facet counts are done in Python over the cached
records of one table: simple and fast enough for corpora of tens of thousands
of records (see ``bench/bench_api.py``).  This module is the place to push
them down into SQL ``WHERE``/``ORDER BY`` once the store has real columns.

Caching: the records of a table are loaded once and kept until the database
files change (their size and modification time: any commit by any process,
this server's reviews included, changes the WAL file), so concurrent readers
share one parsed copy instead of decoding JSON per request.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.layers import record_tables
from rashomon.store import Store

# Record kinds the API always offers besides the layer registry's tables: the
# documents, the entities, and early warnings (a table not yet present in a
# workspace is an empty list, never an error).
BASE_KINDS = ("documents", "entities")
ALWAYS_KINDS = ("warnings",)

# Per kind: the fields offered as ``?field=value`` filters and facets.  Any
# kind not listed (a new layer's table) gets GENERIC_FIELDS.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "documents": ("outlet", "camp", "language", "author", "input_kind", "duplicate_of"),
    "entities": ("kind", "country", "sector", "origin"),
    "events": ("doc_id", "plover", "cameo", "plover_mode", "trigger", "source_name",
               "source_entity_id", "target_name", "target_entity_id", "place_name",
               "place_entity_id", "date_precision", "outlet", "camp", "negated"),
    "quotes": ("doc_id", "kind", "speaker", "speaker_entity_id", "cue", "outlet", "camp"),
    "claims": ("doc_id", "kind", "speaker", "speaker_entity_id", "outlet", "camp", "event_id",
               "quote_id"),
    "mentions": ("doc_id", "entity_id", "kind", "surface", "outlet", "camp"),
    "timexes": ("doc_id", "granularity", "outlet", "camp"),
    "stories": ("camp", "outlet", "plover", "participant", "place"),
    "contradictions": ("kind", "status", "story_id", "detector", "outlet", "camp"),
    "framing": ("kind", "referent", "term", "outlet", "camp"),
    "coverage": ("kind", "key", "story_id"),
}
GENERIC_FIELDS = ("doc_id", "kind", "status", "story_id", "outlet", "camp")
# Free-text fields searched by ``?q=`` (case-insensitive substring).
TEXT_FIELDS = ("text", "sentence", "title", "name", "term", "label", "summary", "message",
               "surface", "reason")
SORT_EXTRA = ("id", "date", "start", "goldstein", "confidence", "count", "n_docs", "docs",
              "events", "published", "score", "level", "mentions")


def kinds() -> tuple[str, ...]:
    """Every record kind the API serves: documents, entities, the registry's tables, warnings."""
    out = list(BASE_KINDS) + [t for t in record_tables() if t not in BASE_KINDS]
    out += [k for k in ALWAYS_KINDS if k not in out]
    return tuple(out)


def fields_of(kind: str) -> tuple[str, ...]:
    return KIND_FIELDS.get(kind, GENERIC_FIELDS)


def sortable(kind: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fields_of(kind) + SORT_EXTRA))


@dataclass
class Table:
    """One kind's records, parsed once, with what repeated queries need precomputed.

    ``flat`` holds the filter columns of each row, ``items`` the record as the
    API returns it (record plus derived columns) and ``json`` that item
    already serialised, so a page is answered by joining strings.  Value
    indexes and sort orders per field are built on first use and kept with
    the table (they go when the data changes, with the table).
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    flat: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    json: list[str] = field(default_factory=list)
    by_id: dict[str, int] = field(default_factory=dict)
    by_doc: dict[str, list[int]] = field(default_factory=dict)
    indexes: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    orders: dict[str, list[int]] = field(default_factory=dict)

    def index(self, name: str) -> dict[str, list[int]]:
        """Value -> rows holding it (a list value indexes each element; booleans as
        "true"/"false")."""
        idx = self.indexes.get(name)
        if idx is None:
            idx = {}
            for i, flat in enumerate(self.flat):
                v = flat.get(name)
                for x in (v if isinstance(v, list) else [v]):
                    if x is None:
                        continue
                    key = ("true" if x else "false") if isinstance(x, bool) else str(x)
                    idx.setdefault(key, []).append(i)
            self.indexes[name] = idx
        return idx

    def order(self, name: str) -> list[int]:
        """Rows ascending by ``name``, rows without a value last."""
        o = self.orders.get(name)
        if o is None:
            o = sorted(range(len(self.flat)), key=lambda i: _sort_key(self.flat[i].get(name)))
            self.orders[name] = o
        return o


class QueryError(ValueError):
    """A request the data cannot answer as asked (unknown sort field, bad range...)."""


def _name(actor: Any) -> str | None:
    return actor.get("name") if isinstance(actor, dict) else None


def _eid(actor: Any) -> str | None:
    return actor.get("entity_id") if isinstance(actor, dict) else None


def flatten(kind: str, rec: dict[str, Any], meta: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The columns one record is filtered, sorted and faceted on.

    Scalars of the record as they are, plus the fields analysts filter on that
    live nested or in the document: the outlet and camp of the document a
    record comes from, actor and place names, modality flags.  List values
    (a story's camps) match a filter when they contain the value.
    """
    flat = {k: v for k, v in rec.items() if v is None or isinstance(v, str | int | float | bool)}
    doc = meta.get(rec.get("doc_id") or "", {})
    if kind == "documents":
        flat.update(outlet=rec.get("publisher"), camp=rec.get("side"), date=rec.get("published"))
        return flat
    if doc:
        flat.setdefault("outlet", doc.get("publisher"))
        flat.setdefault("published", doc.get("published"))
        flat["camp"] = rec.get("side") or doc.get("side")
        flat.setdefault("date", doc.get("published"))
    elif "side" in rec:
        flat["camp"] = rec.get("side")
    if kind == "events":
        place = rec.get("place") or {}
        flat.update(source_name=_name(rec.get("source_actor")),
                    source_entity_id=_eid(rec.get("source_actor")),
                    target_name=_name(rec.get("target_actor")),
                    target_entity_id=_eid(rec.get("target_actor")),
                    place_name=place.get("name"), place_entity_id=place.get("entity_id"),
                    lat=place.get("lat"), lon=place.get("lon"),
                    negated=bool((rec.get("modality") or {}).get("negated")))
    elif kind in ("quotes", "claims"):
        flat.update(speaker=_name(rec.get("speaker")), speaker_entity_id=_eid(rec.get("speaker")))
    elif kind == "stories":
        attrs = rec.get("attrs") or {}
        flat.update(camp=list(rec.get("sides") or []), outlet=list(attrs.get("sources") or []),
                    plover=attrs.get("plover"), participant=list(rec.get("participants") or []),
                    place=list(rec.get("places") or []), n_docs=len(rec.get("doc_ids") or []))
    elif kind == "contradictions":
        a, b = rec.get("a") or {}, rec.get("b") or {}
        flat.update(outlet=[x for x in (a.get("outlet"), b.get("outlet")) if x],
                    camp=[x for x in (a.get("side"), b.get("side")) if x],
                    text=" / ".join(x for x in (a.get("text"), b.get("text")) if x))
    elif kind == "framing":
        flat.update(outlet=rec.get("source"), camp=rec.get("side"))
    return flat


_BOOL_WORDS = {"1": "true", "yes": "true", "true": "true", "0": "false", "no": "false",
               "false": "false"}
_ENCODE = json.JSONEncoder(ensure_ascii=False, default=str).encode


def _keep(flat: dict[str, Any], date_from: str | None, date_to: str | None, needle: str,
          extra: Callable[[dict[str, Any]], bool] | None) -> bool:
    """The non-indexed conditions: date range, text substring, numeric predicate."""
    day = str(flat.get("date") or "")
    if date_from and not (day and day[:10] >= date_from):
        return False
    if date_to and not (day and day[:len(date_to)] <= date_to):
        return False
    if needle and not any(needle in str(flat.get(f) or "").casefold() for f in TEXT_FIELDS):
        return False
    return extra is None or extra(flat)


def _sort_key(value: Any) -> tuple[int, Any]:
    """None last; numbers before strings; lists by their first element."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return (2, "")
    if isinstance(value, bool | int | float):
        return (0, float(value))
    return (1, str(value).casefold())


class Catalog:
    """The server's view of one workspace: cached tables plus a Store per thread."""

    def __init__(self, db: str | os.PathLike[str]) -> None:
        self.db = Path(db)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[tuple[Any, ...], Table]] = {}
        self._meta: tuple[tuple[Any, ...], dict[str, dict[str, Any]]] | None = None

    # -- plumbing -------------------------------------------------------------
    def stamp(self) -> tuple[Any, ...]:
        """Changes whenever any process commits to the database (WAL or main file)."""
        out: list[Any] = []
        for suffix in ("", "-wal"):
            try:
                st = os.stat(str(self.db) + suffix)
            except FileNotFoundError:
                out.append(None)
            else:
                out.append((st.st_ino, st.st_size, st.st_mtime_ns))
        return tuple(out)

    def store(self) -> Store:
        """This thread's Store (an SQLite connection stays in the thread that opened it)."""
        st = getattr(self._local, "store", None)
        if st is None:
            st = self._local.store = Store(self.db)
        return st

    def _cached(self, key: str, build: Callable[[Store], Table]) -> Table:
        stamp = self.stamp()
        hit = self._cache.get(key)
        if hit and hit[0] == stamp:
            return hit[1]
        with self._lock:
            hit = self._cache.get(key)
            if hit and hit[0] == stamp:
                return hit[1]
            table = build(self.store())
            self._cache[key] = (stamp, table)
            return table

    def doc_meta(self) -> dict[str, dict[str, Any]]:
        stamp = self.stamp()
        if self._meta and self._meta[0] == stamp:
            return self._meta[1]
        meta = self.store().doc_meta()
        self._meta = (stamp, meta)
        return meta

    # -- tables ---------------------------------------------------------------
    def table(self, kind: str) -> Table:
        """All records of ``kind`` (empty when the workspace has no such table)."""
        if kind not in kinds():
            raise KeyError(kind)
        return self._cached(kind, lambda st: self._load(st, kind))

    def _load(self, st: Store, kind: str) -> Table:
        meta = self.doc_meta()
        if kind == "documents":
            rows = sorted(meta.values(), key=lambda d: (d.get("published") or "", d["id"]))
        elif kind == "entities" or kind in st.span_tables | st.corpus_tables:
            rows = st.records(kind)
        else:
            # A table another process created after this thread's Store opened (a new
            # layer's first run) is seen by a fresh Store; an absent one is an empty list.
            with Store(self.db) as fresh:
                present = kind in fresh.span_tables | fresh.corpus_tables
                rows = fresh.records(kind) if present else []
        if kind == "warnings" and rows:
            reviews = st.latest_record_reviews("warning")
            for r in rows:
                rev = reviews.get(r.get("id"))
                if rev:
                    r["status"], r["review_note"] = rev["status"], rev.get("note")
                else:
                    r.setdefault("status", "new")
        t = Table(rows=rows, flat=[flatten(kind, r, meta) for r in rows])
        for rec, flat in zip(rows, t.flat, strict=True):
            item = dict(rec)  # the record plus the derived columns it lacks
            for k, v in flat.items():
                item.setdefault(k, v)
            t.items.append(item)
            t.json.append(_ENCODE(item))
        for i, r in enumerate(rows):
            t.by_id[str(r.get("id"))] = i
            if r.get("doc_id"):
                t.by_doc.setdefault(r["doc_id"], []).append(i)
        return t

    def get(self, kind: str, item_id: str) -> dict[str, Any] | None:
        t = self.table(kind)
        i = t.by_id.get(item_id)
        return None if i is None else t.rows[i]

    def of_document(self, kind: str, doc_id: str) -> list[dict[str, Any]]:
        t = self.table(kind)
        return [t.rows[i] for i in t.by_doc.get(doc_id, [])]

    def query(self, kind: str, filters: dict[str, str | None], q: str | None = None,
              date_from: str | None = None, date_to: str | None = None,
              sort: str | None = None, limit: int = 50, offset: int = 0,
              facets: Iterable[str] = (), extra: Callable[[dict[str, Any]], bool] | None = None,
              as_json: bool = False) -> dict[str, Any]:
        """One page of ``kind`` matching every given filter, with total and facet counts.

        :param filters: field -> exact value (a list field matches when it contains it).
        :param q: case-insensitive substring of the record's text fields.
        :param date_from: inclusive ISO date prefix bounds on ``date``.
        :param sort: a sortable field, ``-field`` for descending.
        :param facets: fields to count values of over the whole filtered set.
        :param extra: a further predicate on the flat row (numeric ranges).
        :param as_json: give the page as one serialised JSON array (``items_json``)
            instead of dicts (``items``): the API's fast path.
        """
        t = self.table(kind)
        if sort and sort.lstrip("-") not in sortable(kind):
            raise QueryError(f"cannot sort {kind} by {sort.lstrip('-')!r}; "
                             f"one of: {', '.join(sortable(kind))}")
        wanted = {k: v for k, v in filters.items() if v not in (None, "")}
        candidates: set[int] | None = None
        for k, v in sorted(wanted.items(), key=lambda kv: len(t.index(kv[0]).get(kv[1], ()))):
            idx = t.index(k)
            rows = idx.get(v)
            if rows is None and v.lower() in _BOOL_WORDS:
                rows = idx.get(_BOOL_WORDS[v.lower()])
            candidates = set(rows or ()) if candidates is None else candidates & set(rows or ())
            if not candidates:
                break
        needle = (q or "").casefold().strip()
        scan = range(len(t.flat)) if candidates is None else sorted(candidates)
        if date_from or date_to or needle or extra:
            hits = [i for i in scan if _keep(t.flat[i], date_from, date_to, needle, extra)]
        else:
            hits = list(scan)
        if sort:
            name, keep = sort.lstrip("-"), set(hits)
            ordered = [i for i in t.order(name) if i in keep]
            if sort.startswith("-"):  # descending, rows without a value still last
                some = [i for i in ordered if t.flat[i].get(name) not in (None, [])]
                ordered = some[::-1] + [i for i in ordered if t.flat[i].get(name) in (None, [])]
            hits = ordered
        counts: dict[str, dict[str, int]] = {}
        for f in facets:
            c: Counter[str] = Counter()
            for i in hits:
                v = t.flat[i].get(f)
                for x in (v if isinstance(v, list) else [v]):
                    if x is not None and x != "":
                        c[str(x)] += 1
            counts[f] = dict(c.most_common(50))
        page = hits[offset:offset + limit]
        out: dict[str, Any] = {"kind": kind, "total": len(hits), "limit": limit,
                               "offset": offset, "facets": counts}
        if as_json:
            out["items_json"] = "[" + ",".join(t.json[i] for i in page) + "]"
        else:
            out["items"] = [t.items[i] for i in page]
        return out

    # -- evidence ---------------------------------------------------------------
    def evidence(self, kind: str, rec: dict[str, Any]) -> list[dict[str, Any]]:
        """The spans a record stands on, each with the text cut from its document.

        Found generically: the record's own ``doc_id``/``start``/``end``, any
        nested dict carrying them (a contradiction's two sides, framing
        examples), and for a story the spans of its events.  The text is
        always cut from the stored document by offsets, so it is exactly
        what the record points to.
        """
        spans: list[dict[str, Any]] = []
        _collect(rec, "record", spans, depth=0)
        if kind == "stories":
            for eid in rec.get("event_ids") or []:
                ev = self.get("events", eid)
                if ev:
                    spans.append({"role": "event", "record_id": eid, "doc_id": ev["doc_id"],
                                  "start": ev["start"], "end": ev["end"]})
        docs = {d.id: d for d in self.store().documents_by_id(
            sorted({s["doc_id"] for s in spans}))}
        meta = self.doc_meta()
        out = []
        seen: set[tuple[Any, ...]] = set()
        for s in spans:
            key = (s["doc_id"], s["start"], s["end"], s["role"])
            if key in seen:
                continue
            seen.add(key)
            doc = docs.get(s["doc_id"])
            m = meta.get(s["doc_id"], {})
            s.update(text=doc.text[s["start"]:s["end"]] if doc else None,
                     outlet=m.get("publisher"), camp=m.get("side"), title=m.get("title"),
                     published=m.get("published"))
            out.append(s)
        return out

    def search(self, query: str, limit: int, offset: int, outlet: str | None,
               camp: str | None) -> dict[str, Any]:
        """Full-text hits ranked by BM25, with outlet and camp facets over every hit.

        Every matching id comes from one index-only query (cheap); snippets
        are made for the page only.  A query that is not FTS5 syntax is
        searched as its words (each quoted), and ``note`` says so.
        """
        meta = self.doc_meta()
        conn = self.store().conn
        asked, note = query, None
        try:
            ranked = fts_ranked_ids(conn, query)
        except sqlite3.OperationalError as exc:
            words = re.findall(r"\w+", query)
            note = (f"bad search query {query!r} ({exc}); searched the words instead"
                    if words else f"bad search query {query!r} ({exc})")
            query = " ".join(f'"{w}"' for w in words)
            ranked = fts_ranked_ids(conn, query) if words else []
        facets = {"outlet": Counter(), "camp": Counter()}
        keep = []
        for rowid, doc_id in ranked:
            m = meta.get(doc_id, {})
            o, c = m.get("publisher"), m.get("side")
            if o:
                facets["outlet"][o] += 1
            if c:
                facets["camp"][c] += 1
            if (not outlet or o == outlet) and (not camp or c == camp):
                keep.append((rowid, doc_id))
        page = keep[offset:offset + limit]
        snippets = fts_snippets(conn, query, [r for r, _ in page]) if page else {}
        items = []
        for rowid, doc_id in page:
            m = meta.get(doc_id, {})
            items.append({"doc_id": doc_id, "title": m.get("title"),
                          "publisher": m.get("publisher"), "published": m.get("published"),
                          "outlet": m.get("publisher"), "camp": m.get("side"),
                          "snippet": snippets.get(rowid, "")})
        return {"query": asked, "total": len(keep), "limit": limit,
                "offset": offset, "items": items, "note": note,
                "facets": {k: dict(v.most_common(50)) for k, v in facets.items()}}


# -- full-text index ------------------------------------------------------------
# The two queries below read the FTS5 table ``documents_fts`` directly, keyed by
# the documents' rowid (true of the store's schema since migration 0002 and of
# an external-content index on ``documents`` alike).  Store.search makes a
# snippet for every hit, which costs more than the whole ranking on a common
# word; the API needs all hit ids for its facets but snippets for one page only.

def fts_ranked_ids(conn: sqlite3.Connection, query: str, cap: int = 5000) -> list[tuple[int, str]]:
    """(rowid, document id) of every document matching ``query``, best BM25 first."""
    return [(r[0], r[1]) for r in conn.execute(
        "SELECT d.rowid, d.id FROM documents_fts f JOIN documents d ON d.rowid = f.rowid"
        " WHERE documents_fts MATCH ? ORDER BY bm25(documents_fts) LIMIT ?", (query, cap))]


def fts_snippets(conn: sqlite3.Connection, query: str, rowids: list[int]) -> dict[int, str]:
    """A highlighted snippet (``[hit]``) of each of ``rowids`` for ``query``."""
    marks = ",".join("?" * len(rowids))
    return {r[0]: r[1] for r in conn.execute(
        f"SELECT f.rowid, snippet(documents_fts, -1, '[', ']', ' … ', 12) FROM documents_fts f"
        f" WHERE documents_fts MATCH ? AND f.rowid IN ({marks})", (query, *rowids))}


def _collect(obj: Any, role: str, out: list[dict[str, Any]], depth: int) -> None:
    if depth > 3:
        return
    if isinstance(obj, dict):
        if isinstance(obj.get("doc_id"), str) and isinstance(obj.get("start"), int) \
                and isinstance(obj.get("end"), int) and obj["end"] >= obj["start"]:
            out.append({"role": role, "record_id": obj.get("id") or obj.get("claim_id"),
                        "doc_id": obj["doc_id"], "start": obj["start"], "end": obj["end"]})
        for k, v in obj.items():
            if isinstance(v, dict | list) and k not in ("attrs", "slots"):
                _collect(v, k if k in ("a", "b") else ("example" if k == "examples" else role),
                         out, depth + 1)
    elif isinstance(obj, list):
        for v in obj:
            _collect(v, role, out, depth + 1)
