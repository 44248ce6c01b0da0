"""Events layer on hand-made sentences: types, actors, modality, date and place."""

from __future__ import annotations

import pytest

from rashomon.analyze.events._codes import code_info, lexicon, normalize_plover, plover_types
from rashomon.analyze.events._layer import events_layer
from rashomon.analyze.events._letters import addressed_blocks
from rashomon.layers import DocContext
from rashomon.model import Actor, Mention, Quote, TimeExpr
from rashomon.profiles import Profile

PROFILE = Profile(name="test", path=None, data={}, fingerprint="test")


def run(nlp, text, mentions=(), timexes=(), quotes=(), published="2021-12-10"):
    from rashomon.model import Document

    doc = Document(id="doc1", source="test", text=text, published=published)
    ctx = DocContext(doc=doc, sdoc=nlp(text), profile=PROFILE)
    ctx.results.update({"mentions": list(mentions), "timexes": list(timexes),
                        "quotes": list(quotes)})
    return events_layer(ctx)["events"]


def only(events, plover=None):
    evs = [e for e in events if plover is None or e.plover == plover]
    assert evs, f"no {plover} event in {[(e.plover, e.trigger) for e in events]}"
    return evs[0]


@pytest.mark.parametrize("text,plover", [
    ("Israel and Jordan agreed to cooperate on water.", "AGREE"),
    ("The French president visited Algeria on Monday.", "CONSULT"),
    ("Germany praised the Greek government.", "SUPPORT"),
    ("The government pardoned 40 opposition activists.", "CONCEDE"),
    ("Kenya and Uganda cooperated with the investigators.", "COOPERATE"),
    ("Japan sent humanitarian aid to Haiti.", "AID"),
    ("The rebels released three hostages.", "RETREAT"),
    ("Pakistan called on India to resume talks.", "REQUEST"),
    ("Turkey accused Greece of violating its airspace.", "ACCUSE"),
    ("Syria rejected the peace plan.", "REJECT"),
    ("The rebels threatened to attack the capital.", "THREATEN"),
    ("Thousands of protesters demonstrated in Cairo.", "PROTEST"),
    ("Russia expelled two British diplomats.", "SANCTION"),
    ("Iran mobilized troops on the border.", "MOBILIZE"),
    ("Police arrested 20 protesters in the capital.", "COERCE"),
    ("Rebels kidnapped two journalists.", "ASSAULT"),
])
def test_events_one_per_plover_type(nlp, text, plover):
    events = run(nlp, text)
    assert plover in {e.plover for e in events}


def test_events_lexicon_covers_all_roots_and_types():
    codes = [str(p if not isinstance(p, dict) else p["code"])
             for pats in lexicon()["verbs"].values() for p in pats]
    codes += [str(c) for c in lexicon()["nouns"].values()]
    assert {c[:2] for c in codes} >= {f"{i:02d}" for i in range(1, 21)}
    assert {code_info(c).plover for c in codes} >= set(plover_types())


def test_events_codes_carry_scores():
    info = code_info("193")
    assert info.plover == "ASSAULT" and info.goldstein == -10.0
    assert info.intensity == -9.0  # PLOVER ASSAULT:firearms score
    assert code_info("1823").goldstein is not None  # sub-code falls back sensibly
    assert normalize_plover("DEMAND") == "REQUEST" and normalize_plover("FIGHT") == "ASSAULT"


def test_events_actor_country_and_sector_from_demonyms(nlp):
    ev = only(run(nlp, "Azerbaijani soldiers shot an Armenian civilian."), "ASSAULT")
    assert (ev.source_actor.country, ev.source_actor.sector) == ("AZE", "MIL")
    assert (ev.target_actor.country, ev.target_actor.sector) == ("ARM", "CVL")
    assert ev.goldstein < 0 and ev.modality["reported_by"] == "outlet"


def test_events_negation(nlp):
    ev = only(run(nlp, "Russian troops did not attack the village."), "ASSAULT")
    assert ev.modality["negated"] is True
    ev = only(run(nlp, "Russian troops attacked the village."), "ASSAULT")
    assert ev.modality["negated"] is False


def test_events_hypothetical_and_conditional(nlp):
    ev = only(run(nlp, "The army could launch an offensive if the talks fail."), "ASSAULT")
    assert ev.modality["hypothetical"] and ev.modality["conditional"]
    assert ev.source_actor.sector == "MIL"


def test_events_threat_is_not_hypothetical(nlp):
    ev = only(run(nlp, "The rebels threatened to attack the capital."), "THREATEN")
    assert not ev.modality["hypothetical"]
    assert ev.attrs["embedded_cameo"].startswith("19")
    assert len(run(nlp, "The rebels threatened to attack the capital.")) == 1


def test_events_demanded_action(nlp):
    ev = only(run(nlp, "The minister urged Armenia to withdraw its troops."), "REQUEST")
    assert ev.modality["demanded"] is True
    assert ev.target_actor.country == "ARM"
    assert "withdraw" in ev.attrs["demanded_action"]
    assert code_info(ev.attrs["demanded_cameo"]).plover == "RETREAT"


def test_events_passive_agent(nlp):
    ev = only(run(nlp, "A civilian was killed by Israeli forces."), "ASSAULT")
    assert ev.source_actor.country == "ISR" and ev.source_actor.sector == "MIL"
    assert ev.target_actor.sector == "CVL"


def test_events_date_attached_to_trigger(nlp):
    text = "Talks were held in May. On December 3, soldiers shot a farmer."
    i = text.index("December 3")
    tx = TimeExpr(id="t1", doc_id="doc1", start=i, end=i + 10, text="December 3",
                  value_start="2021-12-03", value_end="2021-12-03", granularity="day")
    ev = only(run(nlp, text, timexes=[tx]), "ASSAULT")
    assert (ev.date, ev.date_precision) == ("2021-12-03", "day")


def test_events_date_from_paragraph_then_document(nlp):
    text = "On 5 March 2022, a meeting took place.\nSoldiers shot a farmer.\n\nPolice arrested a man."
    tx = TimeExpr(id="t1", doc_id="doc1", start=3, end=15, text="5 March 2022",
                  value_start="2022-03-05", value_end="2022-03-05", granularity="day")
    events = run(nlp, text, timexes=[tx])
    shot = only(events, "ASSAULT")
    arrest = only(events, "COERCE")
    # the shooting is in its own line (paragraph) with no date: falls back to the document
    assert shot.date_precision in ("document", "day")
    assert arrest.date == "2021-12-10" and arrest.date_precision == "document"


def test_events_place_attached(nlp):
    text = "Soldiers shot a farmer near Chartar on Friday."
    i = text.index("Chartar")
    place = Mention(id="m1", doc_id="doc1", start=i, end=i + 7, entity_id="place:chartar",
                    surface="Chartar", kind="place", attrs={"lat": 39.8, "lon": 46.9})
    ev = only(run(nlp, text, mentions=[place]), "ASSAULT")
    assert ev.place["entity_id"] == "place:chartar" and ev.place["lat"] == 39.8


def test_events_mention_and_role_code_actor(nlp):
    text = "Smith condemned the attack on the village."
    person = Mention(id="m1", doc_id="doc1", start=0, end=5, entity_id="person:smith",
                     surface="Smith", kind="person",
                     attrs={"country": "GBR", "sector": "CVL",
                            "roles": [{"title": "minister", "sector": "GOV", "country": "GBR",
                                       "start": "2021-01-01", "end": "2022-12-31"}]})
    ev = only(run(nlp, text, mentions=[person]), "ACCUSE")
    assert ev.source_actor.entity_id == "person:smith"
    assert ev.source_actor.sector == "GOV"  # the role valid at the document date


def test_events_reported_by_quote_speaker(nlp):
    text = '"The army shelled our village," the mayor said.'
    q = Quote(id="q1", doc_id="doc1", start=1, end=31, text=text[1:31], kind="direct",
              speaker=Actor(name="the mayor"))
    ev = only(run(nlp, text, quotes=[q]), "ASSAULT")
    assert ev.modality["reported_by"] == "the mayor"


def test_events_reporting_verb_attribution(nlp):
    ev = only(run(nlp, "The ministry said that rebels attacked a convoy."), "ASSAULT")
    assert ev.modality["reported_by"] == "ministry"


def test_events_no_event_without_arguments(nlp):
    assert run(nlp, "The meeting was long.") == []
    assert [e for e in run(nlp, "It was an attack on democracy itself.")
            if e.plover == "ASSAULT"] == []


def test_events_ids_are_stable(nlp):
    text = "Police arrested 20 protesters in the capital."
    assert [e.id for e in run(nlp, text)] == [e.id for e in run(nlp, text)]


def test_events_addressed_appeal_blocks(nlp):
    text = ("I, Jane Roe, the President of the Republic of Examplia, write to you.\n\n"
            "To the European Union\n\n"
            "  • I urge you to impose sanctions against Ruritania;\n"
            "  • I call for the immediate release of the hostages.\n\n"
            "To the Secretary-General of the United Nations\n\n"
            "  • I urge you to send a fact-finding mission.\n\n"
            "Thank you.")
    blocks = addressed_blocks(text)
    assert [b.addressee for b in blocks] == ["the European Union",
                                                "the Secretary-General of the United Nations"]
    appeals = [e for e in run(nlp, text) if e.attrs.get("appeal")]
    assert len(appeals) == 3
    first = appeals[0]
    assert first.source_actor.name == "Jane Roe" and first.source_actor.sector == "GOV"
    assert first.target_actor.country == "IGO"
    assert first.plover == "REQUEST" and first.modality["demanded"]
    assert "impose sanctions against Ruritania" in first.attrs["demanded_action"]
    assert first.attrs["demanded_cameo"] == "163"
    assert text[first.start:first.end] == first.sentence
