"""Events told as background, ability, figure of speech or aim are kept out of the current
events or marked; ACLED typing and the main event are stored on the events.  Made-up
sentences only."""

from __future__ import annotations

import pytest

from rashomon.analyze.events import events_layer, is_current
from rashomon.layers import DocContext
from rashomon.model import Document, TimeExpr
from rashomon.profiles import Profile

PROFILE = Profile(name="test", path=None, data={}, fingerprint="test")


def run(nlp, text, published="2024-03-04", title=None, timexes=()):
    doc = Document(id="d", source="test", text=text, published=published, title=title)
    ctx = DocContext(doc=doc, sdoc=nlp(text), profile=PROFILE)
    ctx.results.update({"mentions": [], "timexes": list(timexes), "quotes": []})
    return events_layer(ctx)["events"]


def by_trigger(events, word):
    hits = [e for e in events if (e.trigger or "").lower().startswith(word)]
    assert hits, f"no event on {word!r} in {[(e.trigger, e.cameo) for e in events]}"
    return hits[0]


@pytest.mark.parametrize("text,trigger", [
    ("Crowds marked the anniversary of the alliance's 1999 bombing of the capital.", "bombing"),
    ("The envoy recalled that rebels had shelled the port in 1998.", "shelled"),
    ("The monument recalls a massacre by soldiers two decades ago.", "massacre"),
    ("Kestria demanded the return of a drone that was seized by Valdor last week.", "seized"),
])
def test_history_behind_the_news_is_background(nlp, text, trigger):
    ev = by_trigger(run(nlp, text), trigger)
    assert ev.modality.get("background") and ev.modality.get("background_reason")
    assert not is_current(ev)


def test_an_old_date_on_its_own_phrase_makes_background(nlp):
    text = "Soldiers attacked the village on 3 May 2019, the committee wrote."
    start = text.index("3 May 2019")
    tx = TimeExpr(id="t1", doc_id="d", start=start, end=start + len("3 May 2019"),
                  text="3 May 2019", value_start="2019-05-03", value_end="2019-05-03",
                  granularity="day")
    ev = by_trigger(run(nlp, text, timexes=[tx]), "attacked")
    assert ev.date == "2019-05-03" and ev.modality.get("background")
    # a December attack told in a January report is news, not history
    text = "Soldiers attacked the village on 30 December 2023, the committee wrote."
    ev = by_trigger(run(nlp, text, published="2024-01-03"), "attacked")
    assert not ev.modality.get("background")


def test_a_nearby_old_date_of_another_event_is_not_the_events_own(nlp):
    text = ("Since the truce of 9 November 2020 was signed, the army has attacked the "
            "villages every week.")
    ev = by_trigger(run(nlp, text), "attacked")
    assert not ev.modality.get("background")


def test_the_reports_own_news_is_current(nlp):
    ev = by_trigger(run(nlp, "Rebels shelled the port on Monday, killing four."), "shelled")
    assert not ev.modality.get("background") and is_current(ev)
    # a main clause dated last year is still the report's news
    ev = by_trigger(run(nlp, "Kestria continued to send arms to Valdor last year."), "send")
    assert not ev.modality.get("background")


def test_ability_in_speech_is_hypothetical(nlp):
    ev = by_trigger(run(nlp, '"You can kill us all," the elder told the soldiers.'), "kill")
    assert ev.modality["hypothetical"] and ev.modality["ability"] and not is_current(ev)


@pytest.mark.parametrize("text", [
    "The senator killed the deal on Monday.",
    "The council fought corruption for years.",
])
def test_figurative_violence_is_no_event(nlp, text):
    assert [e for e in run(nlp, text) if e.cameo[:2] in ("18", "19", "20")] == []


def test_a_released_image_is_a_statement_not_a_release(nlp):
    ev = by_trigger(run(nlp, "The army released an image of the ruined bridge."), "released")
    assert ev.cameo == "010" and ev.plover == ""
    ev = by_trigger(run(nlp, "The rebels released three hostages."), "released")
    assert ev.plover == "RETREAT"


def test_a_purpose_infinitive_is_an_aim_not_an_event(nlp):
    events = run(nlp, "Riot police used tear gas to disperse the marchers in the square.")
    assert not [e for e in events if e.trigger == "disperse"]


def test_same_category_nested_and_coordinated_events_fold(nlp):
    events = run(nlp, "A mine explosion near the town killed two herders and wounded five "
                      "others on Sunday.")
    assaults = [e for e in events if e.plover == "ASSAULT"]
    assert len(assaults) == 1
    assert [c["trigger"] for c in assaults[0].attrs["coordinated"]] == ["wounded"]


def test_acled_typing_and_main_event_are_stored(nlp):
    text = ("Gunmen threw grenades at a police post in Harlow on Monday, killing two officers."
            "\nLater, the minister met the mayor to discuss the attack.")
    events = run(nlp, text, title=None)
    grenade = by_trigger(events, "killing")
    typing = grenade.attrs["acled"]
    assert typing["sub_event_type"] == "Grenade" and typing["acled"] is True
    roles = {e["role"] for e in typing["evidence"]}
    assert "means" in roles
    for e in typing["evidence"]:
        assert text[e["start"]:e["end"]] == e["text"]
    assert grenade.attrs["main"] is True and grenade.attrs["lead"] is True
    meeting = by_trigger(events, "met")
    assert meeting.attrs["main"] is False and meeting.attrs["lead"] is False
    assert sum(bool(e.attrs.get("main")) for e in events) == 1


def test_main_event_prefers_the_lead_over_an_earlier_statement(nlp):
    text = ("The ministry condemned the violence.\n"
            "Protesters burned tyres and threw stones at police in Corlan on Friday.")
    events = run(nlp, text)
    [main] = [e for e in events if e.attrs.get("main")]
    # the statement leads, but the report's ACLED event is the demonstration
    assert main.attrs["acled"]["event_type"] in ("Riots", "Protests")
    assert main.start == text.index("Protesters")


@pytest.mark.parametrize("text", [
    "KORRIN, Valdor (Valdor Press) — Soldiers shelled the village on Monday.",
    "KORRIN — Soldiers shelled the village on Monday.",
    "Photo: Lena Moor/Valdor Press\nSoldiers shelled the village on Monday.",
    "(Photo by Lena Moor) Soldiers shelled the village on Monday.",
])
def test_datelines_and_photo_credits_are_never_actors(nlp, text):
    ev = by_trigger(run(nlp, text), "shelled")
    assert ev.source_actor.name == "Soldiers"
    assert ev.target_actor is None or ev.target_actor.name == "village"
