"""The whole pipeline on the five real seed pages: what an analyst must see.

Needs ../shared/seeds (skips with a reason otherwise).  One analysis run is
shared by all tests of this module.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from rashomon.ingest.pipeline import ingest
from rashomon.pipeline import analyze
from rashomon.present.export import export
from rashomon.present.report import write_report
from rashomon.profiles import load_profile
from rashomon.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seeds_run(seeds_dir, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("seeds")
    store = Store(tmp / "w.db")
    rep = ingest(store, [str(seeds_dir)])
    assert rep.errors == []
    profile = load_profile("caucasus")
    result = analyze(store, profile)
    assert result.errors == []
    export(store, tmp / "out")
    write_report(store, profile, tmp / "report.html")
    rows = {name: [json.loads(x) for x in (tmp / "out" / f"{name}.jsonl").read_text().splitlines()]
            for name in ("documents", "stories", "contradictions", "framing", "events", "quotes",
                         "mentions")}
    rows["by_seed"] = {Path(d["source"]).name[:3]: d for d in rows["documents"]}
    rows["report"] = (tmp / "report.html").read_text()
    yield rows
    store.close()


def test_seeds_e2e_documents_cleaned(seeds_run):
    docs = seeds_run["by_seed"]
    assert len(docs["001"]["comments"]) == 1
    assert len(docs["003"]["comments"]) == 13
    assert len(docs["004"]["references"]) == 17
    assert docs["003"]["author"] == "Lillian Avedian"
    for d in docs.values():
        for chrome in ("in your inbox", "Leave a Reply", "You May Also Like", "Back to top",
                       "Source link", "Exit mobile version", "Show More"):
            assert chrome not in d["text"], (d["source"], chrome)


def test_seeds_e2e_contradictions_of_every_listed_kind(seeds_run):
    by_kind = defaultdict(list)
    for c in seeds_run["contradictions"]:
        by_kind[c["kind"]].append(c)
    for kind in ("opposite_legal_qualification", "incompatible_account", "date_mismatch",
                 "polarity", "voluntary_vs_forced"):
        assert by_kind[kind], f"no {kind} contradiction found"
    legal = " ".join(c["a"]["text"] + " || " + c["b"]["text"]
                     for c in by_kind["opposite_legal_qualification"])
    assert "illegal" in legal and "customs and border checkpoint" in legal
    account = by_kind["incompatible_account"][0]
    assert {account["a"]["doc_id"]} == {account["b"]["doc_id"]}  # one page, two voices
    assert account["a"]["speaker"] != account["b"]["speaker"]
    dates = " ".join(c["a"]["text"] + c["b"]["text"] for c in by_kind["date_mismatch"])
    assert "January 2023" in dates and "22 February 2023" in dates
    polarity = " ".join(c["a"]["text"] + c["b"]["text"] for c in by_kind["polarity"])
    assert "sealed off" in polarity and "daily basis" in polarity
    for c in seeds_run["contradictions"]:
        assert c["status"] in ("new", "confirmed", "rejected") and 0 < c["confidence"] <= 1
        for end in (c["a"], c["b"]):
            doc = next(d for d in seeds_run["documents"] if d["id"] == end["doc_id"])
            assert doc["text"][end["start"]:end["end"]] == end["text"]


def test_seeds_e2e_framing_differs_by_side(seeds_run):
    uses = defaultdict(lambda: defaultdict(int))
    for r in seeds_run["framing"]:
        uses[(r["referent"], r["term"])][r["side"]] += r["count"]
    closure_a = {t: n for (ref, t), s in uses.items() for side, n in s.items()
                 if side == "side-a" and ref == "road-closure"}
    closure_b = {t: n for (ref, t), s in uses.items() for side, n in s.items()
                 if side == "side-b" and ref == "road-closure"}
    assert closure_a and closure_b
    assert max(closure_a, key=closure_a.get) != max(closure_b, key=closure_b.get)
    toponyms = [r for r in seeds_run["framing"] if r["kind"] == "toponym"]
    names = {(r["side"], r["term"]) for r in toponyms}
    assert ("side-a", "Stepanakert") in names and ("side-b", "Khankendi") in names


def _stories_on(seeds_run, day: str) -> list[dict]:
    return [s for s in seeds_run["stories"]
            if s["date"] and s["date"] <= day <= (s.get("date_end") or s["date"])]


@pytest.mark.parametrize("day", ["2022-12-12", "2023-04-23"])
def test_seeds_e2e_disputed_events_are_stories_told_by_both_sides(seeds_run, day):
    stories = _stories_on(seeds_run, day)
    both = [s for s in stories if {"side-a", "side-b"} <= set(s["sides"])]
    assert both, f"no story on {day} told by both sides: {[(s['title'], s['sides']) for s in stories]}"


def test_seeds_e2e_report_shows_the_findings(seeds_run):
    page = seeds_run["report"]
    assert "opposite_legal_qualification" in page and "voluntary_vs_forced" in page
    assert "Khankendi" in page and "Stepanakert" in page
