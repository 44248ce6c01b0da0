"""The events layer's array-based shortcuts agree with the token-by-token definitions
they replace.  All sentences are made up for the tests."""

from __future__ import annotations

from types import SimpleNamespace

from rashomon.analyze.events._actors import ActorCoder
from rashomon.analyze.events._codes import word_set
from rashomon.analyze.events._coref import _no_determined, _noun_heads, is_negative_quantifier
from rashomon.analyze.events._doc import ner_place_objects, own_children
from rashomon.analyze.events._patterns import camp_lemmas, camp_trigger, installation_lemmas
from rashomon.analyze.events._setting import own_tokens, own_tokens_from
from rashomon.analyze.events._triggers import doc_tags, find_candidates, match_verb
from rashomon.model import Mention

TEXT = (
    "No soldiers crossed the border near Lachin on Monday, and no one was hurt. "
    "Protesters pitched tents on the road to Goris while police set up a checkpoint. "
    "The minister, who visited Paris, urged both sides to resume talks in Brussels. "
    "Rebels test-fired a missile over the sea-side town of Korrin."
)


def test_events_doc_tags_match_token_attributes(nlp):
    sdoc = nlp(TEXT)
    pos, hyphens = doc_tags(sdoc)
    assert pos == [t.pos_ for t in sdoc]
    assert hyphens == {t.i for t in sdoc if t.tag_ == "HYPH"}


def test_events_noun_heads_and_no_determiners_match_parse(nlp):
    sdoc = nlp(TEXT)
    assert _noun_heads(sdoc) == [t.i for t in sdoc if t.pos_ in ("NOUN", "PROPN")
                                 and t.dep_ not in ("compound", "amod", "npadvmod")]
    no_heads = _no_determined(sdoc)
    assert no_heads == {t.i for t in sdoc
                        if any(c.dep_ == "det" and c.lower_ == "no" for c in t.children)}
    for t in sdoc:
        if t.pos_ in ("NOUN", "PROPN") and t.i in no_heads:
            assert is_negative_quantifier(t)


def test_events_own_tokens_cache_equals_tree_walk(nlp):
    sdoc = nlp(TEXT)
    children = own_children(sdoc)
    for tok in sdoc:
        light = tok.head if tok.dep_ == "dobj" else None
        c = SimpleNamespace(tok=tok, light=light)
        assert own_tokens_from(children, c) == own_tokens(c)


def test_events_ner_place_objects_cover_the_fallback_tokens(nlp):
    sdoc = nlp(TEXT)
    preps = word_set("place_preps")
    assert ner_place_objects(sdoc) == [
        t.i for t in sdoc if t.dep_ == "pobj" and t.head.lemma_.lower() in preps
        and t.ent_type_ in ("GPE", "LOC", "FAC")]


def test_events_trigger_prefilters_only_skip_hopeless_tokens(nlp):
    sdoc = nlp(TEXT)
    camps, insts = camp_lemmas(), installation_lemmas()
    for t in sdoc:
        if t.pos_ == "VERB" and t.lemma_.lower() not in camps:
            assert camp_trigger(t) is None
    cands = [c for s in sdoc.sents for c in find_candidates(s)]
    assert cands, "the sentences hold lexicon triggers"
    for c in cands:
        if not c.is_noun and c.surface is None and c.args is None:
            assert c.pattern is match_verb(c.tok) or c.pattern == match_verb(c.tok)
    inst_nouns = [c.installation for c in cands if c.installation is not None]
    assert [n.lemma_.lower() for n in inst_nouns] == ["checkpoint"]
    assert all(n.lemma_.lower() in insts for n in inst_nouns)
    assert any(c.camp for c in cands)  # "pitched tents": a camp verb still found
    assert any(c.surface == "test-fire" for c in cands)  # hyphen verb still found


def test_events_inside_bisect_equals_scan():
    ms = [Mention(id=f"m{i}", doc_id="d", start=s, end=e, entity_id=None, surface="x",
                  kind="person") for i, (s, e) in enumerate(
                      [(0, 5), (3, 4), (5, 5), (5, 9), (8, 12), (12, 20), (20, 20)])]
    coder = ActorCoder(ms)
    for lo in range(0, 22):
        for hi in range(lo, 22):
            assert coder._inside(lo, hi) == [m for m in ms if lo <= m.start and m.end <= hi]
    shuffled = ActorCoder(list(reversed(ms)))
    assert shuffled._inside(0, 12) == [m for m in reversed(ms) if m.end <= 12]
