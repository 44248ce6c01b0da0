"""ACLED CSV and PLOVER JSON exports from hand-made stored events (made-up sentences)."""

from __future__ import annotations

import csv
import re

import pytest

from rashomon.analyze.acled import sub_event_info, taxonomy
from rashomon.analyze.events import code_info
from rashomon.model import Actor, Document, Entity, Event
from rashomon.present.acled import (
    ACLED_COLUMNS,
    COLUMNS,
    acled_type,
    actor_name,
    export_acled,
)
from rashomon.present.plover import export_plover

TEXT = "Soldiers shot a farmer near Chartar. The minister condemned the killing."

# the column list of ACLED's export (codebook, "ACLED data columns at a glance")
CODEBOOK_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp"]


def _event(eid, code, start, end, source, target, text=TEXT, doc_id="d1", **kw):
    info = code_info(code)
    return Event(id=eid, doc_id=doc_id, start=start, end=end, sentence=text[start:end],
                 cameo=code, plover=info.plover or "", plover_mode=info.mode,
                 goldstein=info.goldstein, source_actor=source, target_actor=target,
                 date=kw.get("date", "2021-12-03"), date_precision=kw.get("precision", "day"),
                 modality=kw.get("modality", {"reported_by": "outlet"}), place=kw.get("place"))


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


def _rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_acled_only_material_factual_events(fresh_db, tmp_path):
    store = _store(fresh_db)
    [path] = export_acled(store, tmp_path)
    rows = _rows(path)
    assert list(rows[0].keys()) == COLUMNS
    assert [r["event_id"] for r in rows] == ["e1"]  # verbal e2 and negated e3 are skipped
    row = rows[0]
    assert row["event_type"] == "Violence against civilians" and row["sub_event_type"] == "Attack"
    assert row["disorder_type"] == "Political violence"
    assert row["source"] == "Example News" and row["event_date"] == "2021-12-03"
    assert row["inter1"] == "1" and row["inter2"] == "7" and row["interaction"] == "17"
    assert row["actor1"] == "Military Forces of Azerbaijan"
    assert row["actor2"] == "Civilians (Armenia)"
    assert row["civilian_targeting"] == "Civilian targeting"
    assert row["country"] == "Azerbaijan" and row["latitude"] == "39.8"
    assert row["time_precision"] == "1" and row["doc_id"] == "d1"
    assert row["cameo"] == "193" and row["plover"] == "ASSAULT" and row["tags"] == ""
    assert row["main"] == "true" and row["fatalities"] == "0"


def test_acled_type_mapping_by_target():
    soldiers = Actor(name="troops", sector="MIL")
    clash = _event("x", "193", 0, 5, soldiers, Actor(name="rebels", sector="REB"))
    assert acled_type(clash) == ("Battles", "Armed clash")
    assert acled_type(_event("x", "194", 0, 5, soldiers, None))[0] == "Explosions/Remote violence"
    assert acled_type(_event("x", "141", 0, 5, None, None)) == ("Protests", "Peaceful protest")
    assert acled_type(_event("x", "173", 0, 5, None, None)) == ("Strategic developments", "Arrests")
    assert acled_type(_event("x", "181", 0, 5, None, None))[1] == "Abduction/forced disappearance"
    assert acled_type(_event("x", "020", 0, 5, None, None)) is None


def test_acled_blockade_is_a_strategic_development_not_a_battle():
    ev = Event(id="e", doc_id="d", start=0, end=10, sentence="x", cameo="191", plover="COERCE",
               source_actor=Actor("army", sector="MIL"), target_actor=Actor("town", sector="CVL"))
    assert acled_type(ev) == ("Strategic developments", "Other")


def test_plover_export_records(fresh_db, tmp_path):
    from rashomon.present.plover import read_plover

    store = _store(fresh_db)
    [path] = export_plover(store, tmp_path)
    assert path.name == "plover.jsonl"
    records = read_plover(path)
    assert {r["id"] for r in records} == {"e1", "e2", "e3"}
    r = next(r for r in records if r["id"] == "e1")
    assert r["event"] == ["ASSAULT"] and r["mode"] == ["firearms"]
    assert r["actor"] == [{"code": "AZE", "sector": "MIL", "entityText": "Soldiers",
                           "identifierId": None, "identifierText": None}]
    assert TEXT[r["textInfo"]["start"]:r["textInfo"]["end"]] == r["text"] and r["docId"] == "d1"
    assert r["citeInfo"]["publication"] == "Example News"
    negated = next(r for r in records if r["id"] == "e3")
    assert "negation" in negated["context"]  # PLOVER's auxiliary mode, in the context


# -- a richer document: typer sub-events, canonical actors, dates, places, main event -------

STORY = ("Warplanes struck the village of Amberley on Sunday, killing two civilians. "
         "Fighters of the Northern Front seized the town of Westmoor. "
         "The airlift began on Monday. "
         "Hundreds of protesters rallied peacefully in Chicago. "
         "The government imposed sanctions on two diplomats.")


def _span(sentence):
    start = STORY.index(sentence)
    return start, start + len(sentence)


def _story_store(fresh_db):
    fresh_db.put_document(Document(id="d2", source="s.txt", text=STORY, publisher="Example News",
                                   published="2021-12-06"))
    fresh_db.put_entities([
        Entity(id="prof:nf", kind="armed_group", name="Northern Front", country="USA",
               sector="REB", origin="profile"),
        Entity(id="prof:example", kind="media", name="Example News", country="USA",
               sector="MED", origin="profile"),
    ])
    s1 = _span("Warplanes struck the village of Amberley on Sunday, killing two civilians.")
    s2 = _span("Fighters of the Northern Front seized the town of Westmoor.")
    s3 = _span("The airlift began on Monday.")
    s4 = _span("Hundreds of protesters rallied peacefully in Chicago.")
    s5 = _span("The government imposed sanctions on two diplomats.")
    chicago = {"name": "Chicago", "entity_id": "geo:4887398", "lat": 41.85, "lon": -87.65,
               "country": "USA"}
    evs = [
        # listed out of order on purpose: the export puts the main (lead) event first
        _event("s2", "192", *s2, Actor("Fighters", entity_id="prof:nf", sector="REB"), None,
               text=STORY, doc_id="d2", date="2021-12-06", precision="document",
               place={"name": "Westmoor", "lat": 40.0, "lon": -80.0, "country": "USA"}),
        _event("s1", "195", *s1, Actor("Warplanes", sector="MIL", country="USA"),
               Actor("civilians", sector="CVL", country="USA"), text=STORY, doc_id="d2",
               date="2021-12-05", precision="day",
               place={"name": "Amberley", "entity_id": "geo:country:USA", "country": "USA"}),
        _event("s3", "073", *s3, Actor("airlift"), None, text=STORY, doc_id="d2",
               place={"name": "Chicago", "country": "USA"}),
        _event("s4", "141", *s4, Actor("protesters"), None, text=STORY, doc_id="d2",
               date="2021-12-06", precision="document", place=chicago),
        _event("s5", "163", *s5, Actor("government", sector="GOV", country="USA"),
               Actor("diplomats", sector="GOV"), text=STORY, doc_id="d2", place=chicago),
    ]
    fresh_db.replace_doc_records("events", "v1", "fp", "d2", {"events": evs})
    return fresh_db


@pytest.fixture
def story_rows(fresh_db, tmp_path):
    [path] = export_acled(_story_store(fresh_db), tmp_path)
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    return header, _rows(path)


def test_columns_follow_the_codebook_then_ours(story_rows):
    header, _ = story_rows
    assert ACLED_COLUMNS == CODEBOOK_COLUMNS
    assert header[:len(CODEBOOK_COLUMNS)] == CODEBOOK_COLUMNS
    assert header[len(CODEBOOK_COLUMNS):len(CODEBOOK_COLUMNS) + 2] == ["doc_id", "event_id"]
    assert "cameo" in header and "plover" in header


def test_values_are_in_the_codebooks_sets(story_rows):
    _, rows = story_rows
    tax = taxonomy()
    assert rows
    for r in rows:
        assert r["event_type"] in tax["event_types"]
        info = sub_event_info(r["sub_event_type"])
        assert info is not None and info.event_type == r["event_type"]
        assert r["disorder_type"] in tax["disorder_types"]
        assert r["disorder_type"] == info.disorder_type
        codes = [int(x) for x in (r["inter1"], r["inter2"]) if x]
        assert all(1 <= c <= 8 for c in codes) and r["inter1"]
        expected = "".join(str(c) for c in sorted(codes)) if len(codes) == 2 else f"{codes[0]}0"
        assert re.fullmatch(r"[1-8][0-8]", r["interaction"]) and r["interaction"] == expected
        assert r["civilian_targeting"] in ("", "Civilian targeting")
        assert r["time_precision"] in ("1", "2", "3")
        assert r["geo_precision"] in ("", "1", "2", "3")
        assert r["source_scale"] in ("", *tax["source_scales"])
        assert r["fatalities"].isdigit()
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["event_date"])
        assert r["year"] == r["event_date"][:4]
        assert r["main"] in ("true", "false")
        regions = set(tax["regions"]["by_country"]) | set(tax["regions"]["by_continent"].values())
        assert r["region"] in regions


def test_story_rows_by_typer_and_conventions(story_rows):
    _, rows = story_rows
    by_id = {r["event_id"]: r for r in rows}
    # sanctions are diplomacy (no ACLED row); the airlift has no nameable actor (dropped)
    assert set(by_id) == {"s1", "s2", "s4"}
    air = by_id["s1"]
    assert air["sub_event_type"] == "Air/drone strike" and air["sub_event_source"] == "typer"
    assert air["fatalities"] == "2" and air["civilian_targeting"] == "Civilian targeting"
    assert air["event_date"] == "2021-12-05" and air["time_precision"] == "1"
    assert air["geo_precision"] == "3"  # a whole country
    assert air["source_scale"] == "National"  # the outlet's country is the event's
    assert air["main"] == "true" and rows[0]["event_id"] == "s1"
    terr = by_id["s2"]
    assert terr["sub_event_type"] == "Non-state actor overtakes territory"
    assert terr["actor1"] == "Northern Front (United States)" and terr["inter1"] == "2"
    assert terr["interaction"] == "20" and terr["time_precision"] == "2"
    protest = by_id["s4"]
    assert protest["event_type"] == "Protests"
    assert protest["actor1"] == "Protesters (United States)" and protest["interaction"] == "60"
    assert protest["admin1"] == "Illinois" and protest["geo_precision"] == "1"
    assert protest["region"] == "North America" and protest["country"] == "United States"
    assert protest["timestamp"] == "1638748800"  # 2021-12-06 00:00 UTC
    assert [r["main"] for r in rows].count("true") == 1


def test_actor_names_are_canonical_or_none():
    ents = {"prof:x": {"id": "prof:x", "kind": "armed_group", "name": "Hill Brigade",
                       "country": "USA", "sector": "REB", "origin": "profile"},
            "ner:organisation:y": {"id": "ner:organisation:y", "kind": "organisation",
                                   "name": "negative statements", "origin": "ner"}}
    assert actor_name(Actor("the brigade", entity_id="prof:x"), ents, None) == \
        ("Hill Brigade (United States)", 2)
    assert actor_name(Actor("police", sector="COP"), ents, "USA") == \
        ("Police Forces of United States", 1)
    # a raw phrase: no canonical entity, no actor type
    assert actor_name(Actor("negative statements", entity_id="ner:organisation:y"), ents,
                      "USA") is None
    assert actor_name(Actor("our citizens"), ents, "USA") is None


def test_rows_follow_acled_actor_rules():
    from rashomon.present.acled import acled_rows

    text = ("Government troops recaptured the village of Eastbrook. "
            "Hundreds of protesters rallied outside the embassy. "
            "Militants attacked the post. "
            "The militia will attack the town tomorrow, its leader warned.")
    s1 = (0, text.index(" Hundreds"))
    s2 = (s1[1] + 1, text.index(" Militants"))
    s3 = (s2[1] + 1, text.index(" The militia"))
    s4 = (s3[1] + 1, len(text))
    evs = [
        # the actor named by the event is a rebel group: a capture by it is no regain
        _event("t1", "192", *s1, Actor("troops", sector="REB", country="USA"), None, text=text,
               doc_id="d9"),
        # the protest's first actor is whoever protested; the named police face them
        _event("t2", "141", *s2, Actor("police", sector="COP", country="USA"), None, text=text,
               doc_id="d9"),
        # no place and no actor country anywhere: ACLED needs a country, no row
        _event("t3", "190", *s3, Actor("militants", sector="REB"), None, text=text,
               doc_id="d9"),
        # a threat the events layer did not flag: the typer reads it as unrealised
        _event("t4", "190", *s4, Actor("militia", sector="UAF", country="USA"), None,
               text=text, doc_id="d9"),
    ]
    rows = {r["event_id"]: r for r in acled_rows(evs, {})}
    assert set(rows) == {"t1", "t2"}
    assert rows["t1"]["sub_event_type"] == "Non-state actor overtakes territory"
    assert rows["t1"]["actor1"] == "Unidentified Armed Group (United States)"
    assert rows["t2"]["actor1"] == "Protesters (United States)"
    assert rows["t2"]["actor2"] == "Police Forces of United States"
    assert rows["t2"]["interaction"] == "16"
