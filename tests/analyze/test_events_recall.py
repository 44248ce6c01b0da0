"""Events layer recall rules: announced intent, vows, visits, ties, cyber acts, capitals."""

from __future__ import annotations

import pytest

from rashomon.analyze.events._layer import events_layer
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


@pytest.mark.parametrize("text,plover", [
    ("Troops loyal to the junta opened fire on protesters in the capital.", "ASSAULT"),
    ("Police rounded up dozens of opposition supporters after the rally.", "COERCE"),
    ("Thousands of workers went on strike over unpaid wages.", "PROTEST"),
    ("Israeli jets carried out air strikes on targets in Gaza.", "ASSAULT"),
    ("India and Pakistan exchanged fire along the border.", "ASSAULT"),
    ("Venezuela broke off diplomatic relations with Colombia.", "SANCTION"),
    ("Ghana granted asylum to the former leader.", "AID"),
    ("A suspect has been put under investigation in Rome.", "ACCUSE"),
    ("The prime minister resigned after the vote.", "RETREAT"),
    ("Colombian rebels blew up an oil pipeline.", "ASSAULT"),
    ("Egypt's foreign minister flew to Damascus for consultations with Syrian leaders.",
     "CONSULT"),
    ("Pakistan test-fired a missile on Saturday.", "MOBILIZE"),
    ("The rebels claimed responsibility for the bombing of the bridge.", "ASSAULT"),
    ("The Chinese government lodged a strong protest with Japan.", "ACCUSE"),
    ("The World Bank approved a loan to Ghana.", "AID"),
    ("Bolivia's president is to visit Brazil next week.", "AGREE"),
])
def test_events_recall_broadened_structures(nlp, text, plover):
    events = run(nlp, text)
    assert plover in {e.plover for e in events}, [(e.plover, e.trigger) for e in events]


def test_events_recall_purpose_infinitive_is_not_an_event(nlp):
    events = run(nlp, "Police opened fire to disperse the crowd.")
    assert [e.plover for e in events] == ["ASSAULT"]
    events = run(nlp, "The rebels rejected a request to release the hostages.")
    assert [e.plover for e in events] == ["REJECT"]


def test_events_recall_sponsor_country_is_not_the_actor(nlp):
    ev = next(e for e in run(nlp, "Iran-backed militants attacked a convoy.")
              if e.plover == "ASSAULT")
    assert ev.source_actor is not None and ev.source_actor.country != "IRN"


def test_events_recall_role_modifier_and_former_sectors(nlp):
    ev = run(nlp, "The opposition leader criticised the police.")[0]
    assert ev.source_actor.sector == "OPP"
    ev = run(nlp, "The former president criticised the police.")[0]
    assert ev.source_actor.sector == "ELI"


def test_events_recall_sentence_country_for_uncoded_actor(nlp):
    ev = run(nlp, "In Chad, the president dismissed the rebels' demands.")[0]
    assert ev.source_actor.country == "TCD"
    # a country that is the other actor's is never borrowed
    ev = run(nlp, "The president threatened Chad.")[0]
    assert ev.source_actor.country is None
    assert ev.target_actor.country == "TCD"


def test_events_recall_no_country_guess_with_profile_actors(nlp):
    """With a conflict profile, an unnamed actor is never given a country from a place
    named nearby: in partisan text that guess could pin an act on the wrong party."""
    prof = Profile(name="p", path=None, data={}, fingerprint="p",
                   actors=[{"id": "x", "name": "X", "aliases": []}])
    text = "In Chad, the president dismissed the rebels' demands."
    doc = Document(id="doc1", source="test", text=text, published="2021-12-10")
    ctx = DocContext(doc=doc, sdoc=nlp(text), profile=prof)
    ctx.results.update({"mentions": [], "timexes": [], "quotes": []})
    ev = events_layer(ctx)["events"][0]
    assert ev.source_actor.country is None
    assert "country_from_sentence" not in (ev.attrs or {})


# -- round 2: sentence shapes and CAMEO codes without a trigger before ------------------

@pytest.mark.parametrize("text,plover", [
    ("Osterlich ended its mediation efforts between the two militias.", "SANCTION"),
    ("The junta expelled the nuclear inspectors from the country.", "SANCTION"),
    ("Ruritania withdrew its peacekeepers from the island on Friday.", "SANCTION"),
    ("A battalion of Ruritanian peacekeepers arrived in the port on Monday.", "AID"),
    ("The government put the army on alert after the border clash.", "MOBILIZE"),
    ("The insurgents held the villagers as human shields.", "ASSAULT"),
    ("The regime used chemical weapons against the rebel districts.", "ASSAULT"),
    ("Teachers went on strike to demand better pay.", "PROTEST"),
])
def test_events_recall_round2_codes(nlp, text, plover):
    events = run(nlp, text)
    assert plover in {e.plover for e in events}, [(e.plover, e.trigger) for e in events]


def test_events_recall_protest_purpose_is_folded(nlp):
    events = run(nlp, "Teachers went on strike to demand better pay.")
    assert [e.plover for e in events] == ["PROTEST"]
    assert events[0].attrs.get("demanded_action")


def test_events_recall_condition_clause_is_not_an_event(nlp):
    events = run(nlp, "The party will boycott the vote unless the president agrees to resign.")
    assert "PROTEST" in {e.plover for e in events}
    assert not any(e.trigger.lower() in ("agrees", "resign") for e in events)


def test_events_recall_result_participle_merges_into_attack(nlp):
    events = run(nlp, "Gunmen attacked a bus near the market, killing six passengers.")
    assert len(events) == 1
    ev = events[0]
    assert ev.plover == "ASSAULT" and ev.trigger == "attacked"
    assert ev.attrs["result"]["trigger"] == "killing"


def test_events_recall_result_participle_gives_the_missing_target(nlp):
    events = run(nlp, "A car bomb exploded outside the ministry, killing nine soldiers.")
    assert len(events) == 1
    assert events[0].target_actor is not None
    assert events[0].target_actor.sector == "MIL"


def test_events_recall_participle_of_other_kind_stays_separate(nlp):
    events = run(nlp, "Police opened fire on the crowd, arresting twelve students.")
    assert {"ASSAULT", "COERCE"} <= {e.plover for e in events}


def test_events_recall_headline_verb_tagged_as_adjective(nlp):
    doc_events = run(nlp, "Police detain opposition leader")
    ev = only_type(doc_events, "COERCE")
    assert ev.trigger.lower() == "detain"
    assert ev.source_actor is not None and ev.source_actor.sector == "COP"


def test_events_recall_headline_passive_participle(nlp):
    ev = only_type(run(nlp, "Journalist arrested in capital"), "COERCE")
    assert ev.target_actor is not None and "Journalist" in ev.target_actor.name


def test_events_recall_reduced_relative_patient_is_target(nlp):
    ev = only_type(run(nlp, "The soldiers abducted by the militia were freed on Sunday."),
                   "ASSAULT")
    assert ev.target_actor is not None and ev.target_actor.sector == "MIL"


def test_events_recall_lexicon_on_is_a_preposition_not_a_boolean():
    from rashomon.analyze.events._codes import lexicon

    for lemma, pats in lexicon()["verbs"].items():
        for p in pats or []:
            if isinstance(p, dict):
                for key in ("prep", "prt"):
                    assert not isinstance(p.get(key), bool), (lemma, p)


def only_type(events, plover):
    evs = [e for e in events if e.plover == plover]
    assert evs, [(e.plover, e.trigger) for e in events]
    return evs[0]
