"""The store opens in Datasette: facets on real columns, the documents' search box, metadata.

Datasette's own in-process client (no network): the same app ``datasette DB -m META``
serves, asked for JSON.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from rashomon import layers
from rashomon.model import Actor, Document, Event
from rashomon.present.tables import datasette_metadata
from rashomon.store import Store

datasette_app = pytest.importorskip("datasette.app", reason="datasette is in the test extra")

PLOVERS = ["PROTEST", "PROTEST", "ASSAULT", "CONSULT", "PROTEST"]


def _store(path) -> None:
    with Store(path) as s:
        for i, side in enumerate(("north", "south")):
            s.put_document(Document(id=f"d{i}", source=f"{i}.txt", publisher=f"Outlet {i}",
                                    side=side, title=f"Report {i}",
                                    text=f"Crowds gathered at the checkpoint, report {i}."))
        s.ensure_record_tables(layers.span_tables(), layers.corpus_tables())
        for i in range(2):
            evs = [Event(id=f"e{i}{j}", doc_id=f"d{i}", start=0, end=10, sentence="Crowds",
                         cameo="141" if p == "PROTEST" else "190" if p == "ASSAULT" else "040",
                         plover=p, source_actor=Actor("Crowds"))
                   for j, p in enumerate(PLOVERS) if (j + i) % 2 == 0 or p == "PROTEST"]
            s.replace_doc_records("events", "v1", "f", f"d{i}", {"events": evs})


def _get(ds: Any, path: str) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        r = await ds.client.get(path)
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        return r.json()

    return asyncio.run(go())


def _facet(body: dict[str, Any], name: str) -> dict[str, int]:
    results = body["facet_results"]
    results = results.get("results", results)  # Datasette 1.x nests them one level deeper
    return {f["value"]: f["count"] for f in results[name]["results"]}


def test_datasette_facets_events_by_plover_and_searches_documents(tmp_path):
    db = tmp_path / "w.db"
    _store(db)
    with Store(db) as s:
        expected = Counter(r["plover"] for r in s.records("events"))
    ds = datasette_app.Datasette([str(db)], metadata=datasette_metadata("w"))
    body = _get(ds, "/w/events.json?_facet=plover&_shape=objects")
    assert _facet(body, "plover") == dict(expected)
    # default facets from the shipped metadata, without asking
    body = _get(ds, "/w/events.json?_shape=objects")
    assert set(_facet(body, "plover")) == set(expected)
    assert _facet(body, "camp") == {"north": sum(1 for r in body["rows"] if r["camp"] == "north"),
                                    "south": sum(1 for r in body["rows"] if r["camp"] == "south")}
    # a filter on a real column
    body = _get(ds, "/w/events.json?plover=ASSAULT&_shape=objects")
    assert {r["plover"] for r in body["rows"]} == {"ASSAULT"}
    # full-text search on documents (FTS5 with content=documents)
    body = _get(ds, "/w/documents.json?_search=checkpoint&_shape=objects")
    assert {r["id"] for r in body["rows"]} == {"d0", "d1"}
    body = _get(ds, "/w/documents.json?_search=nowhere&_shape=objects")
    assert body["rows"] == []
    meta = _get(ds, "/-/metadata.json")
    assert meta["databases"]["w"]["tables"]["events"]["title"] == "Events"
