"""The bundled South Caucasus profile: well-formed, and correct on the real seed pages."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from rashomon.analyze.entities._resolve import entities_layer, matcher_for, profile_entities
from rashomon.layers import DocContext
from rashomon.model import Document
from rashomon.profiles import load_profile

SYMMETRIC_KINDS = ("state",)


@pytest.fixture(scope="module")
def caucasus():
    return load_profile("caucasus")


def test_caucasus_profile_loads_with_unique_ids(caucasus):
    ids = [a["id"] for a in caucasus.actors] + [p["id"] for p in caucasus.places]
    assert len(ids) == len(set(ids))
    assert caucasus.party_ids == ["side-a", "side-b"]
    sides = {a.get("side") for a in caucasus.actors} - {None}
    assert sides <= set(caucasus.party_ids)


def test_caucasus_profile_places_have_valid_coordinates(caucasus):
    for p in caucasus.places:
        if p.get("lat") is not None:
            assert -90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180, p["id"]
        assert p.get("kind") in ("city", "region", "route", "country", "district", "village",
                                 "site"), p["id"]


def test_caucasus_profile_roles_are_ordered(caucasus):
    for a in caucasus.actors:
        for r in a.get("roles") or []:
            if r.get("start") and r.get("end"):
                assert str(r["start"]) <= str(r["end"]), a["id"]


def test_caucasus_profile_lexicon_shape(caucasus):
    lex = caucasus.lexicon
    referents = {t["referent"] for t in lex["loaded_terms"]}
    assert {"road-closure", "checkpoint", "sept-2023-operation", "exodus",
            "de-facto-authorities", "territories"} <= referents
    for t in lex["loaded_terms"]:
        assert len(t["terms"]) >= 2 and all(term["patterns"] for term in t["terms"])
    for q in lex["qualifier_pairs"]:
        assert q["a"] and q["b"]


def test_caucasus_profile_sources_identify_seed_outlets(caucasus):
    assert caucasus.source_for("Get the Mirror-Spectator Weekly in your inbox:")["id"] == (
        "mirror-spectator")
    assert caucasus.source_for("Get notified of the latest updates from MassisPost.")["id"] == (
        "massis-post")
    assert caucasus.source_for("the assistant editor of the Armenian Weekly")["id"] == (
        "armenian-weekly")
    assert caucasus.source_for("Site icon Occasional Digest")["id"] == "occasional-digest"


def _mentions(text: str, profile, nlp=None):
    doc = Document(id="t", source="t", text=text)
    return entities_layer(DocContext(doc=doc, sdoc=nlp(text) if nlp else None,
                                     profile=profile))["mentions"]


@pytest.mark.parametrize("text,surface,entity", [
    ("Protesters gathered near Khankendi.", "Khankendi", "stepanakert"),
    ("Protesters gathered near Stepanakert.", "Stepanakert", "stepanakert"),
    ("The army entered Shusha.", "Shusha", "shusha"),
    ("The army entered Shushi.", "Shushi", "shusha"),
    ("They fled Nagorno-Karabakh.", "Nagorno-Karabakh", "nagorno-karabakh"),
    ("They fled Artsakh.", "Artsakh", "nagorno-karabakh"),
    ("They fled Karabakh.", "Karabakh", "nagorno-karabakh"),
    ("The Lachin road was closed.", "Lachin road", "lachin-corridor"),
    ("The Lachin\u2011Khankendi road was closed.", "Lachin\u2011Khankendi road", "lachin-corridor"),
    ("The Republic of Artsakh appealed.", "Republic of Artsakh", "nk-authorities"),
    ("The separatist regime appealed.", "separatist regime", "nk-authorities"),
    ("I. Aliyev said.", "I. Aliyev", "ilham-aliyev"),
    ("Azerbaijan's defence ministry said.", "Azerbaijan's defence ministry", "aze-mod"),
])
def test_caucasus_profile_alias_resolution(caucasus, text, surface, entity):
    got = {m.surface: m.entity_id for m in _mentions(text, caucasus)}
    assert got.get(surface) == entity, got


def test_caucasus_profile_states_are_symmetric(caucasus):
    """Both parties' states carry the same kinds of aliases (name, demonym, plural, government)."""
    ents = {e.id: e for e in profile_entities(caucasus)}
    for sid in ("arm", "aze"):
        assert ents[sid].kind == "state" and ents[sid].sector == "GOV"
    assert abs(len(ents["arm"].aliases) - len(ents["aze"].aliases)) <= 4
    for suffix in ("mfa", "mod", "armed-forces"):
        assert f"arm-{suffix}" in ents and f"aze-{suffix}" in ents


def _seed_documents(seeds_dir: Path, profile):
    try:
        from rashomon.ingest.items import RawItem
        from rashomon.ingest.pipeline import make_document
    except ImportError as exc:  # pragma: no cover - depends on the ingest package
        pytest.skip(f"ingest cleaner not importable: {exc}")
    docs = []
    for path in sorted(seeds_dir.glob("*.txt")):
        raw = RawItem(source=str(path), content=path.read_text(encoding="utf-8"))
        docs.append(make_document(raw, profile))
    return docs


@pytest.fixture(scope="module")
def seed_mentions(seeds_dir, nlp, caucasus):
    docs = _seed_documents(seeds_dir, caucasus)
    out = []
    for doc in docs:
        ms = entities_layer(DocContext(doc=doc, sdoc=nlp(doc.text), profile=caucasus))
        for m in ms["mentions"]:
            assert doc.text[m.start:m.end] == m.surface  # provenance holds on real text
        out.extend(ms["mentions"])
    return out


def test_caucasus_profile_seed_surfaces_unify(seed_mentions):
    surfaces = defaultdict(set)
    for m in seed_mentions:
        surfaces[m.entity_id].add(m.surface)
    assert {"Stepanakert", "Khankendi"} <= surfaces["stepanakert"]
    assert {"Artsakh", "Nagorno-Karabakh", "Karabakh"} <= surfaces["nagorno-karabakh"]
    route = surfaces["lachin-corridor"]
    assert "Lachin road" in route and "Lachin–Khankendi road" in route
    assert "Lachin\u2011Khankendi road" in route
    assert any(s.lower() == "lachin corridor" for s in route)
    assert {"Ilham Aliyev", "Aliyev"} <= surfaces["ilham-aliyev"]
    assert {"R.Vardanyan", "Ruben Vardanyan"} <= surfaces["ruben-vardanyan"]
    assert {"A.Harutyunyan", "Arayik Harutyunyan"} <= surfaces["arayik-harutyunyan"]
    # the district of Lachin is its own place, not the route
    assert "Lachin" in surfaces["lachin"]


def test_caucasus_profile_seed_mentions_do_not_overlap(seed_mentions):
    by_doc = defaultdict(list)
    for m in seed_mentions:
        by_doc[m.doc_id].append((m.start, m.end))
    for spans in by_doc.values():
        spans.sort()
        for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
            assert e1 <= s2


def test_caucasus_profile_seed_ambiguous_names_follow_context(seed_mentions):
    resolved = [m for m in seed_mentions if m.attrs.get("resolution")]
    assert resolved, "the seeds use shared names such as 'the Foreign Ministry'"
    mod = [m for m in resolved if m.surface == "MoD"]
    assert mod and all(m.entity_id == "aze-mod" for m in mod)


def test_caucasus_profile_matcher_is_cached(caucasus):
    assert matcher_for(caucasus) is matcher_for(caucasus)
