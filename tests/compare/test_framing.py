"""Tests for the framing layer: hand-made documents, mentions and a tiny profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.compare.framing import (
    framing_layer,
    framing_table,
    log_odds_z,
    ngrams,
    term_regex,
)
from rashomon.layers import CorpusContext
from rashomon.model import Document, Mention, Quote
from rashomon.profiles import load_profile

PROFILE = """
name: tiny
parties:
  - {id: north, name: North}
  - {id: south, name: South}
actors:
  - {id: northland, name: Northland, kind: state, aliases: [Northland, Northlander]}
  - {id: southland, name: Southland, kind: state, aliases: [Southland, Southlander]}
places:
  - {id: rivertown, name: Rivertown, aliases: [Rivertown, Flusstadt], kind: city}
sources:
  - {id: north-post, name: North Post, aliases: [northpost.example], side: north}
  - {id: south-star, name: South Star, aliases: [southstar.example], side: south}
lexicon:
  loaded_terms:
    - referent: road-closure
      label: Closure of the river road
      terms:
        - term: blockade
          patterns: [blockade, "besieg*", sealed off]
        - term: protest
          patterns: [protest, peaceful protest, sit-in]
"""

NORTH_TEXT = ("The blockade of Rivertown continues. Convoys were sealed off near Rivertown. "
              "\"This blockade is a crime,\" the mayor said. Troops are besieging the town. "
              + "The occupation regime harms civilians. " * 12)
SOUTH_TEXT = ("A peaceful protest continues near Flusstadt. The protest is calm in Flusstadt. "
              "Activists held a sit-in. "
              + "The humanitarian convoy passed freely. " * 12)


@pytest.fixture
def profile(tmp_path: Path):
    p = tmp_path / "tiny.yaml"
    p.write_text(PROFILE, encoding="utf-8")
    return load_profile(p)


def _mentions(doc: Document, names: list[str]) -> list[Mention]:
    out = []
    for name in names:
        start = 0
        while (i := doc.text.find(name, start)) >= 0:
            out.append(Mention(id=f"{doc.id}-{i}", doc_id=doc.id, start=i, end=i + len(name),
                               entity_id="rivertown", surface=name, kind="place"))
            start = i + len(name)
    return out


def _put(store, doc_id: str, text: str, side: str | None, publisher: str) -> Document:
    doc = Document(id=doc_id, source=f"{doc_id}.txt", text=text, side=side, publisher=publisher)
    store.put_document(doc)
    store.replace_doc_records("entities", "v1", "fp", doc.id,
                              {"mentions": _mentions(doc, ["Rivertown", "Flusstadt"])})
    return doc


def _build(store, north_side: str = "north", south_side: str = "south") -> None:
    north = _put(store, "n1", NORTH_TEXT, north_side, "North Post")
    _put(store, "s1", SOUTH_TEXT, south_side, "South Star")
    q0 = north.text.index("\"This blockade")
    q1 = north.text.index("crime,\"") + len("crime,\"")
    store.replace_doc_records("quotes", "v1", "fp", north.id, {"quotes": [
        Quote(id="q1", doc_id=north.id, start=q0, end=q1, text=north.text[q0:q1],
              kind="direct")]})


def test_framing_term_regex_wildcard_and_word_boundaries() -> None:
    rx = term_regex(["blockade", "besieg*", "sealed off"])
    text = "besieging, besieged; blockades; blockade; sealed   off; unsealed off"
    assert [m.group(0) for m in rx.finditer(text)] == ["besieging", "besieged", "blockade",
                                                       "sealed   off"]


def test_framing_loaded_terms_counted_per_side_and_source(fresh_db, profile) -> None:
    _build(fresh_db)
    framing_layer(CorpusContext(store=fresh_db, profile=profile))
    table = framing_table(fresh_db)
    north = table["north"]["road-closure"]
    south = table["south"]["road-closure"]
    assert north["blockade"]["count"] == 4  # blockade x2, sealed off, besieging
    assert north["blockade"]["sources"] == {"North Post": 4}
    assert "protest" not in north
    assert south["protest"]["count"] == 3  # peaceful protest counted once, protest, sit-in
    assert "blockade" not in south
    rows = [r for r in fresh_db.records("framing")
            if r["kind"] == "loaded_term" and r["side"] == "north"]
    examples = rows[0]["examples"]
    assert len(examples) == 3
    doc_text = NORTH_TEXT
    for ex in examples:
        assert doc_text[ex["start"]:ex["end"]].strip() == ex["text"]
        assert ex["start"] <= ex["match_start"] < ex["match_end"] <= ex["end"]
    quoted = [ex for ex in examples if ex.get("quoted")]
    assert len(quoted) == 1 and "This blockade" in quoted[0]["text"]


def test_framing_toponyms_show_which_name_each_side_uses(fresh_db, profile) -> None:
    _build(fresh_db)
    framing_layer(CorpusContext(store=fresh_db, profile=profile))
    table = framing_table(fresh_db)
    assert table["north"]["rivertown"] == {
        "Rivertown": table["north"]["rivertown"]["Rivertown"]}
    assert table["north"]["rivertown"]["Rivertown"]["count"] == 2
    assert table["north"]["rivertown"]["Rivertown"]["kind"] == "toponym"
    assert table["south"]["rivertown"]["Flusstadt"]["count"] == 2
    assert table["south"]["rivertown"]["Flusstadt"]["label"] == "Rivertown"


def test_framing_distinctive_terms_by_log_odds(fresh_db, profile) -> None:
    _build(fresh_db)
    framing_layer(CorpusContext(store=fresh_db, profile=profile))
    table = framing_table(fresh_db)
    north = table["north"]["distinctive"]
    south = table["south"]["distinctive"]
    assert "occupation regime" in north and north["occupation regime"]["count"] == 12
    assert north["occupation regime"]["z"] >= 1.96
    assert "humanitarian convoy" in south
    assert not set(north) & set(south)
    everything = set(north) | set(south)
    assert not everything & {"blockade", "protest", "rivertown", "flusstadt", "sit-in"}


def test_framing_side_comes_from_profile_sources_when_document_has_none(fresh_db, profile) -> None:
    _build(fresh_db, north_side=None, south_side=None)
    framing_layer(CorpusContext(store=fresh_db, profile=profile))
    table = framing_table(fresh_db)
    assert table["north"]["road-closure"]["blockade"]["count"] == 4
    assert table["south"]["road-closure"]["protest"]["count"] == 3


def test_framing_unknown_side_and_publisher(fresh_db, profile) -> None:
    doc = Document(id="u1", source="u1.txt", text="A blockade again.", publisher=None)
    fresh_db.put_document(doc)
    framing_layer(CorpusContext(store=fresh_db, profile=profile))
    rows = fresh_db.records("framing")
    assert [(r["side"], r["source"], r["term"], r["count"]) for r in rows] == [
        ("unknown", "unknown", "blockade", 1)]


def test_framing_symmetry_swapping_sides_swaps_the_table(tmp_path, profile) -> None:
    from rashomon.store import Store

    tables = []
    for i, (a, b) in enumerate([("north", "south"), ("south", "north")]):
        with Store(tmp_path / f"s{i}.db") as store:
            _build(store, north_side=a, south_side=b)
            framing_layer(CorpusContext(store=store, profile=profile))
            tables.append(framing_table(store))
    first, second = tables
    assert first["north"] == second["south"]
    assert first["south"] == second["north"]
    assert first["north"] != first["south"]


def test_framing_rerun_replaces_rows(fresh_db, profile) -> None:
    _build(fresh_db)
    ctx = CorpusContext(store=fresh_db, profile=profile)
    framing_layer(ctx)
    before = fresh_db.records("framing")
    framing_layer(ctx)
    assert fresh_db.records("framing") == before


def test_framing_log_odds_is_antisymmetric_for_two_groups() -> None:
    counts = {"a": ngrams("regime regime regime regime convoy", frozenset()),
              "b": ngrams("convoy convoy convoy regime", frozenset())}
    from collections import Counter

    z = log_odds_z({k: Counter(v) for k, v in counts.items()})
    assert z["a"]["regime"] > 0 > z["b"]["regime"]
    assert z["a"]["regime"] == pytest.approx(-z["b"]["regime"])


def test_framing_ngrams_break_on_stopwords_and_punctuation() -> None:
    grams = ngrams("The occupation regime, and the humanitarian convoys.", frozenset({"the",
                                                                                     "and"}))
    assert grams == ["occupation", "regime", "occupation regime", "humanitarian", "convoy",
                     "humanitarian convoy"]


def test_framing_contested_actor_names_skip_short_forms(fresh_db, profile) -> None:
    from rashomon.compare.framing import SideDoc as Doc
    from rashomon.compare.framing import name_rows

    a = Doc("d1", "The rebels attacked. Sergey Vale spoke. Vale left.", "north", "N")
    b = Doc("d2", "The freedom fighters attacked. Sergey Vale spoke.", "south", "S")
    ms = [Mention(id="m1", doc_id="d1", start=4, end=10, entity_id="grp", surface="rebels"),
          Mention(id="m2", doc_id="d1", start=21, end=31, entity_id="p", surface="Sergey Vale"),
          Mention(id="m3", doc_id="d1", start=39, end=43, entity_id="p", surface="Vale"),
          Mention(id="m4", doc_id="d2", start=4, end=20, entity_id="grp",
                  surface="freedom fighters"),
          Mention(id="m5", doc_id="d2", start=31, end=41, entity_id="p", surface="Sergey Vale")]
    rows = name_rows([a, b], ms, {"grp": "the group"}, set(), {})
    got = {(r.referent, r.term, r.side) for r in rows}
    assert got == {("grp", "rebels", "north"), ("grp", "freedom fighters", "south")}
