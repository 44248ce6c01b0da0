"""Flat exports read back with pandas; GeoJSON; ClaimReview; the data dictionary is current."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from rashomon import layers
from rashomon.model import Actor, Contradiction, Document, Entity, Event
from rashomon.present.claimreview import ReviewerMissing, claim_reviews
from rashomon.present.export import export
from rashomon.present.tables import csv_dtypes, data_dictionary, events_geojson
from rashomon.store import Store

ROOT = Path(__file__).resolve().parents[2]
T0 = "Officials of the North met envoys in Tollen on 3 May."
T1 = "The South said no meeting took place in Tollen."


@pytest.fixture
def filled(fresh_db: Store) -> Store:
    s = fresh_db
    s.put_document(Document(id="d0", source="0.txt", text=T0, publisher="North Herald",
                            side="north", url="https://north.example/a", title="Talks",
                            published="2024-05-04"))
    s.put_document(Document(id="d1", source="1.txt", text=T1, publisher="South Courier",
                            side="south", published="2024-05-05"))
    s.put_entities([Entity(id="amara", kind="person", name="Amara Quist")])
    s.ensure_record_tables(layers.span_tables(), layers.corpus_tables())
    s.replace_doc_records("events", "v1", "f", "d0", {"events": [
        Event(id="e0", doc_id="d0", start=0, end=len(T0), sentence=T0, cameo="040",
              plover="CONSULT", goldstein=1.0, date="2024-05-03",
              source_actor=Actor("Officials of the North"),
              place={"name": "Tollen", "entity_id": "tollen", "lat": 46.5, "lon": 70.25}),
        Event(id="e1", doc_id="d0", start=0, end=9, sentence=T0, cameo="010", plover="CONSULT"),
    ]})
    pair = Contradiction(
        id="x1", kind="occurrence", story_id=None, confidence=0.8,
        a={"doc_id": "d0", "start": 0, "end": len(T0), "text": T0, "outlet": "North Herald",
           "speaker": "Amara Quist", "speaker_entity": "amara", "side": "north"},
        b={"doc_id": "d1", "start": 0, "end": len(T1), "text": T1, "outlet": "South Courier",
           "speaker": None, "side": "south"},
        attrs={"reason": "met vs no meeting"})
    s.replace_corpus_records("contradictions", [pair, Contradiction(
        id="x2", kind="occurrence", story_id=None, confidence=0.4,
        a={"doc_id": "d0", "start": 1, "end": 5, "text": "x"},
        b={"doc_id": "d1", "start": 1, "end": 5, "text": "y"})])
    s.set_contradiction_status("x1", "confirmed", "both reports read")
    return s


def test_csv_and_parquet_read_back_with_pandas_keeping_codes_as_strings(filled, tmp_path):
    paths = export(filled, tmp_path, ["csv", "parquet"])
    assert tmp_path / "csv" / "events.csv" in paths
    pq = pd.read_parquet(tmp_path / "parquet" / "events.parquet")
    assert sorted(pq["cameo"]) == ["010", "040"]
    assert pq.set_index("id").loc["e0", "lat"] == 46.5
    assert pq.set_index("id").loc["e0", "outlet"] == "North Herald"
    csv = pd.read_csv(tmp_path / "csv" / "events.csv", dtype=csv_dtypes(filled, "events"))
    assert sorted(csv["cameo"]) == ["010", "040"]
    assert list(csv.sort_values("id")["quad_class"]) == [1, 1]
    # the datapackage says the same types to any Frictionless reader
    pkg = json.loads((tmp_path / "csv" / "datapackage.json").read_text())
    events = next(r for r in pkg["resources"] if r["name"] == "events")
    types = {f["name"]: f["type"] for f in events["schema"]["fields"]}
    assert types["cameo"] == "string" and types["lat"] == "number"
    # documents: the text comes out once, whole
    docs = pd.read_parquet(tmp_path / "parquet" / "documents.parquet")
    assert set(docs["text"]) == {T0, T1}
    con = pd.read_csv(tmp_path / "csv" / "contradictions.csv",
                      dtype=csv_dtypes(filled, "contradictions"))
    assert con.set_index("id").loc["x1", "status"] == "confirmed"


def test_geojson_has_located_events_only_in_lon_lat_order(filled):
    fc = events_geojson(filled)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 1
    f = fc["features"][0]
    assert f["geometry"] == {"type": "Point", "coordinates": [70.25, 46.5]}
    assert f["properties"]["cameo"] == "040" and f["properties"]["camp"] == "north"


def test_claimreview_for_reviewed_contradictions(filled):
    with pytest.raises(ReviewerMissing):
        claim_reviews(filled, "")
    items = claim_reviews(filled, "Example Desk", "https://desk.example")
    assert len(items) == 2  # x2 was never reviewed: no ClaimReview
    a = next(i for i in items if i["identifier"] == "x1:a")
    assert a["@context"] == "https://schema.org" and a["@type"] == "ClaimReview"
    assert a["author"] == {"@type": "Organization", "name": "Example Desk",
                           "url": "https://desk.example"}
    assert a["claimReviewed"] == T0
    assert a["itemReviewed"]["author"] == {"@type": "Person", "name": "Amara Quist"}
    app = a["itemReviewed"]["appearance"]
    assert app["url"] == "https://north.example/a" and app["datePublished"] == "2024-05-04"
    assert app["publisher"]["name"] == "North Herald"
    assert a["reviewRating"]["alternateName"] == "Disputed by another account"
    assert "South Courier" in a["reviewRating"]["ratingExplanation"]
    assert a["reviewBody"] == "both reports read"
    b = next(i for i in items if i["identifier"] == "x1:b")
    assert b["itemReviewed"]["author"] == {"@type": "Organization", "name": "South Courier"}
    filled.set_contradiction_status("x1", "rejected")
    again = claim_reviews(filled, "Example Desk")
    assert {i["reviewRating"]["alternateName"] for i in again} == {"No contradiction found"}


def test_cli_export_writes_every_format(filled, tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), RASHOMON_REVIEWER="Example Desk")
    r = subprocess.run([sys.executable, "-c", "from rashomon.cli import main; main()", "export",
                        "--out", str(out), "--db", str(filled.path), "--json"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    names = {Path(p).name for p in json.loads(r.stdout)}
    assert {"events.csv", "events.parquet", "events.geojson", "claimreview.jsonld", "data.md",
            "datasette-metadata.json", "events.jsonl"} <= names
    items = json.loads((out / "claimreview.jsonld").read_text())
    assert items[0]["author"]["name"] == "Example Desk"
    # without a reviewer, "all" still exports and says what it skipped
    env.pop("RASHOMON_REVIEWER")
    r = subprocess.run([sys.executable, "-c", "from rashomon.cli import main; main()", "export",
                        "--out", str(tmp_path / "o2"), "--db", str(filled.path)],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0 and "claimreview skipped" in r.stderr


def test_data_dictionary_is_current():
    doc = ROOT / "docs" / "data.md"
    assert doc.read_text(encoding="utf-8") == data_dictionary(), (
        "docs/data.md is stale: run `rashomon export --format dictionary --out docs`")
