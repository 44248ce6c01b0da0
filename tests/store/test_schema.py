"""The analyst schema: real columns, round-trips, foreign keys, FTS, views, in-place upgrades."""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

import pytest

from rashomon import layers
from rashomon.model import Actor, Contradiction, Document, Entity, Event, Mention, Quote, Story
from rashomon.store import Store, migrations, schema

TEXT = "Soldiers of the North shelled Tollen on 3 May. The ministry denied it."


def _event(eid: str = "e1", doc_id: str = "d1", **kw) -> Event:
    base = dict(id=eid, doc_id=doc_id, start=0, end=46, sentence=TEXT[:46], cameo="040",
                plover="CONSULT", goldstein=1.0, date="2024-05-03", date_precision="day",
                source_actor=Actor("Soldiers of the North", entity_id="north", country="XN"),
                target_actor=None,
                place={"name": "Tollen", "entity_id": "tollen", "lat": 46.5, "lon": 70.25},
                modality={"negated": True, "hypothetical": False},
                attrs={"acled_event_type": "Battles", "main": True, "trigger_start": 22})
    base.update(kw)
    return Event(**base)


def _fill(store: Store) -> None:
    store.put_document(Document(id="d1", source="a.txt", text=TEXT, title="Shelling",
                                publisher="North Herald", side="north", published="2024-05-04"))
    store.put_entities([Entity(id="north", kind="state", name="North", aliases=["N"]),
                        Entity(id="tollen", kind="place", name="Tollen", lat=46.5, lon=70.25,
                               origin="gazetteer")])
    store.ensure_record_tables(layers.span_tables(), layers.corpus_tables())
    store.replace_doc_records("events", "v1", "f", "d1", {"events": [
        _event(), _event("e2", goldstein=3, cameo="190", place=None,  # int in a REAL column
                         source_actor=None, modality={})]})
    store.replace_doc_records("entities", "v1", "f", "d1", {"mentions": [
        Mention(id="m1", doc_id="d1", start=30, end=36, entity_id="tollen", surface="Tollen")]})
    store.replace_doc_records("quotes", "v1", "f", "d1", {"quotes": [
        Quote(id="q1", doc_id="d1", start=47, end=70, text=TEXT[47:], kind="indirect",
              speaker=Actor("The ministry"))]})


def test_events_have_real_columns_and_data_keeps_only_extras(fresh_db):
    _fill(fresh_db)
    row = fresh_db.conn.execute("SELECT * FROM events WHERE id='e1'").fetchone()
    assert row["cameo"] == "040" and row["plover"] == "CONSULT" and row["quad_class"] == 1
    assert row["source_entity_id"] == "north" and row["source_name"] == "Soldiers of the North"
    assert row["place_entity_id"] == "tollen" and (row["lat"], row["lon"]) == (46.5, 70.25)
    assert row["negated"] == 1 and row["hypothetical"] == 0 and row["future"] is None
    assert row["outlet"] == "North Herald" and row["camp"] == "north"
    assert row["acled_event_type"] == "Battles" and row["main"] == 1
    assert row["fatalities"] is None  # declared, not produced (yet): NULL, not an error
    extras = json.loads(row["data"])
    assert "sentence" not in extras and "cameo" not in extras  # owned: stored once
    assert extras["attrs"]["trigger_start"] == 22
    # the document body is stored once: not in documents.data, not in the index
    doc = fresh_db.conn.execute("SELECT data FROM documents").fetchone()[0]
    assert TEXT not in doc
    fts = fresh_db.conn.execute("SELECT sql FROM sqlite_master WHERE name='documents_fts'")
    assert "content='documents'" in fts.fetchone()[0]


def test_records_round_trip_identically(fresh_db):
    _fill(fresh_db)
    got = {r["id"]: r for r in fresh_db.records("events")}
    for ev in (_event(), _event("e2", goldstein=3, cameo="190", place=None, source_actor=None,
                                modality={})):
        assert got[ev.id] == ev.to_dict()
        assert json.dumps(got[ev.id], sort_keys=True) == json.dumps(ev.to_dict(), sort_keys=True)
    assert type(got["e2"]["goldstein"]) is int  # kept in data: a REAL column would give 3.0
    assert fresh_db.get_document("d1").text == TEXT
    assert fresh_db.records("entities")[0]["aliases"] == ["N"]


def test_values_a_column_cannot_hold_exactly_stay_in_data(fresh_db):
    """A nested owned path the record lacks, NaN, a non-string code: all come back as written."""
    fresh_db.put_document(Document(id="d1", source="a.txt", text=TEXT))
    fresh_db.ensure_record_tables(layers.span_tables(), layers.corpus_tables())
    odd = [
        Contradiction(id="x1", kind="k", story_id=None, confidence=float("nan"),
                      a={"doc_id": "d1", "start": 0, "end": 5}, b={"doc_id": "d1", "text": None}),
        Contradiction(id="x2", kind="k", story_id="s1", confidence=1, a={}, b={"text": 7}),
    ]
    fresh_db.replace_corpus_records("contradictions", odd)
    got = {r["id"]: r for r in fresh_db.records("contradictions")}
    assert math.isnan(got["x1"]["confidence"])
    assert "text" not in got["x1"]["a"] and got["x1"]["b"] == {"doc_id": "d1", "text": None}
    assert got["x2"] == odd[1].to_dict()
    assert fresh_db.conn.execute("SELECT b_text FROM contradictions WHERE id='x2'").fetchone()[0] \
        == "7"  # the copy is filterable; the record keeps its int


def test_refreshed_document_updates_outlet_and_camp_columns(fresh_db):
    _fill(fresh_db)
    fresh_db.put_document(Document(id="d1", source="a.txt", text=TEXT, title="Shelling",
                                   publisher="North Wire", side="north-2"))
    rows = fresh_db.conn.execute("SELECT DISTINCT outlet, camp FROM events").fetchall()
    assert [tuple(r) for r in rows] == [("North Wire", "north-2")]
    assert [tuple(r) for r in fresh_db.conn.execute("SELECT DISTINCT camp FROM quotes")] == \
        [("north-2",)]
    assert fresh_db.search("shelled")[0]["doc_id"] == "d1"


def test_foreign_keys_declared_and_whole_after_removal(fresh_db):
    _fill(fresh_db)
    fks = {(r["from"], r["table"]) for r in fresh_db.conn.execute(
        "PRAGMA foreign_key_list(events)")}
    assert {("doc_id", "documents"), ("source_entity_id", "entities"),
            ("place_entity_id", "entities")} <= fks
    assert fresh_db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    fresh_db.remove_documents(["d1"])
    assert fresh_db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert fresh_db.search("shelled") == []


def test_views_join_records_to_their_documents(fresh_db):
    _fill(fresh_db)
    row = fresh_db.conn.execute("SELECT * FROM event_evidence WHERE event_id='e1'").fetchone()
    assert row["title"] == "Shelling" and row["plover"] == "CONSULT"
    assert fresh_db.conn.execute("SELECT count(*) FROM entity_mentions").fetchone()[0] == 1
    fresh_db.replace_corpus_records("stories", [Story(id="s1", title="T", date=None,
                                                      doc_ids=["d1"])])
    sd = fresh_db.conn.execute("SELECT * FROM story_documents").fetchall()
    assert [(r["story_id"], r["outlet"]) for r in sd] == [("s1", "North Herald")]


def _old_workspace(path: Path) -> None:
    """A workspace as the code before the analyst schema wrote it (migrations 0001-0003)."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY,"
                " applied_at TEXT NOT NULL DEFAULT (datetime('now')))")
    for name, fn in migrations.MIGRATIONS[:3]:
        con.execute("BEGIN")
        fn(con)
        con.execute("INSERT INTO _migrations(name) VALUES (?)", (name,))
        con.execute("COMMIT")
    dump = lambda r: json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True)  # noqa: E731
    for i, did in enumerate(("d0", "d1")):
        doc = Document(id=did, source=f"{did}.txt", text=TEXT + f" ({i})", title=f"T{i}",
                       publisher="North Herald", side="north", published_inferred=bool(i))
        con.execute("INSERT INTO documents(id, source, title, publisher, author, url, published,"
                    " published_inferred, language, side, input_kind, raw_hash, duplicate_of,"
                    " text, data) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (doc.id, doc.source, doc.title, doc.publisher, None, None, None, i, None,
                     doc.side, "text", None, None, doc.text, dump(doc)))
        rowid = con.execute("SELECT rowid FROM documents WHERE id=?", (did,)).fetchone()[0]
        con.execute("INSERT INTO documents_fts(rowid, doc_id, title, text) VALUES (?,?,?,?)",
                    (rowid, did, doc.title, doc.text))
    ev = _event(doc_id="d1")
    con.execute("INSERT INTO events(id, doc_id, layer, start, end, data) VALUES (?,?,?,?,?,?)",
                (ev.id, "d1", "events", ev.start, ev.end, dump(ev)))
    con.execute("INSERT INTO entities(id, kind, name, origin, data) VALUES (?,?,?,?,?)",
                ("north", "state", "North", "profile",
                 dump(Entity(id="north", kind="state", name="North"))))
    x = Contradiction(id="x1", kind="k", story_id=None, confidence=0.5,
                      a={"doc_id": "d0", "start": 0, "end": 5, "text": "a"},
                      b={"doc_id": "d1", "start": 0, "end": 5, "text": "b"}, status="confirmed")
    key = migrations.review_key("k", x.a, x.b)
    con.execute("INSERT INTO contradictions(id, data, status, review_key) VALUES (?,?,?,?)",
                ("x1", dump(x), "confirmed", key))
    con.execute("INSERT INTO reviews(target, key, record_id, status, note) VALUES"
                " ('contradiction', ?, 'x1', 'confirmed', 'checked')", (key,))
    con.close()


def test_migration_upgrades_an_old_workspace_in_place(tmp_path):
    db = tmp_path / "old.db"
    _old_workspace(db)
    before = sqlite3.connect(db)
    old_rows = {t: sorted(json.loads(d)["id"] for (d,) in before.execute(f"SELECT data FROM {t}"))
                for t in ("documents", "events", "entities", "contradictions")}
    old_event = json.loads(before.execute("SELECT data FROM events").fetchone()[0])
    old_order = dict(before.execute("SELECT id, rowid FROM documents").fetchall())
    before.close()
    with Store(db) as s:
        assert "0004_analyst_columns" in {r[0] for r in s.conn.execute(
            "SELECT name FROM _migrations")}
        assert s.records("events") == [old_event]
        assert s.document_order() == old_order  # rowids kept
        assert s.get_document("d1").published_inferred is True
        assert s.search("shelled")[0]["doc_id"] in ("d0", "d1")
        assert tuple(s.conn.execute("SELECT plover, outlet FROM events").fetchone()) == \
            ("CONSULT", "North Herald")
        x = s.records("contradictions")[0]
        assert x["status"] == "confirmed" and x["a"]["text"] == "a"
        assert s.latest_reviews()["x1"]["note"] == "checked"
        for t, ids in old_rows.items():
            got = [d.id for d in s.iter_documents()] if t == "documents" else \
                [r["id"] for r in s.records(t)]
            assert sorted(got) == ids
        assert schema.up_to_date(s.conn)
    with Store(db) as s:  # a second open changes nothing
        assert s.records("events") == [old_event]


def test_a_newly_declared_column_is_added_on_open(tmp_path, monkeypatch):
    db = tmp_path / "w.db"
    with Store(db) as s:
        _fill(s)
        before = s.records("events")
    monkeypatch.setitem(layers.TABLE_COLUMNS, "events", (
        *layers.TABLE_COLUMNS["events"],
        layers.Column("trigger_start", "integer", path="attrs.trigger_start")))
    schema.table_schema.cache_clear()
    try:
        with Store(db) as s:
            assert s.conn.execute("SELECT trigger_start FROM events WHERE id='e1'"
                                  ).fetchone()[0] == 22
            assert s.records("events") == before
    finally:
        monkeypatch.undo()
        schema.table_schema.cache_clear()
    with Store(db) as s:  # and dropped again when the declaration goes
        cols = {r[1] for r in s.conn.execute("PRAGMA table_info(events)")}
        assert "trigger_start" not in cols and s.records("events") == before


def test_every_registered_table_gets_its_record_class_fields_as_columns():
    for table, kind in schema.declared_tables().items():
        ts = schema.table_schema(table, kind)
        names = [c.name for c in ts.columns]
        assert names[0] == "id" and len(names) == len(set(names)), table
    ev = [c.name for c in schema.table_schema("events", "span").columns]
    for want in ("doc_id", "date", "date_precision", "cameo", "plover", "plover_mode",
                 "goldstein", "quad_class", "acled_event_type", "acled_sub_event_type",
                 "source_entity_id", "source_name", "target_entity_id", "target_name",
                 "place_entity_id", "place_name", "lat", "lon", "country", "fatalities",
                 "negated", "hypothetical", "outlet", "camp", "main"):
        assert want in ev


@pytest.mark.parametrize("code,quad", [("040", 1), ("057", 1), ("071", 2), ("112", 3),
                                       ("190", 4), ("", None), ("x", None)])
def test_quad_class(code, quad):
    assert layers.quad_class({"cameo": code}) == quad


def test_processes_opening_an_old_workspace_at_once_upgrade_it_once(tmp_path):
    import os
    import subprocess
    import sys

    db = tmp_path / "old.db"
    _old_workspace(db)
    code = ("import sys, json; from rashomon.store import Store\n"
            "with Store(sys.argv[1]) as s: print(json.dumps(s.records('events')))")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2] / "src"))
    procs = [subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for _ in range(3)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e[-500:] for _, e in outs]
    assert len({o for o, _ in outs}) == 1 and json.loads(outs[0][0])[0]["cameo"] == "040"
    with Store(db) as s:
        names = [r[0] for r in s.conn.execute("SELECT name FROM _migrations")]
        assert names.count("0004_analyst_columns") == 1
