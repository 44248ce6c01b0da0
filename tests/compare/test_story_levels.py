"""Stories at two levels on made-up reports: documents of one happening, events inside."""

from __future__ import annotations

from datetime import date
from typing import Any

from rashomon.compare.grouping import ArticleText, GroupParams, group_articles
from rashomon.compare.stories import build_document_stories, event_level, shared_names
from tests.compare.happenings import DAM, FERRY

# Two happenings of one kind, each told by three invented outlets, and a digest
# that tells both in one article.
DIGEST = ("digest-1", "Week in review: Kestrin Dam and Morning Tern",
          "The Kestrin Dam failed and flooded Velmora; Governor Anika Dral said 14 were "
          "missing on the Oru River. Off Port Halvik the ferry Morning Tern sank and captain "
          "Jorin Vass said 52 were rescued by the coast guard.")
SIDE = {"dam-1": "north", "dam-2": "south", "dam-3": "north", "ferry-1": "south",
        "ferry-2": "north", "ferry-3": "south", "digest-1": "north"}


def _articles(rows: list[tuple[str, str, str]], dated: bool = True) -> list[ArticleText]:
    day = date(2024, 3, 5)
    return [ArticleText(i, t, x, day if dated else None) for i, t, x in rows]


def _meta(ids: list[str]) -> dict[str, dict[str, Any]]:
    return {i: {"id": i, "publisher": f"Outlet {i}", "side": SIDE[i],
                "published": "2024-03-05"} for i in ids}


def _event(eid: str, doc: str, sentence: str, place: str) -> dict[str, Any]:
    return {"id": eid, "doc_id": doc, "start": 0, "end": len(sentence), "sentence": sentence,
            "cameo": "190", "plover": "ASSAULT", "date": "2024-03-05",
            "date_precision": "day", "source_actor": None, "target_actor": None,
            "place": {"name": place, "entity_id": place, "lat": None, "lon": None},
            "modality": {}, "attrs": {}}


def _side(meta: dict[str, Any]) -> str:
    return meta.get("side") or "unknown"


def _events() -> list[dict[str, Any]]:
    dam = [_event(f"e-{d}", d, "The Kestrin Dam gave way and flooded Velmora.", "pl_velmora")
           for d, _, _ in DAM]
    ferry = [_event(f"e-{d}", d, "The ferry Morning Tern sank off Port Halvik.", "pl_halvik")
             for d, _, _ in FERRY]
    return dam + ferry


def test_story_levels_documents_of_one_happening_form_one_story_each() -> None:
    rows = DAM + FERRY
    ids = [r[0] for r in rows]
    stories = build_document_stories(_articles(rows), _events(), _meta(ids), _side)
    by_docs = {tuple(s.doc_ids): s for s in stories}
    assert set(by_docs) == {("dam-1", "dam-2", "dam-3"), ("ferry-1", "ferry-2", "ferry-3")}
    dam = by_docs[("dam-1", "dam-2", "dam-3")]
    assert dam.attrs["level"] == "documents" and dam.sides == ["north", "south"]
    assert dam.event_ids == ["e-dam-1", "e-dam-2", "e-dam-3"]
    (group,) = dam.attrs["alignment"]
    assert group["event_ids"] == dam.event_ids and group["whole"]
    assert {d["id"]: (d["outlet"], d["side"], d["role"]) for d in dam.attrs["documents"]} == {
        "dam-1": ("Outlet dam-1", "north", "member"), "dam-2": ("Outlet dam-2", "south", "member"),
        "dam-3": ("Outlet dam-3", "north", "member")}


def test_story_levels_undated_corpus_groups_the_same() -> None:
    rows = DAM + FERRY
    ids = [r[0] for r in rows]
    dated = build_document_stories(_articles(rows), [], _meta(ids), _side)
    undated = build_document_stories(_articles(rows, dated=False), [], _meta(ids), _side)
    assert sorted(s.doc_ids for s in dated) == sorted(s.doc_ids for s in undated)
    assert all(s.date == "2024-03-05" and s.attrs["date_basis"] == "published" for s in dated)


def test_story_levels_ids_content_derived_and_order_free() -> None:
    rows = DAM + FERRY
    ids = [r[0] for r in rows]
    a = build_document_stories(_articles(rows), _events(), _meta(ids), _side)
    b = build_document_stories(_articles(list(reversed(rows))), list(reversed(_events())),
                               _meta(ids), _side)
    assert [s.to_dict() for s in a] == [s.to_dict() for s in b]
    assert len({s.id for s in a}) == len(a)


def test_story_levels_a_digest_joins_both_stories_with_evidence() -> None:
    rows = DAM + FERRY + [DIGEST]
    grouping = group_articles(_articles(rows))
    home = next(k for k, g in enumerate(grouping.groups) if "digest-1" in g)
    others = [k for k, v in grouping.also.items() if any(d == "digest-1" for d, _ in v)]
    assert others and home not in others
    stories = build_document_stories(_articles(rows), _events(), _meta([r[0] for r in rows]),
                                     _side)
    holding = [s for s in stories if "digest-1" in s.doc_ids]
    assert len(holding) == 2
    roles = {s.id: {d["id"]: d["role"] for d in s.attrs["documents"]}["digest-1"]
             for s in holding}
    assert sorted(roles.values()) == ["member", "round-up"]
    second = next(s for s in holding if roles[s.id] == "round-up")
    (evidence,) = second.attrs["round_ups"]
    assert evidence["doc_id"] == "digest-1" and evidence["shared"]
    own = {r[0]: r for r in DAM + FERRY}
    texts = [own[d][1] + ". " + own[d][2] for d in second.doc_ids if d in own]
    assert evidence["shared"] == shared_names(DIGEST[1] + ". " + DIGEST[2], texts)
    # the digest's events join the second story only where they align with its own
    assert all(e.startswith("e-") for e in second.event_ids)


def test_story_levels_reports_of_a_similar_happening_are_no_round_up() -> None:
    # a second dam failure elsewhere: same kind, other names; it must not join the first
    other = [("dam2-1", "Dam fails at Lorsk",
              "The Brenno Dam near Lorsk failed on Sunday and the Tavi River flooded farms. "
              "Mayor Ilsa Worn said 5 people were hurt."),
             ("dam2-2", "Lorsk farms under water",
              "Mayor Ilsa Worn of Lorsk said the Brenno Dam gave way and the Tavi River "
              "covered farms; 5 were injured."),
             ("dam2-3", "Brenno Dam breach injures five",
              "Five people were hurt when the Brenno Dam failed near Lorsk, Mayor Worn said, "
              "as the Tavi River rose.")]
    grouping = group_articles(_articles(DAM + other))
    assert {frozenset(g) for g in grouping.groups} == {
        frozenset(r[0] for r in DAM), frozenset(r[0] for r in other)}
    assert grouping.also == {}


def test_story_levels_shared_names_need_half_the_members() -> None:
    members = ["Anika Dral visited Velmora.", "Velmora flooded.", "Rain in Ostrava."]
    assert shared_names("Anika Dral and Velmora, then Ostrava.", members) == ["velmora"]


def test_story_levels_happening_told_across_stories_is_an_events_story() -> None:
    # two long pieces about different things that both tell one happening
    rows = [("essay-1", "The river towns a decade on",
             "Farming in the river towns changed after the new canal. Cooperatives grew. "
             "Markets moved to the coast and prices of grain fell for years."),
            ("essay-2", "Why the coast votes as it does",
             "Voters on the coast distrust the capital. Turnout fell at each election and "
             "the parties courted the fishing ports with subsidies.")]
    meta = {"essay-1": {"id": "essay-1", "publisher": "A", "side": "north"},
            "essay-2": {"id": "essay-2", "publisher": "B", "side": "south"}}
    events = [_event("x1", "essay-1", "The Kestrin Dam gave way and flooded Velmora.",
                     "pl_velmora"),
              _event("x2", "essay-2", "The Kestrin Dam gave way and flooded Velmora.",
                     "pl_velmora")]
    stories = build_document_stories(_articles(rows), events, meta, _side)
    docs = [s for s in stories if s.attrs["level"] == "documents"]
    across = [s for s in stories if s.attrs["level"] == "events"]
    assert sorted(s.doc_ids for s in docs) == [["essay-1"], ["essay-2"]]
    (told,) = across
    assert told.doc_ids == ["essay-1", "essay-2"] and told.sides == ["north", "south"]
    # each aligned group is handed once to the steps that compare reports of one event
    groups = event_level([s.to_dict() for s in stories])
    assert [g["event_ids"] for g in groups] == [["x1", "x2"]]
    assert groups[0]["story_id"] == told.id


def test_story_levels_duplicates_join_their_original() -> None:
    rows = DAM + FERRY
    arts = _articles(rows) + [ArticleText("dam-1-copy", DAM[0][1], DAM[0][2], None)]
    meta = _meta([r[0] for r in rows])
    meta["dam-1-copy"] = {"id": "dam-1-copy", "publisher": "Wire", "side": None}
    stories = build_document_stories(arts, [], meta, _side,
                                     duplicates={"dam-1-copy": "dam-1"})
    assert any(s.doc_ids == ["dam-1", "dam-1-copy", "dam-2", "dam-3"] for s in stories)


def test_story_levels_split_keeps_three_outlets_together() -> None:
    # a story of three never splits: each half would need split_min articles
    groups = group_articles(_articles(DAM), GroupParams(split_min=2)).groups
    assert groups == [["dam-1", "dam-2", "dam-3"]]
