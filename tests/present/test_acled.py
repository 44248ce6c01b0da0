"""ACLED CSV and PLOVER JSON exports from hand-made stored events."""

from __future__ import annotations

import csv
import json

from rashomon.analyze.events._codes import code_info
from rashomon.model import Actor, Document, Event
from rashomon.present.acled import COLUMNS, acled_type, export_acled
from rashomon.present.plover import export_plover

TEXT = "Soldiers shot a farmer near Chartar. The minister condemned the killing."


def _event(eid, code, start, end, source, target, **kw):
    info = code_info(code)
    return Event(id=eid, doc_id="d1", start=start, end=end, sentence=TEXT[start:end], cameo=code,
                 plover=info.plover or "", plover_mode=info.mode, goldstein=info.goldstein,
                 source_actor=source, target_actor=target, date="2021-12-03",
                 date_precision="day", modality=kw.get("modality", {"reported_by": "outlet"}),
                 place=kw.get("place"))


def _store(fresh_db):
    fresh_db.put_document(Document(id="d1", source="t.txt", text=TEXT, publisher="Example News"))
    evs = [
        _event("e1", "193", 0, 36, Actor(name="Soldiers", country="AZE", sector="MIL"),
               Actor(name="farmer", country="ARM", sector="CVL"),
               place={"name": "Chartar", "lat": 39.8, "lon": 46.9, "country": "AZE"}),
        _event("e2", "111", 37, len(TEXT), Actor(name="minister", sector="GOV"), None),
        _event("e3", "190", 0, 36, Actor(name="Soldiers", sector="MIL"), None,
               modality={"negated": True, "reported_by": "outlet"}),
    ]
    fresh_db.replace_doc_records("events", "v1", "fp", "d1", {"events": evs})
    return fresh_db


def test_acled_only_material_factual_events(fresh_db, tmp_path):
    store = _store(fresh_db)
    [path] = export_acled(store, tmp_path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert list(rows[0].keys()) == COLUMNS
    assert [r["event_id"] for r in rows] == ["e1"]  # verbal e2 and negated e3 are skipped
    row = rows[0]
    assert row["event_type"] == "Violence against civilians" and row["sub_event_type"] == "Attack"
    assert row["disorder_type"] == "Political violence"
    assert row["source"] == "Example News" and row["event_date"] == "2021-12-03"
    assert row["inter1"] == "1" and row["inter2"] == "7" and row["interaction"] == "17"
    assert row["country"] == "Azerbaijan" and row["latitude"] == "39.8"
    assert row["time_precision"] == "1" and row["doc_id"] == "d1"


def test_acled_type_mapping_by_target():
    soldiers = Actor(name="troops", sector="MIL")
    clash = _event("x", "193", 0, 5, soldiers, Actor(name="rebels", sector="REB"))
    assert acled_type(clash) == ("Battles", "Armed clash")
    assert acled_type(_event("x", "194", 0, 5, soldiers, None))[0] == "Explosions/Remote violence"
    assert acled_type(_event("x", "141", 0, 5, None, None)) == ("Protests", "Peaceful protest")
    assert acled_type(_event("x", "173", 0, 5, None, None)) == ("Strategic developments", "Arrests")
    assert acled_type(_event("x", "181", 0, 5, None, None))[1] == "Abduction/forced disappearance"
    assert acled_type(_event("x", "020", 0, 5, None, None)) is None


def test_plover_export_records(fresh_db, tmp_path):
    store = _store(fresh_db)
    [path] = export_plover(store, tmp_path)
    records = json.loads(path.read_text(encoding="utf-8"))
    assert {r["id"] for r in records} == {"e1", "e2", "e3"}
    r = next(r for r in records if r["id"] == "e1")
    assert r["event"] == "ASSAULT" and r["mode"] == "firearms"
    assert r["source"] == [{"actorText": "Soldiers", "code": "AZE", "sector": "MIL"}]
    assert TEXT[r["start"]:r["end"]] == r["text"] and r["doc_id"] == "d1"


def test_acled_blockade_is_a_strategic_development_not_a_battle():
    from rashomon.model import Actor, Event
    from rashomon.present.acled import acled_type

    ev = Event(id="e", doc_id="d", start=0, end=10, sentence="x", cameo="191", plover="COERCE",
               source_actor=Actor("army", sector="MIL"), target_actor=Actor("town", sector="CVL"))
    assert acled_type(ev) == ("Strategic developments", "Other")
