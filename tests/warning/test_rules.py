"""The framework and the evidence rules as data: shape, neutrality, modality guards."""

from __future__ import annotations

import re

import pytest
import yaml

from rashomon import data as rdata
from rashomon.profiles import BUNDLED_DIR
from rashomon.warning import build_rules, default_rules, load_frameworks, rf_number
from rashomon.warning.rules import group_pattern


def _hits(sentence: str, groups=None) -> set[str]:
    return {m.rule.id for m in default_rules().match_sentence(sentence, groups=groups)}


def test_framework_has_14_risk_factors_with_unique_indicator_ids():
    fw = load_frameworks()["un-foa-2014"]
    assert [rf["id"] for rf in fw.risk_factors] == [f"RF{i}" for i in range(1, 15)]
    ids = [i.id for rf in fw.risk_factors for i in rf["indicators"]]
    assert len(ids) == len(set(ids)) > 120
    for rf in fw.risk_factors:
        assert rf["page"] and rf["title"] and rf["crimes"]
        for ind in rf["indicators"]:
            assert ind.id.split(".")[0] == str(rf_number(rf["id"]))
            assert 10 < len(ind.text) < 140  # short paraphrases, not the original text
    crimes = {rf["id"]: rf["crimes"] for rf in fw.risk_factors}
    assert crimes["RF9"] == crimes["RF10"] == "genocide"
    assert crimes["RF13"] == crimes["RF14"] == "war_crimes"


def test_every_rule_points_at_an_existing_indicator():
    fw = load_frameworks()["un-foa-2014"]
    rules = default_rules()
    for rule in (*rules.text, *rules.events):
        assert rule.indicators and all(i in fw.indicators for i in rule.indicators), rule.id


def test_no_rule_names_a_party_place_or_outlet_of_any_bundled_profile():
    text = rdata.path("warning_rules.yaml").read_text(encoding="utf-8").lower()
    for profile in BUNDLED_DIR.glob("*.yaml"):
        data = yaml.safe_load(profile.read_text(encoding="utf-8")) or {}
        names = [n for key in ("parties", "actors", "places", "sources")
                 for item in data.get(key) or [] for n in [item.get("name"),
                                                           *item.get("aliases", [])] if n]
        for n in names:
            if len(n) > 3 and n.lower() not in ("peacekeepers", "peacekeeping mission",
                                                 "the league", "red cross"):
                assert not re.search(r"(?<!\w)" + re.escape(n.lower()) + r"(?!\w)", text), n


def test_a_call_to_prevent_a_crime_is_not_evidence_of_it():
    assert _hits("We call on the world to prevent the genocide of our people.") == set()
    assert _hits("The envoy warned of ethnic cleansing if the road stays closed.") == set()
    assert _hits("Leaders must act now to avert a famine in the valley.") == set()
    assert "atrocity_allegation" in _hits("Our people are facing genocide, the minister said.")
    assert "starvation" in _hits("The first deaths from starvation were registered on Monday.")


def test_acts_after_a_denial_cue_count_as_denial_not_as_the_act():
    hits = _hits("The ministry denies the so-called blockade and any humanitarian crisis.")
    assert hits == {"denial_of_violations"}
    # the denied thing must come after the denial cue
    assert "denial_of_violations" not in _hits(
        "The capital calls the camp a blockade and says the protesters are paid, which the "
        "government denies.")


def test_group_rules_need_a_named_people_and_profile_groups_count():
    plain = "\"They are vermin who breed in the valleys,\" the commander said."
    assert "dehumanising" not in _hits(plain.replace("They", "Those mice"))
    named = "\"The Osterfolk up there are vermin,\" the commander said."
    assert "dehumanising" not in _hits(named)
    assert "dehumanising" in _hits(named, groups=group_pattern(["Osterfolk"]))
    assert "dehumanising" in _hits("\"The Ruritanians are vermin,\" the commander said.")


def test_threats_against_peacekeepers_and_blocked_convoys():
    assert "threat_humanitarian" in _hits(
        "He said the peacekeepers \"will be treated as enemies if they escort one more lorry\".")
    assert {"supplies_blocked", "humanitarian_obstructed"} <= _hits(
        "A Red Cross convoy with flour and insulin was turned back at the bridge.")
    assert _hits("The campaign wants to wipe out the competition in Ohio.") == set()
    assert _hits("The senator said the tax plan is a disaster for families.") == set()


def test_profile_rules_replace_bundled_ones_by_id_and_bad_rules_are_refused():
    raw = rdata.load("warning_rules.yaml")
    rules = build_rules(raw, {"rules": [{"id": "starvation", "indicators": ["7.10"],
                                         "terms": ["hunger winter"]}]})
    assert {m.rule.id for m in rules.match_sentence("The hunger winter began.")} == {"starvation"}
    assert not rules.match_sentence("Deaths from starvation were registered.")
    with pytest.raises(rdata.DataError):
        build_rules(raw, {"rules": [{"id": "x", "indicators": ["7.1"], "kind": "verdict",
                                     "terms": ["a"]}]})


def test_a_profile_can_add_a_framework():
    extra = {"id": "ten-stages", "title": "Ten stages", "risk_factors": [
        {"id": "S1", "title": "Classification", "page": 1,
         "indicators": [{"id": "S1.1", "text": "Us-and-them categories are drawn."}]}]}
    fws = load_frameworks([extra])
    assert set(fws) == {"un-foa-2014", "ten-stages"}
    assert fws["ten-stages"].indicators["S1.1"].risk_factor == "S1"
    assert len(load_frameworks()["un-foa-2014"].indicators) == len(
        fws["un-foa-2014"].indicators)  # the bundled data is not mutated
