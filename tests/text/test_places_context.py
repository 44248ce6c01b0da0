"""Places in context: the gazetteer weighs the text's countries and nearby words, keeps
acronyms and distant namesakes unresolved, and knows first-level regions."""

from __future__ import annotations

from rashomon.text import is_acronym, region_country, resolve_place


def test_a_country_named_in_the_text_beats_a_namesake_in_another_context_country():
    # a text about both the US and Serbia: the Serbian capital, not a Montana town
    e = resolve_place("Belgrade", weights={"USA": 1, "SRB": 1})
    assert e is not None and e.country == "SRB"


def test_nearby_words_decide():
    e = resolve_place("Belgrade", weights={"USA": 5}, strong=["SRB"])
    assert e is not None and e.country == "SRB"


def test_a_small_namesake_abroad_stays_unresolved():
    # the text is about Kosovo; the only "Bansko"s are small towns in other countries
    assert resolve_place("Bansko", weights={"XKX": 3}) is None
    assert resolve_place("Bansko") is None  # no context at all: still no guess


def test_a_namesake_in_a_country_other_than_the_nearby_words_name_is_refused():
    # "Bountiful, British Columbia": the gazetteer only knows the Utah town
    assert resolve_place("Bountiful", weights={"USA": 2}, strong=["CAN"]) is None


def test_an_alternate_name_of_a_city_abroad_is_not_taken():
    # "Yida" is a refugee camp; GeoNames also lists it as a spelling of Jeddah
    assert resolve_place("Yida", weights={"SSD": 4, "SDN": 2}) is None


def test_a_world_city_resolves_without_context():
    e = resolve_place("Moscow")
    assert e is not None and e.country == "RUS"


def test_credit_tokens_and_short_codes_are_never_cities():
    for token in ("STR", "AFP", "EPA", "AMD", "MoD"):
        assert is_acronym(token)
        assert resolve_place(token, weights={"DEU": 2, "USA": 2}) is None
    assert not is_acronym("Gaza") and not is_acronym("PARIS")
    us = resolve_place("US")  # a country code is still a country
    assert us is not None and us.id == "geo:country:USA"


def test_regions_and_their_abbreviations():
    assert region_country("Texas") == "USA"
    assert region_country("Va.") == "USA"
    assert region_country("B.C.") == "CAN"
    assert region_country("Serbia") is None
    e = resolve_place("Texas")
    assert e is not None and e.country == "USA" and e.attrs["place_kind"] == "region"


def test_a_name_that_is_a_country_and_a_region_follows_the_text():
    assert resolve_place("Georgia").id == "geo:country:GEO"
    assert resolve_place("Georgia", weights={"USA": 4}).attrs["place_kind"] == "region"
    assert resolve_place("Georgia", weights={"USA": 4, "GEO": 4}).id == "geo:country:GEO"
