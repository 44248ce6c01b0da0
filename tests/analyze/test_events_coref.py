"""Events layer quality: pronouns, question vs request, installations, protest camps,
places and dates of nominal events.  All sentences are made up for the tests."""

from __future__ import annotations

from rashomon.analyze.events._layer import events_layer
from rashomon.analyze.events._letters import addressed_blocks
from rashomon.layers import DocContext
from rashomon.model import Document, Mention, TimeExpr
from rashomon.profiles import Profile

PROFILE = Profile(name="test", path=None, data={}, fingerprint="test")


def run(nlp, text, mentions=(), timexes=(), published="2022-05-20"):
    doc = Document(id="doc1", source="test", text=text, published=published)
    ctx = DocContext(doc=doc, sdoc=nlp(text), profile=PROFILE)
    ctx.results.update({"mentions": list(mentions), "timexes": list(timexes), "quotes": []})
    return events_layer(ctx)["events"]


def mention(text, surface, entity, kind, nth=0, **attrs):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Mention(id=f"m{start}", doc_id="doc1", start=start, end=start + len(surface),
                   entity_id=entity, surface=surface, kind=kind, attrs=attrs)


def timex(text, surface, value, gran="day", value_end=None):
    start = text.index(surface)
    return TimeExpr(id=f"t{start}", doc_id="doc1", start=start, end=start + len(surface),
                    text=surface, value_start=value, value_end=value_end or value,
                    granularity=gran)


def of_type(events, plover):
    return [e for e in events if e.plover == plover]


ROAD = {"place_kind": "route", "lat": 10.0, "lon": 20.0}


# -- pronouns ------------------------------------------------------------------
def test_events_coref_relative_pronoun_takes_modified_noun(nlp):
    events = run(nlp, "Police detained the journalist, who had criticised the mayor.")
    acc = of_type(events, "ACCUSE")
    assert acc and acc[0].source_actor.name == "journalist"
    assert acc[0].attrs["source_resolved_from"]["text"] == "who"


def test_events_coref_he_takes_previous_person_noun(nlp):
    events = run(nlp, "A soldier at the gate stopped the lorry and he shot the driver.")
    ev = of_type(events, "ASSAULT")[0]
    assert ev.source_actor.name == "soldier" and ev.source_actor.sector == "MIL"
    assert ev.target_actor.sector == "CVL"


def test_events_coref_she_takes_previous_named_person(nlp):
    text = "Mara Velt arrived in the capital on Monday. She condemned the raid on the market."
    m = mention(text, "Mara Velt", "mara-velt", "person", country="XXA", sector="GOV")
    ev = of_type(run(nlp, text, mentions=[m]), "ACCUSE")[0]
    assert ev.source_actor.entity_id == "mara-velt" and ev.source_actor.name == "Mara Velt"


def test_events_coref_it_and_they(nlp):
    ev = of_type(run(nlp, "The ministry said it had arrested three smugglers."), "COERCE")[0]
    assert ev.source_actor.name == "ministry" and ev.source_actor.sector == "GOV"
    ev = of_type(run(nlp, "The rebels said they had kidnapped two engineers."), "ASSAULT")[0]
    assert ev.source_actor.name == "rebels" and ev.source_actor.sector == "REB"


def test_events_coref_it_is_not_an_actor_when_it_is_a_statement(nlp):
    ev = of_type(run(nlp, "The army, which denies it, was accused of looting."), "REJECT")[0]
    assert ev.source_actor.name == "army"
    assert ev.target_actor is None


def test_events_coref_we_in_self_introduced_letter(nlp):
    text = ("We, farmers of the northern valley, write to the council.\n"
            "We demand that the government reopen the market.")
    ev = of_type(run(nlp, text), "REQUEST")[0]
    assert ev.source_actor.name == "farmers of the northern valley"
    assert ev.source_actor.sector == "AGR"
    # without a self-introduction the pronoun stays as written, with no entity
    ev = of_type(run(nlp, "We demand that the government reopen the market."), "REQUEST")[0]
    assert ev.source_actor.name == "We" and ev.source_actor.entity_id is None


def test_events_coref_nobody_negates_or_drops(nlp):
    assert of_type(run(nlp, "Nobody attacked."), "ASSAULT") == []
    ev = of_type(run(nlp, "Nobody attacked the convoy."), "ASSAULT")[0]
    assert ev.modality["negated"] and ev.attrs["source_quantifier"] == "Nobody"
    ev = of_type(run(nlp, "Nobody consulted the villagers about the dam."), "CONSULT")[0]
    assert ev.modality["negated"] and ev.source_actor is None
    assert ev.target_actor.name == "villagers"


def test_events_coref_dateline_is_not_a_subject(nlp):
    ev = of_type(run(nlp, "RIVERTON — Police arrested five men on Monday."), "COERCE")[0]
    assert ev.source_actor.name == "Police"


def test_events_coref_location_gives_actor_country(nlp):
    ev = of_type(run(nlp, "Rebels in Chad kidnapped two engineers."), "ASSAULT")[0]
    assert ev.source_actor.country == "TCD"


# -- ask: question or request --------------------------------------------------
def test_events_ask_question_is_not_a_request(nlp):
    text = "When the reporter asked him about the fire, the mayor declined to comment."
    assert of_type(run(nlp, text), "REQUEST") == []
    assert of_type(run(nlp, "The mayor asked whether the bridge was safe."), "REQUEST") == []


def test_events_ask_for_is_a_request_and_protesters_demand(nlp):
    ev = of_type(run(nlp, "The farmers asked the ministry for new wells."), "REQUEST")[0]
    assert ev.target_actor.name == "ministry"
    ev = of_type(run(nlp, "The protesters were asking for cleaner water."), "REQUEST")[0]
    assert ev.cameo.startswith("10") and ev.modality["demanded"]
    assert "cleaner water" in ev.attrs["demanded_action"]


# -- installations and protest camps -------------------------------------------
def test_events_checkpoint_tellings_share_code_place_and_date(nlp):
    a = "Turkish troops set up a checkpoint on the Coast Road on 3 May 2022."
    b = "Critics condemned the establishment of a Turkish checkpoint on the Coast Road on 3 May 2022."
    c = "A checkpoint appeared on the Coast Road on 3 May 2022."
    got = []
    for text in (a, b, c):
        road = mention(text, "Coast Road", "coast-road", "place", **ROAD)
        tx = timex(text, "3 May 2022", "2022-05-03")
        evs = [e for e in run(nlp, text, [road], [tx]) if e.attrs.get("installation")]
        assert len(evs) == 1, text
        got.append(evs[0])
    assert {e.cameo for e in got} == {"191"} and {e.plover for e in got} == {"COERCE"}
    assert all(e.place["entity_id"] == "coast-road" for e in got)
    assert all((e.date, e.date_precision) == ("2022-05-03", "day") for e in got)
    assert got[0].source_actor.country == "TUR" and got[1].source_actor.country == "TUR"


def test_events_protest_camp_on_a_road(nlp):
    text = "Dozens of activists pitched tents on the Coast Road on Friday."
    road = mention(text, "Coast Road", "coast-road", "place", **ROAD)
    ev = of_type(run(nlp, text, [road]), "PROTEST")[0]
    assert ev.cameo == "144" and ev.place["entity_id"] == "coast-road"
    assert ev.source_actor.sector == "OPP"
    text = "Hundreds of protesters spent the night in tents outside the stadium."
    ev = of_type(run(nlp, text), "PROTEST")[0]
    assert ev.cameo == "141" and "protesters" in ev.source_actor.name


def test_events_nominal_sit_in_and_protest_of_actors(nlp):
    text = "The sit-in on the Coast Road continued on Friday."
    road = mention(text, "Coast Road", "coast-road", "place", **ROAD)
    ev = of_type(run(nlp, text, [road]), "PROTEST")[0]
    assert ev.trigger == "sit-in" and ev.place["entity_id"] == "coast-road"
    assert ev.target_actor is None  # the road is where, not against whom
    text = "Protests of farmers began on the Coast Road on 2 May 2022."
    road = mention(text, "Coast Road", "coast-road", "place", **ROAD)
    tx = timex(text, "2 May 2022", "2022-05-02")
    ev = of_type(run(nlp, text, [road], [tx]), "PROTEST")[0]
    assert ev.source_actor.name == "farmers" and ev.date == "2022-05-02"


def test_events_protest_framed_as_pretext_keeps_date_and_place(nlp):
    text = ("The campaign started on 2 May 2022 on the Coast Road under the guise of a "
            "protest.")
    road = mention(text, "Coast Road", "coast-road", "place", **ROAD)
    tx = timex(text, "2 May 2022", "2022-05-02")
    ev = of_type(run(nlp, text, [road], [tx]), "PROTEST")[0]
    assert ev.attrs["framed_as"] == "guise"
    assert ev.date == "2022-05-02" and ev.place["entity_id"] == "coast-road"


def test_events_people_blocking_roads_is_a_protest(nlp):
    ev = run(nlp, "Hundreds of villagers blocked the highway near the border.")[0]
    assert ev.plover == "PROTEST" and ev.cameo == "144"
    ev = run(nlp, "The army blocked the highway near the border.")[0]
    assert ev.plover == "COERCE"


def test_events_definite_road_takes_earlier_route_and_range(nlp):
    text = ("Lorries queued for hours near the Coast Road junction at Tarvo.\n"
            "The road has been blocked since March 2.")
    road = mention(text, "Coast Road", "coast-road", "place", **ROAD)
    town = mention(text, "Tarvo", "tarvo", "place", place_kind="city")
    tx = timex(text, "since March 2", "2022-03-02", gran="range", value_end="2022-05-20")
    ev = of_type(run(nlp, text, [road, town], [tx]), "COERCE")[0]
    assert ev.place["entity_id"] == "coast-road"
    assert ev.date == "2022-03-02" and ev.attrs["date_end"] == "2022-05-20"


# -- assaults told from two sides ---------------------------------------------
def test_events_coordinated_passive_assaults_share_victim(nlp):
    text = "Jon Arle left home on Friday. He was abducted and killed."
    m = mention(text, "Jon Arle", "jon-arle", "person", sector="CVL")
    evs = of_type(run(nlp, text, [m]), "ASSAULT")
    assert len(evs) == 1  # one incident, the most severe code kept
    ev = evs[0]
    assert ev.target_actor.entity_id == "jon-arle" and ev.source_actor is None
    assert {ev.trigger, *(x["trigger"] for x in ev.attrs["coordinated"])} == {"abducted",
                                                                               "killed"}


def test_events_self_defence_version_has_both_assaults(nlp):
    text = "The guard acted in self-defence after the driver attacked a guard."
    ev = of_type(run(nlp, text), "ASSAULT")[0]
    assert ev.source_actor.name == "driver" and ev.target_actor.sector == "COP"


def test_events_nominal_killing_with_victim_and_place(nlp):
    text = "Crowds gathered after the killing of a shepherd near Tarvo on 4 May 2022."
    town = mention(text, "Tarvo", "tarvo", "place", place_kind="city")
    tx = timex(text, "4 May 2022", "2022-05-04")
    ev = of_type(run(nlp, text, [town], [tx]), "ASSAULT")[0]
    assert ev.target_actor.name == "shepherd"
    assert ev.place["entity_id"] == "tarvo" and ev.date == "2022-05-04"


def test_events_place_under_a_larger_locative_phrase(nlp):
    text = "Police arrested two men at the approach to the Coast Road."
    road = mention(text, "Coast Road", "coast-road", "place", **ROAD)
    ev = of_type(run(nlp, text, [road]), "COERCE")[0]
    assert ev.place["entity_id"] == "coast-road" and ev.place["via"] == "trigger"


def test_events_inline_addressee_resolves_you(nlp):
    text = ("We, nurses of the district hospital, write about the clinic.\n\n"
            "To the Regional Council: we urge you to reopen the clinic.\n")
    assert addressed_blocks(text)[0].addressee == "the Regional Council"
    ev = [e for e in run(nlp, text) if e.attrs.get("appeal")][0]
    assert ev.target_actor.name == "the Regional Council"
    assert ev.source_actor.name == "nurses of the district hospital"
    assert "reopen the clinic" in ev.attrs["demanded_action"]


def test_events_coordinated_verb_passive_or_active(nlp):
    text = "A farmer was pulled off the bus and beaten because a soldier disliked his papers."
    ev = of_type(run(nlp, text), "ASSAULT")[0]
    assert ev.source_actor is None and ev.target_actor.name == "farmer"
    ev = of_type(run(nlp, "The soldiers were attacked and fired back at the gunmen."),
                 "ASSAULT")
    assert any(e.source_actor is not None and e.source_actor.name == "soldiers" for e in ev)


def test_events_protest_keeps_its_demand_as_one_event(nlp):
    events = run(nlp, "Thousands of workers marched through the capital, calling for higher wages.")
    assert [e.plover for e in events] == ["PROTEST"]
    assert "higher wages" in events[0].attrs["demanded_action"]
    assert events[0].target_actor is None
