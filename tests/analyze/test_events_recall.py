"""Events layer recall rules: announced intent, vows, visits, ties, cyber acts, capitals."""

from __future__ import annotations

import pytest

from rashomon.analyze.events import events_layer
from rashomon.layers import DocContext
from rashomon.model import Document
from rashomon.profiles import Profile

PROFILE = Profile(name="test", path=None, data={}, fingerprint="test")


def run(nlp, text):
    doc = Document(id="doc1", source="test", text=text, published="2021-12-10")
    ctx = DocContext(doc=doc, sdoc=nlp(text), profile=PROFILE)
    ctx.results.update({"mentions": [], "timexes": [], "quotes": []})
    return events_layer(ctx)["events"]


@pytest.mark.parametrize("text,plover", [
    ("The president said he is prepared to lift the ban on the party.", "AGREE"),
    ("Norway says it is willing to withdraw its troops from the region.", "AGREE"),
    ("The rebels said they will release the hostages.", "AGREE"),
    ("The government announced that it is prepared to impose martial law.", "THREATEN"),
    ("The militants vowed to fight until the last village is free.", "THREATEN"),
    ("Chile and Peru have upgraded their diplomatic ties.", "SUPPORT"),
    ("Egypt has established diplomatic ties with Chile.", "SUPPORT"),
    ("The minister arrived in Lima on a two-day visit.", "CONSULT"),
    ("Hackers from Ruritania tried to hack into the computers of army officers.", "COERCE"),
    ("The rebels were engaged in ethnic cleansing against the local population.", "ASSAULT"),
    ("The rebels dismissed an appeal from the president to lay down their arms.", "REJECT"),
    ("Doctors delivered goods worth $50,000 to the hospital.", "AID"),
    ("Finland continued to send arms to Estonia.", "AID"),
])
def test_events_recall_types(nlp, text, plover):
    events = run(nlp, text)
    assert plover in {e.plover for e in events}, [(e.plover, e.trigger) for e in events]


def test_events_recall_vow_to_stop_is_not_a_threat(nlp):
    events = run(nlp, "The two leaders vowed to stop the fighting.")
    assert "THREATEN" not in {e.plover for e in events}


def test_events_recall_capital_codes_government(nlp):
    ev = next(e for e in run(nlp, "The minister arrived in Lima on a two-day visit.")
              if e.plover == "CONSULT")
    assert ev.target_actor is not None
    assert (ev.target_actor.country, ev.target_actor.sector) == ("PER", "GOV")


def test_events_recall_past_would_without_condition_is_intent(nlp):
    events = run(nlp, "The rebels said they would meet the mediator next week.")
    assert "AGREE" in {e.plover for e in events}
    events = run(nlp, "The rebels said they would meet the mediator if he came alone.")
    assert "AGREE" not in {e.plover for e in events}
