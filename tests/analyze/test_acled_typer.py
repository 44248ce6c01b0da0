"""ACLED sub-event typing on made-up sentences: means, participants, outcomes, non-ACLED."""

from __future__ import annotations

import pytest

from rashomon.analyze.acled import (
    code_to_label,
    sub_event_info,
    sub_event_types,
    taxonomy,
    type_acled,
    type_text,
)
from rashomon.analyze.nlp import load_nlp

CASES = [
    # means of remote violence
    ("Warplanes carried out airstrikes on the village of Amberley, killing three people.",
     "AIR_STRIKE"),
    ("Artillery shells hit the outskirts of the town overnight.", "ART_MISS_ATTACK"),
    ("A roadside bomb exploded near an army convoy, wounding two soldiers.", "REM_EXPLOS"),
    ("Attackers hurled a grenade into a crowded cafe on Friday evening.", "GRENADE"),
    ("A suicide bomber blew himself up outside the station, killing six.", "SUIC_BOMB"),
    ("Residents reported breathing problems after a chlorine gas attack on the district.",
     "CHEM_WEAP"),
    # battles: who took the territory decides
    ("Rebel fighters captured the town of Westmoor after heavy fighting.",
     "NON_STATE_ACTOR_OVERTAKES_TER"),
    ("Government troops recaptured the village of Eastbrook from the insurgents.",
     "GOV_REGAINS_TERIT"),
    ("Militants attacked an army checkpoint, killing four soldiers.", "ARMED_CLASH"),
    # violence against civilians
    ("Gunmen attacked a church during the morning service, killing nine worshippers.",
     "ATTACK"),
    ("Armed men kidnapped five aid workers on the road to the border.", "ABDUCT_DISSAP"),
    ("Soldiers were accused of raping two women in the village.", "SEX_VIOL"),
    # demonstrations: who used force and how
    ("Thousands of demonstrators marched peacefully to the parliament on Sunday.",
     "PEACE_PROTEST"),
    ("Police fired tear gas to disperse protesters outside the ministry.", "PROTEST_WITH_INTER"),
    ("Protesters threw stones and petrol bombs at the police station.", "VIOL_DEMONSTR"),
    ("Security forces opened fire on peaceful protesters, killing five of them.",
     "FORCE_AGAINST_PROTEST"),
    ("An angry mob lynched two men accused of stealing cattle.", "MOB_VIOL"),
    # strategic developments
    ("The two armed groups signed a ceasefire agreement in the capital.", "AGREEMENT"),
    ("Police arrested twelve opposition activists at their homes.", "ARREST"),
    ("Police seized rifles, grenades and ammunition from a house in the suburb.", "DISR_WEAP"),
    ("Shops were looted and several cars set on fire in the market district.",
     "PROPERTY_DISTRUCT"),
    ("The army established a new military base near the northern border.", "HQ_ESTABLISHED"),
    ("Dozens of fighters defected and joined the army with their weapons.",
     "CHANGE_TO_GROUP_ACT"),
    # not ACLED events
    ("The foreign ministry expelled two diplomats and announced new sanctions.", "DIPLO"),
    ("The group claimed responsibility for the attack in a statement.", "ATTRIB"),
    ("Border guards caught a gang smuggling heroin across the river.", "ORG_CRIME"),
    ("A strong earthquake struck the coastal region, destroying hundreds of homes.",
     "NATURAL_DISASTER"),
    ("A chemical spill at the factory forced the evacuation of nearby streets.",
     "MAN_MADE_DISASTER"),
]


@pytest.fixture(scope="module")
def nlp():
    return load_nlp()


@pytest.mark.parametrize(("text", "code"), CASES)
def test_types_made_up_sentences(nlp, text, code):
    typed = type_text(text, nlp)
    assert typed is not None, text
    assert typed.code == code, (text, typed.scores)


def test_taxonomy_has_acleds_25_sub_event_types():
    subs = sub_event_types()
    assert len(subs) == 25
    assert {s.event_type for s in subs} == set(taxonomy()["event_types"])
    assert sub_event_info("AIR_STRIKE").sub_event_type == "Air/drone strike"
    assert sub_event_info("Air/drone strike").event_type == "Explosions/Remote violence"
    assert sub_event_info("Excessive force against protesters").disorder_type == \
        "Political violence; Demonstrations"
    assert code_to_label("DIPLO") == "Diplomacy"


def test_evidence_spans_are_offsets_into_the_text(nlp):
    text = "Warplanes carried out airstrikes on the village, killing three civilians."
    typed = type_acled(nlp(text), nlp)
    assert typed.acled and typed.event_type == "Explosions/Remote violence"
    assert typed.disorder_type == "Political violence"
    assert 0.5 <= typed.confidence <= 1.0
    assert typed.spans("trigger") and typed.spans("means")
    for ev in typed.evidence:
        assert text[ev.start:ev.end] == ev.text


def test_span_input_gives_document_offsets(nlp):
    text = ("The ministers met on Monday. Police fired tear gas at demonstrators in the square. "
            "Talks resumed later.")
    doc = nlp(text)
    sent = list(doc.sents)[1]
    typed = type_acled(sent, nlp)
    assert typed.code == "PROTEST_WITH_INTER"
    for ev in typed.evidence:
        assert text[ev.start:ev.end] == ev.text
        assert sent.start_char <= ev.start < sent.end_char


def test_a_seized_grenade_is_disrupted_use_not_a_grenade_attack(nlp):
    assert type_text("Soldiers found two grenades hidden in a car.", nlp).code == "DISR_WEAP"
    assert type_text("A grenade was thrown at a police patrol.", nlp).code == "GRENADE"


def test_aircraft_as_target_is_not_an_air_strike(nlp):
    typed = type_text("Rockets fired by the militia damaged two passenger planes at the airport.",
                      nlp)
    assert typed.code == "ART_MISS_ATTACK"


def test_non_acled_typing_is_flagged(nlp):
    typed = type_text("A volcano erupted on the island, sending ash over the villages.", nlp)
    assert typed.code == "NATURAL_DISASTER" and not typed.acled
    assert typed.event_type is None and typed.disorder_type is None


def test_text_without_any_criterion_is_untyped(nlp):
    assert type_text("The committee published its annual budget figures.", nlp) is None
