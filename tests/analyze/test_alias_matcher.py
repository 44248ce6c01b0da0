"""The alias matcher (spaCy PhraseMatcher over our tokens): leftmost-longest, exact before folded."""

from __future__ import annotations

from rashomon.analyze.entities._resolve import AliasMatcher
from rashomon.model import Entity


def _matcher() -> AliasMatcher:
    return AliasMatcher.build([
        Entity(id="river", kind="place", name="Tollen River", aliases=["Tollen"]),
        Entity(id="bridge", kind="place", name="Tollen River Bridge"),
        Entity(id="un", kind="organisation", name="United Nations", aliases=["UN"]),
        Entity(id="council", kind="organisation", name="the Upper Council"),
    ])


def _found(m: AliasMatcher, text: str) -> list[tuple[str, str]]:
    return [(text[s:e], ",".join(t.entity_id for t in targets)) for s, e, targets in m.find(text)]


def test_entities_alias_matcher_takes_the_longest_alias_at_each_start():
    m = _matcher()
    text = "Trucks crossed the Tollen River Bridge, then the Tollen River, then Tollen."
    assert _found(m, text) == [("Tollen River Bridge", "bridge"), ("Tollen River", "river"),
                               ("Tollen", "river")]


def test_entities_alias_matcher_consumes_matched_tokens_and_respects_case():
    m = _matcher()
    text = "THE UPPER COUNCIL met the UN; un-named United Nations staff; the upper council."
    assert _found(m, text) == [("UPPER COUNCIL", "council"), ("UN", "un"),
                               ("United Nations", "un"), ("upper council", "council")]


def test_entities_alias_matcher_alias_longer_than_the_rest_of_the_text():
    assert _found(_matcher(), "Near Tollen River") == [("Tollen River", "river")]
    assert _found(_matcher(), "Tollen") == [("Tollen", "river")]


def test_entities_alias_matcher_exact_alias_wins_a_tie_with_a_folded_one():
    m = AliasMatcher.build([
        Entity(id="upper", kind="organisation", name="McKay"),  # mixed case: as written
        Entity(id="lower", kind="place", name="Mckay"),  # case-folded
    ])
    assert _found(m, "McKay met MCKAY and mckay.") == [
        ("McKay", "upper"), ("MCKAY", "lower"), ("mckay", "lower")]


def test_entities_alias_matcher_dashes_and_apostrophes_are_unified():
    m = AliasMatcher.build([Entity(id="x", kind="place", name="Saint-Anne's Bay")])
    assert _found(m, "At Saint Anne’s Bay today") == [("Saint Anne’s Bay", "x")]
