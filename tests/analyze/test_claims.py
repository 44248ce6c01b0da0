"""Claims layer: qualifications, numbers, dated decisions, speaker vs outlet."""

from __future__ import annotations

import pytest

from rashomon.analyze.claims._layer import QualifierMatcher, _lead, claims_layer
from rashomon.layers import DocContext
from rashomon.model import Actor, Document, Quote, TimeExpr
from rashomon.profiles import load_profile

PROFILE = """
name: tiny
parties: [{id: p1, name: One}, {id: p2, name: Two}]
sources: [{id: s1, name: Daily Lantern, side: p1, type: blog}]
lexicon:
  qualifier_pairs:
    - name: post-legality
      kind: opposite_legal_qualification
      about: ["checkpoint", "border post"]
      a: ["illegal", "unlawful"]
      b: ["lawful", "customs and border"]
"""


@pytest.fixture
def profile(tmp_path):
    p = tmp_path / "tiny.yaml"
    p.write_text(PROFILE)
    return load_profile(p)


def _ctx(nlp, profile, text, quotes=(), timexes=()):
    doc = Document(id="d1", source="x", text=text, publisher="Daily Lantern")
    return DocContext(doc=doc, sdoc=nlp(text), profile=profile,
                      results={"quotes": list(quotes), "timexes": list(timexes),
                               "mentions": [], "events": []})


def test_claims_qualifier_matcher_prefers_longest_and_about():
    m = QualifierMatcher([{"name": "l", "about": ["checkpoint"], "a": ["illegal", "illegally"],
                           "b": ["legal"]}])
    hits = m.find("The checkpoint was illegally set up.")
    assert [(h["term"], h["pole"], h["about"]) for h in hits] == [("illegally", "a", "checkpoint")]
    assert m.find("The road was illegally closed.") == []


def test_claims_qualification_with_outlet_and_side(nlp, profile):
    text = "The illegal checkpoint on the pass was installed in April."
    out = claims_layer(_ctx(nlp, profile, text))["claims"]
    quals = [c for c in out if c.kind == "qualification"]
    assert len(quals) == 1
    c = quals[0]
    assert c.slots["pair"] == "post-legality" and c.slots["pole"] == "a"
    assert c.slots["object"] == "checkpoint"
    assert c.outlet == "Daily Lantern" and c.side == "p1" and c.speaker is None
    assert text[c.start:c.end].startswith("The illegal checkpoint")


def test_claims_speaker_comes_from_enclosing_quote(nlp, profile):
    text = 'The minister said: "The customs and border checkpoint is lawful." Others disagreed.'
    q_start = text.index("The customs")
    quote = Quote(id="q1", doc_id="d1", start=q_start, end=text.index('."') + 1,
                  text="", kind="direct", speaker=Actor(name="the minister", entity_id="min"))
    out = claims_layer(_ctx(nlp, profile, text, quotes=[quote]))["claims"]
    quals = [c for c in out if c.kind == "qualification"]
    assert quals and all(c.slots["pole"] == "b" for c in quals)
    assert all(c.speaker and c.speaker.entity_id == "min" for c in quals)
    assert all(c.quote_id == "q1" for c in quals)


def test_claims_numbers_with_units(nlp, profile):
    text = "More than 12,000 people left the valley, while 3 thousand soldiers stayed."
    out = [c for c in claims_layer(_ctx(nlp, profile, text))["claims"] if c.kind == "number"]
    values = {(c.slots["value"], c.slots["unit"]) for c in out}
    assert (12000.0, "people") in values
    assert (3000.0, "soldier") in values
    assert any(c.slots["approx"] for c in out if c.slots["value"] == 12000.0)


def test_claims_dated_decision(nlp, profile):
    text = "The court issued its order on 22 February 2023."
    s = text.index("22 February")
    tx = TimeExpr(id="t1", doc_id="d1", start=s, end=s + len("22 February 2023"),
                  text="22 February 2023", value_start="2023-02-22", value_end="2023-02-22",
                  granularity="day")
    out = [c for c in claims_layer(_ctx(nlp, profile, text, timexes=[tx]))["claims"]
           if c.kind == "date"]
    assert len(out) == 1 and out[0].slots["decision"] == "judicial"
    assert out[0].slots["decision_word"] == "order"
    assert out[0].slots["date"] == "2023-02-22"


def test_claims_date_of_another_clause_is_not_the_decision_date(nlp, profile):
    text = "The court on Wednesday ordered the post closed, in a case brought last month."
    s = text.index("last month")
    tx = TimeExpr(id="t1", doc_id="d1", start=s, end=s + len("last month"), text="last month",
                  value_start="2024-12-01", value_end="2024-12-31", granularity="month")
    out = [c for c in claims_layer(_ctx(nlp, profile, text, timexes=[tx]))["claims"]
           if c.kind == "date"]
    assert out == []


def test_claims_negated_qualifier_takes_the_other_pole(nlp, profile):
    text = "A lawful border post does not become illegal because someone repeats the word."
    quals = [c for c in claims_layer(_ctx(nlp, profile, text))["claims"]
             if c.kind == "qualification"]
    assert {c.slots["qualifier"]: c.slots["pole"] for c in quals} == {"lawful": "b", "illegal": "b"}
    assert not any(c.slots["mixed"] for c in quals)


def test_claims_sentence_with_both_poles_is_mixed(nlp, profile):
    text = "One side calls the checkpoint illegal, the other calls it lawful."
    quals = [c for c in claims_layer(_ctx(nlp, profile, text))["claims"]
             if c.kind == "qualification"]
    assert quals and all(c.slots["mixed"] for c in quals)


def test_claims_negation_of_another_word_does_not_flip(nlp, profile):
    text = "The illegal checkpoint is not an isolated incident."
    quals = [c for c in claims_layer(_ctx(nlp, profile, text))["claims"]
             if c.kind == "qualification"]
    assert [c.slots["pole"] for c in quals] == ["a"]


def test_claims_questions_are_not_claims(nlp, profile):
    text = "Is the checkpoint illegal?"
    assert [c for c in claims_layer(_ctx(nlp, profile, text))["claims"]
            if c.kind == "qualification"] == []


def test_claims_about_term_must_be_near_the_qualifier():
    m = QualifierMatcher([{"name": "l", "about": ["checkpoint"], "a": ["illegal"],
                           "b": ["customs and border checkpoint"]}])
    far = ("All the illegal activities of smugglers and armed men were halted after the "
           "establishment of the customs and border checkpoint.")
    assert [h["pole"] for h in m.find(far)] == ["b"]
    assert [h["pole"] for h in m.find("the illegal Northern checkpoint at the bridge")] == ["a"]


def test_claims_about_in_context_accepts_the_previous_sentence():
    m = QualifierMatcher([{"name": "acc", "about": ["road"], "about_in": "context",
                           "a": ["sealed off"], "b": ["continue to pass"]}])
    assert m.find("Trucks continue to pass every day.") == []
    hits = m.find("Trucks continue to pass every day.", "Protesters sat on the road.")
    assert [h["pole"] for h in hits] == ["b"]


def test_claims_negative_subject_and_negated_finding_flip_the_pole(nlp, profile):
    text = "Nobody has been expelled from the valley."
    quals = [c for c in claims_layer(_ctx(nlp, profile, text))["claims"]
             if c.kind == "qualification" and c.slots["pair"] == "voluntariness"]
    assert [c.slots["pole"] for c in quals] == ["b"]
    text = "The court did not find the checkpoint unlawful."
    quals = [c for c in claims_layer(_ctx(nlp, profile, text))["claims"]
             if c.kind == "qualification"]
    assert quals and all(c.slots["pole"] == "b" for c in quals)


def test_claims_matcher_lead_is_the_longest_ascii_letter_run():
    assert _lead("in violation of") == "violation"
    assert _lead("self-defence") == "defence"
    assert _lead("Illegal") == "illegal"
    assert _lead("24/7") is None
    assert _lead("négocié") is None  # non-ASCII term: always tried


def test_claims_matcher_prefilter_keeps_case_folded_hits():
    """Hits written in capitals or with characters that fold to ASCII letters still count."""
    pairs = [{"name": "x", "a": ["illegal", "self-defence", "24/7 siege"], "b": ["skilled"]}]
    m = QualifierMatcher(pairs)
    text = "An ILLEGAL post; ıllegal too; ſelf-defence; a \u212aILLED crew was SKILLED; 24/7 siege."
    got = [(h["term"], text[h["start"]:h["end"]]) for h in m.find(text)]
    assert got == [("illegal", "ILLEGAL"), ("illegal", "ıllegal"), ("self-defence", "ſelf-defence"),
                   ("skilled", "SKILLED"), ("24/7 siege", "24/7 siege")]
    # the same as trying every term's own pattern on the text
    plain = sorted((mt.start(), term) for _n, _p, term, rx, _a in m.compiled
                   for mt in rx.finditer(text))
    assert sorted((h["start"], h["term"]) for h in m.find(text)) == plain


def test_claims_matcher_sentence_without_any_term_letters_has_no_hits():
    m = QualifierMatcher([{"name": "x", "a": ["illegal"], "b": ["lawful"]}])
    assert m.find("The bridge reopened on Monday.") == []
    assert m.find("Lawfully done.") == []  # "lawful" needs a word end
