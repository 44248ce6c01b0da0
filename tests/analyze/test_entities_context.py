"""Places in context and one person, one entity: the entities layer on invented texts."""

from __future__ import annotations

import pytest

from rashomon.analyze.entities import entities_layer
from rashomon.layers import DocContext
from rashomon.model import Document
from rashomon.profiles import load_profile


@pytest.fixture(scope="module")
def generic():
    return load_profile("generic")


def run(text: str, profile, nlp):
    doc = Document(id="d1", source="test", text=text)
    return entities_layer(DocContext(doc=doc, sdoc=nlp(text), profile=profile))["mentions"]


def of(mentions, surface):
    return [m for m in mentions if m.surface == surface]


def test_a_city_follows_the_country_named_in_its_sentence(generic, nlp):
    text = ("U.S. diplomats flew home on Monday. Serbia said officials in Belgrade would "
            "answer the charges on Tuesday.")
    ms = run(text, generic, nlp)
    belgrade = of(ms, "Belgrade")
    assert belgrade and all(m.attrs["country"] == "SRB" for m in belgrade)


def test_an_unknown_village_keeps_its_name_and_the_country_its_words_give(generic, nlp):
    text = ("Police said gunmen attacked Banjska, a village in northern Kosovo near its "
            "border with Serbia.\nPhoto: STR / AFP")
    ms = run(text, generic, nlp)
    village = of(ms, "Banjska")
    assert village and village[0].entity_id == "ner:place:banjska"
    assert village[0].attrs["country"] == "XKX"  # "in northern Kosovo", not the neighbour
    for credit in ("STR", "AFP"):
        assert all(m.kind not in ("place", "state") for m in of(ms, credit))


def test_surname_variants_title_and_given_name_are_one_person(generic, nlp):
    text = ("Afrim Bunjaku, the mayor, said the road was closed. Later Afrim Bunjak told "
            "reporters that Mr. Bunjaku had not been warned.")
    ms = [m for m in run(text, generic, nlp) if "Bunjak" in m.surface]
    assert len(ms) >= 3
    assert {m.entity_id for m in ms} == {"ner:person:afrim-bunjaku"}


def test_diacritics_and_a_lone_given_name_join_the_full_name(generic, nlp):
    text = ("President Vesna Dragić spoke on Monday. Dragic said the talks would go on, and "
            "Vesna thanked the envoys. Critics of Dragić were not invited.")
    ms = [m for m in run(text, generic, nlp) if m.surface.startswith(("Vesna", "Drag"))]
    assert len(ms) >= 3
    assert {m.entity_id for m in ms} == {"ner:person:vesna-dragic"}
    assert all(m.kind == "person" for m in ms)


def test_middle_initials_and_titles_do_not_split_a_person(generic, nlp):
    a = run("Senator Harold J. Quimby of Texas voted no on Friday.", generic, nlp)
    b = run("Harold Quimby, who represents Texas, voted no on Friday.", generic, nlp)
    ids_a = {m.entity_id for m in a if m.kind == "person"}
    ids_b = {m.entity_id for m in b if m.kind == "person"}
    assert ids_a == ids_b == {"ner:person:harold-quimby"}


def test_a_person_surname_is_never_a_town(generic, nlp):
    # "Tyler" and "Jackson" are US towns too; here they are people
    text = ("Jesse Tyler and Maria Jackson met in Denver, Colorado. Later Mr. Tyler said "
            "Jackson had agreed.")
    ms = run(text, generic, nlp)
    for surface in ("Tyler", "Jackson"):
        assert of(ms, surface) and all(m.kind == "person" for m in of(ms, surface))
