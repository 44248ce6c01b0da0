"""PLOVER JSON Lines and the GDELT-style event table, read back by their ecosystems' tools
(pandas for the CSVs, a JSON Schema validator for the JSONL); made-up sentences only."""

from __future__ import annotations

import json

import jsonschema
import pandas as pd
import pytest

from rashomon.analyze.events import code_info
from rashomon.model import Actor, Document, Event, Story
from rashomon.present.acled import export_acled
from rashomon.present.gdelt import CODE_COLUMNS, COLUMNS, GDELT_COLUMNS, export_gdelt
from rashomon.present.plover import FIELDS, export_plover, read_plover, schema

TEXT = ("Troops shelled the market in Amberley on Sunday. "
        "The ministry made a statement about the shelling. "
        "Officials said they would meet the envoy next week.\n"
        "Delegates consulted the envoy in Chicago.")
OTHER = "Troops shelled the market in Amberley, a second outlet reported."

# GDELT 2.0 event table, in its documented order (the columns this system can fill)
GDELT_ORDER = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate", "Actor1Code", "Actor1Name",
    "Actor1CountryCode", "Actor1Type1Code", "Actor2Code", "Actor2Name", "Actor2CountryCode",
    "Actor2Type1Code", "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode",
    "QuadClass", "GoldsteinScale", "NumMentions", "NumSources", "NumArticles",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "SOURCEURL"]


def _span(text, sentence):
    start = text.index(sentence)
    return start, start + len(sentence)


def _event(eid, code, text, sentence, source, target, doc_id="d1", **kw):
    info = code_info(code)
    start, end = _span(text, sentence)
    ev = Event(id=eid, doc_id=doc_id, start=start, end=end, sentence=sentence, cameo=code,
               plover=info.plover or "", plover_mode=info.mode, goldstein=info.goldstein,
               plover_intensity=info.intensity, trigger=kw.get("trigger"),
               source_actor=source, target_actor=target, date=kw.get("date"),
               date_precision=kw.get("precision"), place=kw.get("place"),
               modality=kw.get("modality", {"reported_by": "outlet"}),
               attrs=dict(kw.get("attrs", {})))
    return ev


@pytest.fixture
def store(fresh_db):
    fresh_db.put_document(Document(id="d1", source="a.html", text=TEXT, publisher="Example News",
                                   url="https://news.example/a", title="Market shelled",
                                   published="2021-12-06", language="en"))
    fresh_db.put_document(Document(id="d2", source="b.html", text=OTHER,
                                   publisher="Second Outlet", published="2021-12-06"))
    amberley = {"name": "Amberley", "entity_id": "geo:country:USA", "country": "USA"}
    chicago = {"name": "Chicago", "entity_id": "geo:4887398", "lat": 41.85, "lon": -87.65,
               "country": "USA"}
    troops = Actor("Troops", country="USA", sector="MIL")
    d1 = [
        _event("e1", "194", TEXT, "Troops shelled the market in Amberley on Sunday.", troops,
               None, date="2021-12-05", precision="day", place=amberley, trigger="shelled",
               attrs={"main": True, "lead": True}),
        _event("e2", "010", TEXT, "The ministry made a statement about the shelling.",
               Actor("ministry", country="USA", sector="GOV"), None, trigger="statement"),
        _event("e3", "040", TEXT, "Officials said they would meet the envoy next week.",
               Actor("Officials", country="USA", sector="GOV"), Actor("envoy"),
               modality={"future": True, "reported_by": "outlet"}, trigger="meet"),
        _event("e4", "040", TEXT, "Delegates consulted the envoy in Chicago.",
               Actor("Delegates", country="USA", sector="GOV"), Actor("envoy", sector="GOV"),
               date="2021-12-06", precision="document", place=chicago, trigger="consulted"),
    ]
    d2 = [_event("f1", "194", OTHER, OTHER, troops, None, doc_id="d2", place=amberley,
                 date="2021-12-05", precision="day", trigger="shelled")]
    fresh_db.replace_doc_records("events", "v1", "fp", "d1", {"events": d1})
    fresh_db.replace_doc_records("events", "v1", "fp", "d2", {"events": d2})
    story = Story(id="st1", title="Amberley shelling", date="2021-12-05",
                  event_ids=["e1", "f1"], doc_ids=["d1", "d2"])
    fresh_db.replace_corpus_records("stories", [story])
    return fresh_db


def test_plover_jsonl_validates_against_its_schema(store, tmp_path):
    [path] = export_plover(store, tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(x) for x in lines]
    assert records == read_plover(path)
    jsonschema.Draft202012Validator.check_schema(schema())
    validator = jsonschema.Draft202012Validator(schema())
    for r in records:
        assert list(r) == list(FIELDS)
        errors = [e.message for e in validator.iter_errors(r)]
        assert errors == [], (r["id"], errors)
    # the 01x statement has no PLOVER category; every other event is a line
    assert [r["id"] for r in records] == ["e1", "e3", "e4", "f1"]


def test_plover_fields_are_null_never_empty(store, tmp_path):
    [path] = export_plover(store, tmp_path)
    records = {r["id"]: r for r in read_plover(path)}

    def strings(v):
        if isinstance(v, dict):
            for x in v.values():
                yield from strings(x)
        elif isinstance(v, list):
            for x in v:
                yield from strings(x)
        elif isinstance(v, str):
            yield v

    assert "" not in [s for r in records.values() for s in strings(r)]
    e1, e3, e4 = records["e1"], records["e3"], records["e4"]
    assert e1["recipient"] is None and e1["date"] == "2021-12-05"
    assert e1["eventLoc"]["resolution"] == 1 and e1["eventLoc"]["countryCode"] == "USA"
    assert e1["eventLoc"]["geonameid"] is None and e1["main"] is True
    assert e4["eventLoc"]["geonameid"] == 4887398 and e4["eventLoc"]["resolution"] == 4
    assert e4["eventLoc"]["province"] == "Illinois"
    assert e1["citeInfo"] == {"url": "https://news.example/a", "title": "Market shelled",
                              "publication": "Example News", "language": "en",
                              "corpus": "a.html", "coder": "rashomon"}
    assert e1["quadCode"] == 4 and e4["quadCode"] == 1
    assert e3["date"] == "2021-12-06"  # no date of its own: its document's
    assert "future" in e3["context"]


def test_schema_rejects_an_empty_string(store, tmp_path):
    [path] = export_plover(store, tmp_path)
    rec = read_plover(path)[0]
    rec["text"] = ""
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(rec, schema(), cls=jsonschema.Draft202012Validator)


def test_gdelt_columns_codes_and_story_counts(store, tmp_path):
    [path] = export_gdelt(store, tmp_path)
    assert GDELT_COLUMNS == GDELT_ORDER
    df = pd.read_csv(path, dtype={c: str for c in CODE_COLUMNS}, keep_default_na=False)
    assert list(df.columns) == COLUMNS
    # only current, asserted events: the future meeting (e3) is no row
    assert list(df["rashomon_event_id"]) == ["e1", "e2", "e4", "f1"]
    assert list(df["GLOBALEVENTID"]) == [1, 2, 3, 4]
    e1, e2, e4, f1 = (df[df["rashomon_event_id"] == i].iloc[0] for i in ("e1", "e2", "e4", "f1"))
    assert e1["SQLDATE"] == "20211205" and e1["MonthYear"] == "202112" and e1["Year"] == 2021
    assert e1["Actor1Code"] == "USAMIL" and e1["Actor1Name"] == "TROOPS"
    assert e1["EventCode"] == "194" and e1["EventRootCode"] == "19" and e1["QuadClass"] == 4
    assert e1["IsRootEvent"] == 1 and e4["IsRootEvent"] == 0
    assert (e1["NumMentions"], e1["NumSources"], e1["NumArticles"]) == (2, 2, 2)
    assert (e4["NumMentions"], e4["NumSources"], e4["NumArticles"]) == (1, 1, 1)
    assert e2["EventCode"] == "010" and e2["EventBaseCode"] == "010" and e2["QuadClass"] == 1
    assert e4["EventCode"] == "040" and e4["EventRootCode"] == "04"
    # an event without a place leaves its geo columns empty, so they read as text here
    assert e1["ActionGeo_Type"] == "1" and e1["ActionGeo_CountryCode"] == "US"
    assert e2["ActionGeo_Type"] == "" and e2["ActionGeo_FullName"] == ""
    assert e4["ActionGeo_Type"] == "3" and e4["ActionGeo_ADM1Code"] == "USIL"
    assert e4["ActionGeo_FeatureID"] == "4887398" and float(e4["ActionGeo_Lat"]) == 41.85
    assert e1["SOURCEURL"] == "https://news.example/a" and f1["SOURCEURL"] == "b.html"
    assert e1["GoldsteinScale"] == code_info("194").goldstein
    assert abs(float(e1["FractionDate"]) - (2021 + 339 / 365)) < 1e-4


def test_csvs_keep_codes_as_strings_in_pandas(store, tmp_path):
    """CAMEO "040" and "010" must survive a round trip through pandas as text."""
    [gdelt] = export_gdelt(store, tmp_path)
    df = pd.read_csv(gdelt, dtype=str, keep_default_na=False)
    assert set(df["EventCode"]) == {"194", "010", "040"}
    assert all(len(c) == 2 for c in df["EventRootCode"])
    [acled] = export_acled(store, tmp_path)
    adf = pd.read_csv(acled, dtype={"cameo": str, "interaction": str, "inter1": str,
                                    "inter2": str, "iso": str}, keep_default_na=False)
    assert len(adf) >= 1 and all(c.isdigit() and len(c) >= 3 for c in adf["cameo"])
    assert all(i.isdigit() and len(i) == 2 for i in adf["interaction"] if i)
