"""Quotes layer on hand-made sentences: one test per attribution pattern."""

from __future__ import annotations

import pytest

from rashomon.analyze.quotes._layer import (
    extract_quotes,
    find_quote_segments,
    load_cues,
    quotes_layer,
)
from rashomon.layers import DocContext
from rashomon.model import Document, Mention
from rashomon.profiles import Profile


def _run(nlp, text: str, mentions: list[Mention] | None = None):
    doc = Document(id="t1", source="test", text=text)
    return doc, extract_quotes(doc, nlp(text), mentions or [])


def _only(quotes, kind: str | None = None):
    found = [q for q in quotes if kind is None or q.kind == kind]
    assert found, f"no {kind} quote in {quotes}"
    return found


def test_quotes_segments_curly_straight_and_multiparagraph():
    text = ('He said: “One two three four five.\n\n“Six seven eight.”\n\n'
            'Then "straight quoted words here now" ended.')
    segs = find_quote_segments(text)
    assert len(segs) == 2
    first = segs[0]
    assert text[first.cstart : first.cend].startswith("One") and first.paragraphs == 2
    assert text[first.cstart : first.cend].endswith("eight.")
    assert text[segs[1].cstart : segs[1].cend] == "straight quoted words here now"


def test_quotes_direct_quote_then_cue(nlp):
    text = "“We will not accept these conditions at all,” the minister said on Monday."
    doc, quotes = _run(nlp, text)
    q = _only(quotes, "direct")[0]
    assert q.text == "We will not accept these conditions at all,"
    assert q.cue == "said" and text[q.cue_start : q.cue_end] == "said"
    assert q.speaker is not None and "minister" in q.speaker.name
    assert q.id and q.doc_id == "t1"


def test_quotes_direct_cue_then_colon(nlp):
    text = 'Maria Lopez declared: "The talks have failed and we must now act alone."'
    _, quotes = _run(nlp, text)
    q = _only(quotes, "direct")[0]
    assert q.text.startswith("The talks have failed")
    assert q.speaker.name == "Maria Lopez"
    assert q.cue == "declared"


def test_quotes_he_said_resolves_to_previous_speaker(nlp):
    text = ("John Smith, the mayor, said that the bridge would reopen soon.\n\n"
            "Workers were seen on the site.\n\n"
            "“The repairs are almost finished and traffic will resume,” he said.")
    _, quotes = _run(nlp, text)
    direct = _only(quotes, "direct")[0]
    assert direct.speaker.name == "John Smith"
    assert direct.attrs["speaker_via"] == "pronoun"
    assert direct.attrs["speaker_text"] == "he"


def test_quotes_multiparagraph_quote_one_record(nlp):
    text = ("Anna Berg said: “The first part of the statement is here.\n\n"
            "“And the second part continues in this paragraph.”\n\nThe meeting ended.")
    _, quotes = _run(nlp, text)
    q = _only(quotes, "direct")[0]
    assert "first part" in q.text and "second part" in q.text
    assert q.attrs["paragraphs"] == 2
    assert q.speaker.name == "Anna Berg"


def test_quotes_indirect_said_that(nlp):
    text = "The spokesman Peter Hall said that the army had withdrawn from the village."
    _, quotes = _run(nlp, text)
    q = _only(quotes, "indirect")[0]
    assert q.text == "that the army had withdrawn from the village"
    assert "Peter Hall" in q.speaker.name


def test_quotes_according_to_both_orders(nlp):
    text = ("According to the health ministry, twelve people were injured in the blast. "
            "Three bridges were destroyed, according to local officials.")
    _, quotes = _run(nlp, text)
    texts = {q.text: q for q in quotes}
    first = texts["twelve people were injured in the blast"]
    assert first.cue == "According to" and "health ministry" in first.speaker.name
    second = texts["Three bridges were destroyed"]
    assert second.speaker.name == "local officials"


def test_quotes_called_on_and_blamed_for(nlp):
    text = ("The council called on both parties to resume talks. "
            "Sara Klein blamed the government for the delays.")
    _, quotes = _run(nlp, text)
    by_cue = {q.cue: q for q in quotes}
    assert "to resume talks" in by_cue["called on"].text
    assert by_cue["blamed"].text.startswith("the government for the delays")


def test_quotes_mixed_keeps_scare_quotes(nlp):
    text = ("The ministry said that the soldier was “attacked by a person” near the "
            "so-called “buffer” zone.")
    _, quotes = _run(nlp, text)
    q = _only(quotes, "mixed")[0]
    assert q.text.startswith("that the soldier was")
    assert len(q.attrs["quoted"]) == 2
    assert not [x for x in quotes if x.kind == "direct"]


def test_quotes_scare_quotes_alone_are_not_quotes(nlp):
    text = "The so-called “peace plan” was discussed by the “experts” in the capital."
    _, quotes = _run(nlp, text)
    assert quotes == []


def test_quotes_acronym_speaker_resolves_to_full_name(nlp):
    text = ("The Ministry of Defense (MoD) of Ruritania confirmed the incident.\n\n"
            "“The man tried to seize the weapon of the guard,” the MoD wrote in a statement.")
    _, quotes = _run(nlp, text)
    q = _only(quotes, "direct")[0]
    assert q.attrs["speaker_via"] == "acronym"
    assert q.speaker.name == "Ministry of Defense of Ruritania"
    assert q.cue == "wrote"


def test_quotes_speaker_mapped_to_mention_entity(nlp):
    text = "Ruritania's defence ministry said that two drones were shot down overnight."
    state = Mention(id="m1", doc_id="t1", start=0, end=9, entity_id="ent:ruritania",
                    surface="Ruritania", kind="state", attrs={"country": "RUR"})
    org = Mention(id="m2", doc_id="t1", start=0, end=28, entity_id="ent:rur-mod",
                  surface="Ruritania's defence ministry", kind="organisation",
                  attrs={"country": "RUR", "sector": "military"})
    _, quotes = _run(nlp, text, [state, org])
    q = _only(quotes, "indirect")[0]
    assert q.speaker.entity_id == "ent:rur-mod"
    assert q.speaker.sector == "military" and q.speaker.country == "RUR"
    _, quotes = _run(nlp, text, [state])
    q = _only(quotes, "indirect")[0]
    assert q.speaker.entity_id == "ent:ruritania"
    _, quotes = _run(nlp, text)
    q = _only(quotes, "indirect")[0]
    assert q.speaker.entity_id is None and "defence ministry" in q.speaker.name


def test_quotes_role_noun_resolves_to_named_person(nlp):
    text = ("Foreign Minister Karl Brandt met envoys in the capital on Monday.\n\n"
            "The minister stressed that the border must stay open.")
    _, quotes = _run(nlp, text)
    q = _only(quotes, "indirect")[0]
    assert q.speaker.name == "Karl Brandt"
    assert q.attrs["speaker_via"] == "role"


def test_quotes_offsets_point_into_text(nlp):
    text = ("“We are ready to talk,” said Lena Ito. She added that a meeting was possible. "
            "Police believe the fire was set on purpose.")
    _, quotes = _run(nlp, text)
    assert len(quotes) >= 3
    for q in quotes:
        assert text[q.start : q.end] == q.text
        if q.cue is not None:
            assert text[q.cue_start : q.cue_end] == q.cue
        if q.speaker and q.speaker.start is not None:
            assert 0 <= q.speaker.start < q.speaker.end <= len(text)


def test_quotes_layer_contract(nlp):
    text = "“Nothing has changed since the ceasefire,” the envoy told reporters."
    doc = Document(id="t2", source="t", text=text)
    ctx = DocContext(doc=doc, sdoc=nlp(text), profile=Profile("x", None, {}, "0"))
    out = quotes_layer(ctx)
    assert list(out) == ["quotes"] and out["quotes"][0].doc_id == "t2"
    again = quotes_layer(ctx)["quotes"]
    assert [q.id for q in again] == [q.id for q in out["quotes"]]


@pytest.mark.parametrize("lemma", ["say", "tell", "emphasise", "emphasize", "believe", "report"])
def test_quotes_cue_lexicon_has_core_verbs(lemma):
    assert lemma in load_cues().verbs


def test_quotes_split_quote_is_one_attribution_with_pieces(nlp):
    text = ("“We will not give up the road,” Mara Venn said on Monday. "
            "“The families need it every single day.”")
    _, quotes = _run(nlp, text)
    direct = _only(quotes, "direct")
    assert len(direct) == 1
    q = direct[0]
    assert q.text == text[q.start : q.end]
    pieces = [text[a:b] for a, b in q.attrs["pieces"]]
    assert pieces == ["We will not give up the road,", "The families need it every single day."]
    assert q.speaker.name == "Mara Venn" and q.cue == "said"


def test_quotes_split_quote_not_joined_across_new_cue(nlp):
    text = ("“We will not give up the road,” Mara Venn said. "
            "“That is a lie and everyone knows it,” Ivo Salk replied.")
    _, quotes = _run(nlp, text)
    direct = _only(quotes, "direct")
    assert len(direct) == 2 and not any("pieces" in q.attrs for q in direct)
    assert {q.speaker.name for q in direct} == {"Mara Venn", "Ivo Salk"}


def test_quotes_colon_headline_attribution(nlp):
    text = "Poll: Mayor Lena Ito leads the race by ten points\n\nThe vote is on Sunday."
    _, quotes = _run(nlp, text)
    q = next(q for q in quotes if q.attrs.get("cue_position") == "colon")
    assert q.text == "Mayor Lena Ito leads the race by ten points"
    assert q.cue == ":" and q.speaker.name == "Poll"


def test_quotes_colon_label_is_not_a_speaker(nlp):
    text = "Update: The Bridge reopened to traffic late on Friday evening."
    _, quotes = _run(nlp, text)
    assert not [q for q in quotes if q.attrs.get("cue_position") == "colon"]


def test_quotes_learned_stance_cue_endorsed(nlp):
    text = "Senator Ruth Okafor endorsed the governor for a second term on Tuesday."
    _, quotes = _run(nlp, text)
    q = next(q for q in quotes if q.cue == "endorsed")
    assert q.text.startswith("the governor for a second term")
    assert q.attrs["cue_group"] == "stance" and "Ruth Okafor" in q.speaker.name


def test_quotes_first_person_self_named_signer(nlp):
    text = ("Dear friends,\n\nI, Tomas Varga, the Mayor of Ostrel, write to you today.\n\n"
            "I urge every government to reopen the border crossing at once.")
    signer = Mention(id="m1", doc_id="t1", start=text.index("Tomas"),
                     end=text.index("Tomas") + len("Tomas Varga"), entity_id="ent:varga",
                     surface="Tomas Varga", kind="person")
    _, quotes = _run(nlp, text, [signer])
    q = next(q for q in quotes if q.cue == "urge")
    assert q.speaker.name == "Tomas Varga" and q.speaker.entity_id == "ent:varga"
    assert q.attrs["speaker_via"] == "signer"
    assert text[q.speaker.start : q.speaker.end] == "I"


def test_quotes_first_person_falls_back_to_author(nlp):
    text = "I believe that the new bridge will change the valley for the better."
    doc = Document(id="t3", source="t", text=text, author="Nina Holm")
    quotes = extract_quotes(doc, nlp(text), [])
    q = _only(quotes, "indirect")[0]
    assert q.speaker.name == "Nina Holm" and q.attrs["speaker_via"] == "author"
    no_author = extract_quotes(Document(id="t4", source="t", text=text), nlp(text), [])
    assert no_author[0].attrs["speaker_via"] == "first_person"


def test_quotes_role_with_appositive_person(nlp):
    text = ("Open Roads, a monitoring group, met on Friday. "
            "Its director, Noor Saleh, said that both governments had offered no evidence.")
    _, quotes = _run(nlp, text)
    q = _only(quotes, "indirect")[0]
    assert q.speaker.name == "Noor Saleh"

