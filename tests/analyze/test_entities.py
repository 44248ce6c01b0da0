"""The entities layer on hand-made sentences with a tiny invented profile."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.analyze.entities._resolve import (
    AliasMatcher,
    active_roles,
    discovered_entities,
    entities_layer,
    entity_table,
    profile_entities,
    tokenize,
)
from rashomon.layers import DocContext
from rashomon.model import Document, Entity
from rashomon.profiles import load_profile

TINY = """
name: tiny
parties:
  - {id: north, name: "North"}
  - {id: south, name: "South"}
actors:
  - id: nor
    name: Norland
    kind: state
    aliases: ["Norland", "Norlandic", "Republic of Norland"]
    country: XNO
    sector: GOV
    side: north
  - id: anna-berg
    name: Anna Berg
    kind: person
    aliases: ["Anna Berg", "President Berg"]
    country: XNO
    roles:
      - {title: "President of Norland", sector: GOV, country: XNO, start: 2020-01-01, end: 2022-12-31}
  - id: carl-berg
    name: Carl Berg
    kind: person
    country: XSO
  - id: nor-mfa
    name: Norland Foreign Ministry
    kind: organisation
    aliases: ["Norland Foreign Ministry", "Foreign Ministry", "MoFA"]
    country: XNO
    sector: GOV
  - id: sou-mfa
    name: Southia Foreign Ministry
    kind: organisation
    aliases: ["Southia Foreign Ministry", "Foreign Ministry", "MoFA"]
    country: XSO
    sector: GOV
places:
  - id: hightown
    name: Hightown / Lowburg
    kind: city
    aliases: ["Hightown", "Lowburg"]
    country: XNO
    lat: 1.0
    lon: 2.0
  - id: pass-road
    name: Pass road
    kind: route
    aliases: ["Pass road", "Hightown-Lowburg road"]
  - id: lake-region
    name: Lake region
    kind: region
    aliases: ["Lake region", "the Lakes"]
sources:
  - id: north-news
    name: North News
    aliases: ["North News"]
    side: north
    type: independent
"""


@pytest.fixture
def tiny(tmp_path: Path):
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return load_profile(path)


def run(text: str, profile, nlp=None, published: str | None = None):
    doc = Document(id="d1", source="test", text=text, published=published)
    sdoc = nlp(text) if nlp is not None else None
    return entities_layer(DocContext(doc=doc, sdoc=sdoc, profile=profile))["mentions"]


def by_surface(mentions):
    return {m.surface: m for m in mentions}


def test_entities_contested_names_map_to_one_entity_and_keep_surface(tiny):
    text = "Troops entered Hightown on Monday. Residents of Lowburg fled."
    ms = run(text, tiny)
    assert [(m.surface, m.entity_id) for m in ms] == [("Hightown", "hightown"),
                                                      ("Lowburg", "hightown")]
    for m in ms:
        assert text[m.start:m.end] == m.surface
        assert m.kind == "place"
        assert m.attrs["canonical"] == "Hightown / Lowburg"
        assert m.attrs["lat"] == 1.0


def test_entities_possessive_is_outside_the_span(tiny):
    text = "Norland's envoy and Norland’s minister met."
    ms = run(text, tiny)
    assert [m.surface for m in ms] == ["Norland", "Norland"]
    assert all(m.entity_id == "nor" for m in ms)


@pytest.mark.parametrize("dash", ["-", "\u2013", "\u2011", " "])
def test_entities_hyphen_variants_match_one_route(tiny, dash):
    text = f"The Hightown{dash}Lowburg road was closed."
    ms = run(text, tiny)
    assert len(ms) == 1
    assert ms[0].entity_id == "pass-road"
    assert ms[0].surface == f"Hightown{dash}Lowburg road"


def test_entities_longest_match_wins(tiny):
    ms = run("The Republic of Norland protested.", tiny)
    assert [(m.surface, m.entity_id) for m in ms] == [("Republic of Norland", "nor")]


def test_entities_the_prefix_alias_leaves_the_out_of_span(tiny):
    ms = run("Boats crossed the Lakes at dawn.", tiny)
    assert [(m.surface, m.entity_id) for m in ms] == [("Lakes", "lake-region")]


def test_entities_surname_after_full_name_resolves_to_that_person(tiny):
    # "Berg" is shared by two profile people: the one named in full wins
    text = "Carl Berg arrived. Later Berg spoke to reporters."
    ms = run(text, tiny)
    assert [(m.surface, m.entity_id) for m in ms] == [("Carl Berg", "carl-berg"),
                                                      ("Berg", "carl-berg")]
    assert ms[1].attrs["resolution"] == "recent"


def test_entities_ambiguous_generated_surname_without_evidence_is_not_guessed(tiny):
    ms = run("Berg spoke to reporters.", tiny)
    assert all(m.entity_id not in ("anna-berg", "carl-berg") for m in ms)


def test_entities_generated_initial_form(tiny):
    ms = run("A.Berg and C. Berg met.", tiny)
    assert [(m.surface, m.entity_id) for m in ms] == [("A.Berg", "anna-berg"),
                                                      ("C. Berg", "carl-berg")]


def test_entities_shared_alias_follows_last_named_body(tiny):
    text = ("The Southia Foreign Ministry issued a note. The Foreign Ministry later added "
            "details. The Norland Foreign Ministry replied. The MoFA said no more.")
    ms = [m for m in run(text, tiny) if m.kind == "organisation"]
    assert [m.entity_id for m in ms] == ["sou-mfa", "sou-mfa", "nor-mfa", "nor-mfa"]


def test_entities_short_aliases_are_case_sensitive(tiny):
    ms = run("The mofa of the story is unclear.", tiny)
    assert ms == []


def test_entities_roles_follow_the_document_date(tiny):
    during = by_surface(run("President Berg spoke.", tiny, published="2021-05-01"))
    after = by_surface(run("President Berg spoke.", tiny, published="2023-05-01"))
    m = during["President Berg"]
    assert m.entity_id == "anna-berg"
    assert m.attrs["roles"][0]["title"] == "President of Norland"
    assert m.attrs["sector"] == "GOV"
    assert "roles" not in after["President Berg"].attrs


def test_entities_active_roles_without_date_lists_all():
    e = Entity(id="x", kind="person", name="X", attrs={"roles": [{"title": "a"}, {"title": "b"}]})
    assert [r["title"] for r in active_roles(e, None)] == ["a", "b"]


def test_entities_mention_ids_are_stable(tiny):
    a = run("Hightown and Norland.", tiny)
    b = run("Hightown and Norland.", tiny)
    assert [m.id for m in a] == [m.id for m in b]
    assert len({m.id for m in a}) == 2


def test_entities_profile_entities_cover_actors_places_sources(tiny):
    ents = {e.id: e for e in profile_entities(tiny)}
    assert ents["nor"].kind == "state"
    assert ents["hightown"].kind == "place" and ents["hightown"].attrs["place_kind"] == "city"
    assert ents["north-news"].kind == "media" and ents["north-news"].sector == "MED"
    assert ents["anna-berg"].attrs["roles"][0]["start"] == "2020-01-01"  # JSON-ready date


def test_entities_tokenize_drops_joining_dashes_only():
    toks = [t for _, _, t in tokenize("A\u2013B \u2014 C's")]
    assert toks == ["A", "B", "\u2014", "C", "'", "s"]


def test_entities_matcher_ignores_text_without_aliases():
    m = AliasMatcher.build([Entity(id="p", kind="place", name="Hightown")])
    assert m.find("Nothing to see here.") == []


def test_entities_ner_fallback_and_gazetteer_for_unlisted_city(tiny, nlp):
    text = ("Anna Berg travelled from Hightown to Tbilisi on Tuesday. "
            "Officials of the Norlandic government met Peter Hallström there. "
            "Hallström said the talks would continue.")
    ms = run(text, tiny, nlp)
    got = by_surface(ms)
    assert got["Tbilisi"].entity_id.startswith("geo:")
    assert got["Tbilisi"].attrs["origin"] == "gazetteer"
    assert got["Tbilisi"].attrs["country"] == "GEO"
    assert got["Tbilisi"].attrs["lat"] == pytest.approx(41.69, abs=0.1)
    assert got["Anna Berg"].entity_id == "anna-berg"
    people = [m for m in ms if m.attrs.get("origin") == "ner" and m.kind == "person"]
    assert people, "the unlisted person should come from NER"
    assert len({m.entity_id for m in people}) == 1  # bare surname joins the full name


def test_entities_no_overlapping_mentions(tiny, nlp):
    text = ("The Republic of Norland and the Hightown-Lowburg road were discussed in "
            "Geneva by Anna Berg, Berg's aides and the United Nations. "
            "The Foreign Ministry of Norland said Lowburg is calm.")
    ms = run(text, tiny, nlp)
    spans = sorted((m.start, m.end) for m in ms)
    for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2
    assert all(text[m.start:m.end] == m.surface for m in ms)


def test_entities_table_and_discovered(tiny, nlp, fresh_db):
    from rashomon.pipeline import _register_profile_entities

    text = "Anna Berg visited Tbilisi and Hightown. Lowburg welcomed her."
    doc = Document(id="d1", source="a.txt", text=text, publisher="North News")
    fresh_db.put_document(doc)
    ms = entities_layer(DocContext(doc=doc, sdoc=nlp(text), profile=tiny))
    fresh_db.replace_doc_records("entities", "v1", "fp", doc.id, ms)
    _register_profile_entities(fresh_db, tiny)
    found = discovered_entities(fresh_db)
    assert any(e.id.startswith("geo:") and e.origin == "gazetteer" for e in found)
    fresh_db.put_entities(found)
    rows = {r["id"]: r for r in entity_table(fresh_db)}
    assert rows["hightown"]["mentions"] == 2
    assert rows["hightown"]["surfaces"] == {"Hightown": 1, "Lowburg": 1}
    assert rows["hightown"]["by_source"] == {"North News": 2}
    assert rows["hightown"]["origin"] == "profile"
    places = entity_table(fresh_db, kind="place")
    assert all(r["kind"] == "place" for r in places) and places
