"""Coverage matrix and blindspots on hand-made stories."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from rashomon.compare.coverage import coverage_layer, coverage_matrix, coverage_rows
from rashomon.layers import CorpusContext
from rashomon.model import Document, Event, Story
from rashomon.profiles import Profile

META = {
    "d1": {"id": "d1", "publisher": "North Herald", "side": "north"},
    "d2": {"id": "d2", "publisher": "North Herald", "side": "north"},
    "d3": {"id": "d3", "publisher": "South Courier", "side": "south"},
    "d4": {"id": "d4", "publisher": "Wire", "side": None},
}
EVENT_DOCS = [{"id": f"e{i}", "doc_id": d}
              for i, d in enumerate(["d1", "d2", "d3", "d1", "d4", "d2"])]
EVENTS = [Event(id=e["id"], doc_id=e["doc_id"], start=0, end=1, sentence="x", cameo="190",
                plover="ASSAULT") for e in EVENT_DOCS]
STORY_DICTS = [
    {"id": "s_both", "title": "Both", "date": "2022-11-09", "event_ids": ["e0", "e1", "e2"]},
    {"id": "s_north", "title": "North only", "date": "2022-11-10",
     "event_ids": ["e3", "e5"], "attrs": {"singleton": False}},
    {"id": "s_wire", "title": "Wire only", "date": "2022-11-11", "event_ids": ["e4"]},
]
STORIES = [Story.from_dict(s) for s in STORY_DICTS]


def side_of(meta: dict[str, Any]) -> str:
    return meta.get("side") or "unknown"


def _by(rows, kind):
    return {(r.story_id, r.key): (r.events, r.docs) for r in rows if r.kind == kind}


def test_coverage_counts_sources_and_sides() -> None:
    rows = coverage_rows(STORIES, EVENTS, META, side_of)
    assert _by(rows, "source")[("s_both", "North Herald")] == (2, 2)
    assert _by(rows, "source")[("s_both", "South Courier")] == (1, 1)
    assert _by(rows, "side")[("s_both", "north")] == (2, 2)
    assert _by(rows, "side")[("s_north", "north")] == (2, 2)
    assert _by(rows, "side")[("s_wire", "unknown")] == (1, 1)


def test_coverage_blindspots_only_one_known_side() -> None:
    rows = coverage_rows(STORIES, EVENTS, META, side_of)
    spots = [r for r in rows if r.kind == "blindspot"]
    assert [(r.story_id, r.key, r.attrs["missing"]) for r in spots] == [
        ("s_north", "north", ["south"])]


def test_coverage_no_blindspots_with_one_side_corpus() -> None:
    meta = {k: {**m, "side": "north" if m["side"] else None} for k, m in META.items()}
    rows = coverage_rows(STORIES, EVENTS, meta, side_of)
    assert not [r for r in rows if r.kind == "blindspot"]


def test_coverage_party_swap_symmetry() -> None:
    swap = {"north": "south", "south": "north"}
    meta = {k: {**m, "side": swap.get(m["side"], m["side"])} for k, m in META.items()}
    a = coverage_rows(STORIES, EVENTS, META, side_of)
    b = coverage_rows(STORIES, EVENTS, meta, side_of)
    spots_a = [(r.story_id, swap[r.key]) for r in a if r.kind == "blindspot"]
    spots_b = [(r.story_id, r.key) for r in b if r.kind == "blindspot"]
    assert spots_a == spots_b
    assert _by(a, "source") == _by(b, "source")


def test_coverage_layer_and_matrix(fresh_db) -> None:
    store = fresh_db
    for d, m in META.items():
        store.put_document(Document(id=d, source=f"{d}.txt", text="x", publisher=m["publisher"],
                                    side=m["side"]))
    for d in META:
        recs = [e for e in EVENTS if e.doc_id == d]
        store.replace_doc_records("events", "v1", "fp", d, {"events": recs})
    store.replace_corpus_records("stories", STORIES)
    # the wire outlet gets its side from the profile, not from metadata
    profile = Profile(name="t", path=None, data={}, fingerprint="x",
                      sources=[{"id": "w", "name": "Wire", "aliases": [], "side": "south"}])
    coverage_layer(CorpusContext(store=store, profile=profile))
    m = coverage_matrix(store)
    assert m["sides"] == ["north", "south"]
    assert m["sources"] == ["North Herald", "South Courier", "Wire"]
    assert m["by_side"]["s_wire"] == {"south": {"events": 1, "docs": 1}}
    assert [b["story_id"] for b in m["blindspots"]] == ["s_north", "s_wire"]
    assert m["blindspots"][0]["missing"] == ["south"]
    assert [s["id"] for s in m["stories"]] == ["s_both", "s_north", "s_wire"]
    assert m["left_out"]["sides"] == {
        "north": {"stories": 2, "stories_left_out": 1, "facts_left_out": 0},
        "south": {"stories": 2, "stories_left_out": 1, "facts_left_out": 0}}
    assert m["left_out"]["outlets"]["Wire"] == {"stories": 1, "facts_left_out": 0}


# A story of four documents whose facts (aligned event groups) are told unevenly:
# the shelling by both sides' documents, the evacuation only by the north's two.
def _ev(d: dict[str, Any]) -> SimpleNamespace:
    """coverage reads only an event's id and document."""
    return SimpleNamespace(**d)


OMIT_EVENTS = [{"id": "x1", "doc_id": "d1"}, {"id": "x2", "doc_id": "d3"},
               {"id": "x3", "doc_id": "d1"}, {"id": "x4", "doc_id": "d2"},
               {"id": "x5", "doc_id": "d3"}]
OMIT_STORY = {
    "id": "s_told", "title": "Told", "date": "2022-11-09",
    "doc_ids": ["d1", "d2", "d3"], "event_ids": ["x1", "x2", "x3", "x4", "x5"],
    "attrs": {"alignment": [
        {"id": "f_shell", "title": "Shelling", "event_ids": ["x1", "x2"]},
        {"id": "f_evac", "title": "Evacuation", "event_ids": ["x3", "x4"]},
        {"id": "f_one", "title": "One report's detail", "event_ids": ["x5"]},
    ]},
}


def test_coverage_facts_a_side_and_an_outlet_left_out() -> None:
    rows = coverage_rows([Story.from_dict(OMIT_STORY)], [_ev(e) for e in OMIT_EVENTS], META, side_of)
    omitted = {(r.kind, r.key, r.attrs["fact_id"]) for r in rows
               if r.kind in ("omission", "outlet_omission")}
    # the south covered the story but told nothing of the evacuation; a fact told by
    # one document only is nobody's omission
    assert omitted == {("omission", "south", "f_evac"),
                       ("outlet_omission", "South Courier", "f_evac")}
    row = next(r for r in rows if r.kind == "omission")
    assert row.attrs["told_by"] == ["north"] and row.attrs["event_ids"] == ["x3", "x4"]
    assert row.attrs["told_by_docs"] == ["d1", "d2"] and row.docs == 1


def test_coverage_omissions_mirror_under_a_side_swap() -> None:
    swap = {"north": "south", "south": "north"}
    meta = {k: {**m, "side": swap.get(m["side"], m["side"])} for k, m in META.items()}
    a = coverage_rows([Story.from_dict(OMIT_STORY)], [_ev(e) for e in OMIT_EVENTS], META, side_of)
    b = coverage_rows([Story.from_dict(OMIT_STORY)], [_ev(e) for e in OMIT_EVENTS], meta, side_of)
    assert ({(swap[r.key], r.attrs["fact_id"]) for r in a if r.kind == "omission"}
            == {(r.key, r.attrs["fact_id"]) for r in b if r.kind == "omission"})


def test_coverage_documents_count_without_events() -> None:
    story = {"id": "s_docs", "title": "Docs", "date": None, "doc_ids": ["d1", "d3"],
             "event_ids": []}
    rows = coverage_rows([Story.from_dict(story)], [], META, side_of)
    assert _by(rows, "side") == {("s_docs", "north"): (0, 1), ("s_docs", "south"): (0, 1)}
    assert not [r for r in rows if r.kind == "blindspot"]
