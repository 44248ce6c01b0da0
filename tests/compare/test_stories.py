"""Story grouping on small hand-made events."""

from __future__ import annotations

from typing import Any

import pytest

from rashomon.compare.stories import (
    StoryParams,
    TfIdf,
    build_stories,
    cluster_events,
    event_window,
    stories_layer,
    story_title,
    tokens,
    type_score,
)
from rashomon.layers import CorpusContext
from rashomon.model import Document, Entity
from rashomon.profiles import Profile

META = {
    "d1": {"id": "d1", "publisher": "North Herald", "side": "north", "published": "2022-11-11"},
    "d2": {"id": "d2", "publisher": "South Courier", "side": "south", "published": "2022-11-12"},
    "d3": {"id": "d3", "publisher": "Wire Service", "side": None, "published": "2022-11-12"},
}
NAMES = {"st_n": "Northland", "st_s": "Southland", "pl_v": "Vale", "st_x": "Eastland",
         "st_y": "Westland", "pl_h": "Hilltown"}


def side_of(meta: dict[str, Any]) -> str:
    return meta.get("side") or "unknown"


def actor(ent: str, name: str | None = None) -> dict[str, Any]:
    return {"name": name or NAMES.get(ent, ent), "entity_id": ent, "country": ent[-1].upper(),
            "sector": "GOV"}


def ev(eid: str, doc: str, day: str | None, src: str, tgt: str, plover: str = "ASSAULT",
       cameo: str = "190", place: str | None = "pl_v", sentence: str = "",
       precision: str = "day", src_name: str | None = None) -> dict[str, Any]:
    return {
        "id": eid, "doc_id": doc, "start": 0, "end": len(sentence), "sentence": sentence,
        "cameo": cameo, "plover": plover, "date": day, "date_precision": precision,
        "source_actor": actor(src, src_name), "target_actor": actor(tgt),
        "place": {"name": NAMES.get(place or "", ""), "entity_id": place, "lat": None,
                  "lon": None} if place else None,
        "modality": {}, "attrs": {},
    }


def shelling_pair() -> list[dict[str, Any]]:
    return [
        ev("e1", "d1", "2022-11-09", "st_s", "st_n",
           sentence="Southland forces shelled the village of Vale overnight, officials said."),
        ev("e2", "d2", "2022-11-10", "st_n", "st_s", plover="COERCE", cameo="170",
           sentence="Northland units opened fire near Vale, the ministry said."),
    ]


def test_stories_adjacent_days_same_actors_cluster() -> None:
    groups = cluster_events(shelling_pair(), META, side_of)
    assert groups == [["e1", "e2"]]


def test_stories_same_day_different_actors_stay_apart() -> None:
    events = [
        ev("e1", "d1", "2022-11-09", "st_n", "st_s", place="pl_v",
           sentence="Artillery hit a school in Vale."),
        ev("e2", "d2", "2022-11-09", "st_x", "st_y", place="pl_h",
           sentence="Troops clashed along the river near Hilltown."),
    ]
    assert cluster_events(events, META, side_of) == [["e1"], ["e2"]]


def test_stories_days_beyond_tolerance_stay_apart() -> None:
    a, b = shelling_pair()
    b["date"] = "2022-11-14"
    assert len(cluster_events([a, b], META, side_of)) == 2


def test_stories_month_precision_joins_only_compatible_window() -> None:
    a, b = shelling_pair()
    inside = ev("e3", "d3", "2022-11", "st_n", "st_s", precision="month",
                sentence="In November Southland shelled Vale, according to Northland.")
    outside = ev("e4", "d3", "2022-12", "st_n", "st_s", precision="month",
                 sentence="In December Southland shelled Vale, according to Northland.")
    groups = cluster_events([a, b, inside, outside], META, side_of)
    assert ["e1", "e2", "e3"] in groups
    assert ["e4"] in groups


def test_stories_month_window_bounds() -> None:
    lo, hi, prec = event_window({"date": "2022-02-10", "date_precision": "month"}, {},
                                StoryParams())
    assert prec == "month"
    assert (hi - lo) == 27  # February 2022 has 28 days


def test_stories_document_date_is_weak_evidence() -> None:
    # same actors, same type, but only publication dates and unrelated wording
    a = ev("e1", "d1", None, "st_n", "st_s", precision="document", place=None,
           sentence="Talks were described as difficult.")
    b = ev("e2", "d2", None, "st_n", "st_s", precision="document", place=None,
           sentence="Another statement blamed the neighbours.")
    lo, hi, prec = event_window(a, META, StoryParams())
    assert prec == "document" and hi - lo == StoryParams().doc_lookback_days
    params = StoryParams(link_threshold=0.75)
    assert cluster_events([a, b], META, side_of, params) == [["e1"], ["e2"]]


def test_stories_sides_aggregated_and_attrs() -> None:
    events = [*shelling_pair(),
              ev("e3", "d3", "2022-11-09", "st_n", "st_s",
                 sentence="Shelling was reported in Vale between Northland and Southland.")]
    stories = build_stories(events, META, side_of, NAMES)
    assert len(stories) == 1
    s = stories[0]
    assert s.sides == ["north", "south", "unknown"]
    assert s.doc_ids == ["d1", "d2", "d3"]
    assert s.date == "2022-11-09" and s.date_end == "2022-11-10"
    assert s.participants == ["st_n", "st_s"] and s.places == ["pl_v"]
    assert s.attrs["sources"] == ["North Herald", "South Courier", "Wire Service"]
    assert s.attrs["n_events"] == 3 and not s.attrs["single_side"]
    assert s.attrs["singleton"] is False


def test_stories_singletons_kept_and_marked() -> None:
    events = [ev("e1", "d1", "2022-11-09", "st_n", "st_s", sentence="A convoy was stopped.")]
    (s,) = build_stories(events, META, side_of, NAMES)
    assert s.attrs["singleton"] and s.attrs["single_side"] and s.sides == ["north"]


def test_stories_titles_neutral() -> None:
    loaded = ["aggressor", "terrorists", "liberated"]
    events = [
        ev("e1", "d1", "2022-11-09", "st_s", "st_n", src_name="the aggressor",
           sentence="The aggressor shelled Vale."),
        ev("e2", "d2", "2022-11-09", "st_n", "st_s", src_name="terrorists",
           sentence="Terrorists attacked positions near Vale, which was liberated earlier."),
    ]
    stories = build_stories(events, META, side_of, NAMES)
    assert len(stories) == 1
    title = stories[0].title
    assert not any(t in title.lower() for t in loaded)
    assert title == "Assault involving Northland and Southland at Vale (2022-11-09)"


def test_stories_title_without_entities() -> None:
    assert story_title("", [], [], None, None) == "Event (undated)"


def test_stories_ids_deterministic_and_order_independent() -> None:
    events = [*shelling_pair(), ev("e3", "d3", "2022-11-20", "st_x", "st_y", place="pl_h",
                                    sentence="Delegations met in Hilltown.")]
    a = build_stories(events, META, side_of, NAMES)
    b = build_stories(list(reversed(events)), META, side_of, NAMES)
    assert [s.to_dict() for s in a] == [s.to_dict() for s in b]
    assert len({s.id for s in a}) == 2


def test_stories_party_swap_symmetry() -> None:
    events = [*shelling_pair(), ev("e3", "d1", "2022-11-20", "st_x", "st_y", place="pl_h",
                                    sentence="Delegations met in Hilltown.")]
    swap = {"north": "south", "south": "north"}
    swapped = {k: {**m, "side": swap.get(m["side"], m["side"])} for k, m in META.items()}
    a = build_stories(events, META, side_of, NAMES)
    b = build_stories(events, swapped, side_of, NAMES)
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        dx, dy = x.to_dict(), y.to_dict()
        assert dy["sides"] == sorted(swap.get(s, s) for s in dx["sides"])
        dx.pop("sides"), dy.pop("sides")
        assert dx == dy


def test_stories_type_compatibility() -> None:
    assert type_score("ASSAULT", "19", "ASSAULT", "19") == 1.0
    assert type_score("ASSAULT", "19", "COERCE", "17") == 0.6
    assert type_score("ASSAULT", "19", "ACCUSE", "11") == 0.3
    assert type_score("ASSAULT", "19", "AGREE", "03") == 0.0


def test_stories_tfidf_cosine() -> None:
    t = TfIdf([tokens("shelling of the village"), tokens("village shelling reported"),
               tokens("talks in the capital")])
    assert t.cosine(0, 1) > 0.3
    assert t.cosine(0, 2) == 0.0
    assert t.cosine(1, 0) == t.cosine(0, 1)
    assert t.cosine(0, 0) == pytest.approx(1.0)


def test_stories_tfidf_weights_and_batch_cosines() -> None:
    # sublinear tf, smoothed idf, L2 rows: the weights the grouping was tuned with
    import math
    import random

    docs = [["shell", "shell", "village"], ["village", "talks"], []]
    t = TfIdf(docs)
    idf = {w: math.log(4 / (1 + df)) + 1 for w, df in
           {"shell": 1, "village": 2, "talks": 1}.items()}
    raw = {"shell": (1 + math.log(2)) * idf["shell"], "village": idf["village"]}
    norm = math.sqrt(sum(v * v for v in raw.values()))
    row = dict(zip(t.terms[t.matrix[0].indices], t.matrix[0].data, strict=True))
    assert row == pytest.approx({w: v / norm for w, v in raw.items()})
    assert t.top_terms(0, 1) == ["shell"] and t.cosine(0, 2) == 0.0
    # cosines primed in one batch equal those computed one pair at a time
    rng = random.Random(3)
    words = [f"w{i}" for i in range(40)]
    many = [rng.sample(words, rng.randrange(1, 25)) for _ in range(30)]
    batch, single = TfIdf(many), TfIdf(many)
    pairs = [(i, j) for i in range(30) for j in range(i + 1, 30)]
    batch.prime(pairs)
    assert all(batch.cosine(i, j) == single.cosine(i, j) for i, j in pairs)
    assert TfIdf([[], []]).cosine(0, 1) == 0.0


def test_stories_repeated_reports_score_once_with_same_groups(monkeypatch) -> None:
    # the same reports copied into many documents (wire copies): scoring each
    # distinct pair of feature contents once must not change any group
    import rashomon.compare.stories as stories_mod

    events, meta = [], {}
    for copy in range(6):
        for k, e in enumerate(shelling_pair()):
            doc = f"c{copy}_{k}"
            meta[doc] = {**META[e["doc_id"]], "id": doc}
            events.append({**e, "id": f"{e['id']}_{copy}", "doc_id": doc})
        events.append(ev(f"x{copy}", f"c{copy}_0", "2022-11-09", "st_x", "st_y", place="pl_h",
                         sentence=f"Talks number {copy} opened in Hilltown."))
    params = StoryParams(max_block=8, window=3)
    shared = cluster_events(events, meta, side_of, params)
    monkeypatch.setattr(stories_mod, "_content_key", lambda f: (f.id,))  # no sharing
    assert cluster_events(events, meta, side_of, params) == shared
    assert any(len(g) > 2 for g in shared)


def test_stories_blocks_cap_keeps_results_for_dense_day() -> None:
    # many unrelated events on one day: each pair of true duplicates must still meet
    events = []
    for k in range(100):
        for side, doc in (("a", "d1"), ("b", "d2")):
            e = ev(f"e{k:03d}{side}", doc, "2022-11-09", f"act{k}", f"act{k}x", place=None,
                   sentence=f"Incident number{k} kw{k}a kw{k}b between act{k} and act{k}x.")
            events.append(e)
    groups = cluster_events(events, META, side_of, StoryParams(max_block=20, window=5))
    assert len(groups) == 100
    assert all(len(g) == 2 for g in groups)


def test_stories_layer_writes_table(fresh_db) -> None:
    store = fresh_db
    store.put_document(Document(
        id="d1", source="a.txt", title="Village of Vale shelled overnight",
        text="Southland forces shelled the village of Vale overnight, officials said. "
             "Residents of Vale sheltered in cellars near the Hilltown road.",
        publisher="North Herald", side="north", published="2022-11-11"))
    store.put_document(Document(
        id="d2", source="b.txt", title="Fire exchanged near Vale",
        text="Northland units opened fire near Vale, the ministry said. Shelling around "
             "Vale and the Hilltown road went on overnight.",
        publisher="South Courier", published="2022-11-12"))
    store.put_entities([Entity(id=k, kind="state", name=v) for k, v in NAMES.items()])
    from rashomon.model import Event

    for e in shelling_pair():
        store.replace_doc_records("events", "v1", "fp", e["doc_id"],
                                  {"events": [Event.from_dict(e)]})
    profile = Profile(name="t", path=None, data={}, fingerprint="x",
                      sources=[{"id": "sc", "name": "South Courier", "aliases": [],
                                "side": "south"}])
    stories_layer(CorpusContext(store=store, profile=profile))
    rows = store.records("stories")
    assert len(rows) == 1 and rows[0]["sides"] == ["north", "south"]
    (story,) = rows
    assert story["doc_ids"] == ["d1", "d2"] and story["event_ids"] == ["e1", "e2"]
    assert [g["event_ids"] for g in story["attrs"]["alignment"]] == [["e1", "e2"]]
    assert {d["outlet"]: d["side"] for d in story["attrs"]["documents"]} == {
        "North Herald": "north", "South Courier": "south"}
