"""Trigger patterns that a lemma lookup alone gets wrong.

* **Word sense of "ask"** (and other question/request verbs): "asked him about
  it", "asked whether ..." put a question and are no event; "asked X to do Y",
  "asked for Y", "ask that Y" are requests.
* **Installations** that restrict movement: a checkpoint, roadblock or border
  post being established, installed, opened, set up or going up, in verb or
  noun form ("the establishment of a checkpoint", "a checkpoint appeared"),
  coded with one CAMEO code (``installations.code`` in the lexicon) so every
  telling of it can be compared.
* **Protest camps**: protesters/activists pitching tents, setting up camp,
  spending the night in tents, remaining or staying on a road: a protest
  (CAMEO 141), or an obstruction protest (144) when the place is a road.

Everything is driven by ``data/event_lexicon.yaml``; nothing here names a party.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rashomon.analyze.events._args import subject
from rashomon.analyze.events._candidate import TokenTest
from rashomon.analyze.events._codes import lexicon, word_set
from rashomon.analyze.events._phrase import pobj, semantic_head

if TYPE_CHECKING:
    from spacy.tokens import Token

_WH = {"WDT", "WP", "WP$", "WRB"}


def request_sense(tok: Token) -> bool:
    """Is this "ask"-type verb a request (True) or a question (False)?"""
    kids = list(tok.children)
    if any(ch.dep_ == "prep" and ch.lower_ == "about" for ch in kids):
        return False
    if any(ch.dep_ == "xcomp" for ch in kids):
        return True
    if any(ch.dep_ in ("prep", "dative") and ch.lower_ == "for" for ch in kids):
        return True
    for ch in kids:
        if ch.dep_ == "dobj" and any(p.dep_ == "prep" and p.lower_ == "for" for p in ch.children):
            return True
        if ch.dep_ == "ccomp":
            verdict = _complement_sense(ch)
            if verdict is not None:
                return verdict
    return False


def _complement_sense(ch: Token) -> bool | None:
    """"asked whether/who ..." is a question (False); "asked that X (should) ..." a
    request (True); anything else says nothing (None)."""
    marks = {m.lower_ for m in ch.children if m.dep_ == "mark"}
    if marks & word_set("question_marks"):
        return False
    if any(t.tag_ in _WH and t.i < ch.i for t in ch.subtree):
        return False
    if "that" in marks or any(a.dep_ == "aux" and a.lower_ in word_set("request_auxiliaries")
                              for a in ch.children):
        return True
    return None


@lru_cache(maxsize=1)
def _inst() -> dict[str, Any]:
    raw = lexicon().get("installations") or {}
    return {
        "code": str(raw.get("code", "191")),
        "nouns": frozenset(raw.get("nouns") or []),
        "qualified": frozenset(raw.get("qualified_nouns") or []),
        "qualifiers": frozenset(raw.get("qualifiers") or []),
        "verbs": frozenset(raw.get("verbs") or []),
        "particle_verbs": frozenset(raw.get("particle_verbs") or []),
        "intransitive": frozenset(raw.get("intransitive") or []),
        "nominals": frozenset(raw.get("nominals") or []),
    }


@lru_cache(maxsize=1)
def installation_lemmas() -> frozenset[str]:
    """Every lemma :func:`is_installation` can accept (a cheap pre-test for callers)."""
    inst = _inst()
    return inst["nouns"] | inst["qualified"]


def is_installation(tok: Token) -> bool:
    """A checkpoint-like noun ("checkpoint", "customs post", "roadblock")."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    inst = _inst()
    lemma = tok.lemma_.lower()
    if lemma in inst["nouns"]:
        return True
    if lemma in inst["qualified"]:
        mods = {c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
        mods |= {c.lemma_.lower() for c in tok.conjuncts}
        return bool(mods & inst["qualifiers"])
    return False


def _verb_ok(verb: Token, key: str) -> bool:
    inst = _inst()
    lemma = verb.lemma_.lower()
    if lemma in inst[key]:
        return True
    prts = {c.lower_ for c in verb.children if c.dep_ == "prt"}
    return f"{lemma} {' '.join(sorted(prts))}".strip() in inst["particle_verbs"]


def installation_trigger(tok: Token) -> tuple[Token, Token | None, Token] | None:
    """(trigger, source, installation noun) when ``tok`` is an installation being set up."""
    if not is_installation(tok):
        return None
    noun = tok
    # "customs and border checkpoint": the coordinated noun carries the relation
    if tok.dep_ == "conj" and tok.head.pos_ in ("NOUN", "PROPN"):
        tok = tok.head
    h = tok.head
    if h.pos_ in ("VERB", "AUX"):
        found = _installing_verb(tok, h)
        if found is not None:
            return found[0], found[1], noun
    # "a post set up on its own territory"
    for ch in tok.children:
        if ch.dep_ == "acl" and ch.tag_ == "VBN" and _verb_ok(ch, "verbs"):
            return ch, _agent_object(ch), noun
    # "the establishment of a checkpoint"
    if tok.dep_ == "pobj" and h.lower_ == "of" and h.head.lemma_.lower() in _inst()["nominals"]:
        nominal = h.head
        src = next((c for c in nominal.children if c.dep_ == "poss"), None)
        if src is None:
            by = next((c for c in nominal.children if c.dep_ == "prep" and c.lower_ == "by"),
                      None)
            src = pobj(by) if by is not None else None
        return nominal, src, noun
    return None


def _installing_verb(tok: Token, verb: Token) -> tuple[Token, Token | None] | None:
    """(verb, source) when the verb sets up the installation ("set up a checkpoint", "a
    checkpoint was installed by X") or it goes up ("a checkpoint appeared")."""
    if tok.dep_ in ("dobj", "nsubjpass") and _verb_ok(verb, "verbs"):
        return verb, _agent_object(verb) if tok.dep_ == "nsubjpass" else subject(verb)
    if tok.dep_ == "nsubj" and _verb_ok(verb, "intransitive"):
        return verb, None
    return None


def _agent_object(verb: Token) -> Token | None:
    """The "by X" of a passive verb."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return pobj(agent) if agent is not None else None


def installation_code() -> str:
    return _inst()["code"]


@lru_cache(maxsize=1)
def _camp() -> dict[str, Any]:
    raw = lexicon().get("protest_camp") or {}
    return {
        "actors": frozenset(raw.get("actors") or []),
        "verbs": {str(k): frozenset(v or []) for k, v in (raw.get("verbs") or {}).items()},
        "locative_verbs": frozenset(raw.get("locative_verbs") or []),
        "sites": frozenset(raw.get("sites") or []),
        "roads": frozenset(raw.get("roads") or []),
    }


@lru_cache(maxsize=1)
def camp_lemmas() -> frozenset[str]:
    """Every verb lemma :func:`camp_trigger` can accept (a cheap pre-test for callers)."""
    camp = _camp()
    return frozenset(camp["verbs"]) | camp["locative_verbs"]


def protest_actor(tok: Token) -> bool:
    """Is this phrase head a protester-like group ("activists", "hundreds of protesters")?"""
    return semantic_head(tok).lemma_.lower() in _camp()["actors"]


def camp_trigger(tok: Token, place_at: TokenTest | None = None,
                 route_at: TokenTest | None = None) -> tuple[str, Token] | None:
    """(code, source) when protesters camp / stay put: "activists pitched tents on the road".

    ``place_at(token)`` / ``route_at(token)`` say whether a token is inside the name of a
    place / of a road.
    """
    if tok.pos_ != "VERB":
        return None
    camp = _camp()
    lemma = tok.lemma_.lower()
    if lemma not in camp["verbs"] and lemma not in camp["locative_verbs"]:
        return None  # every verb is asked; most are no camp verb, so skip the parse walks
    src = subject(tok)
    if src is None or not protest_actor(src):
        return None
    locs = [x for x in (pobj(c) for c in tok.children if c.dep_ == "prep") if x is not None]
    loc_lemmas = {x.lemma_.lower() for x in locs}
    road = bool(loc_lemmas & camp["roads"]) or _named_in(locs, route_at)
    if lemma in camp["verbs"]:
        fits = _camp_verb_fits(tok, lemma, bool(loc_lemmas & camp["sites"]) or road)
    else:  # a locative verb ("remained", "stayed") needs a place
        fits = road or bool(loc_lemmas & camp["sites"]) or _named_in(locs, place_at)
    return (("144" if road else "141"), src) if fits else None


def _named_in(phrases: list[Token], test: TokenTest | None) -> bool:
    """Does ``test`` (is the token inside a place / road name?) hold inside a phrase?"""
    return test is not None and any(test(t) for x in phrases for t in x.subtree)


def _camp_verb_fits(tok: Token, lemma: str, at_site: bool) -> bool:
    """A camp verb with its required object ("pitched tents"), particle ("set up camp")
    and, for "spend", a site or road ("spent the night on the road")."""
    wanted = _camp()["verbs"][lemma]
    objs = {c.lemma_.lower() for c in tok.children if c.dep_ == "dobj"}
    if wanted and not (objs & wanted):
        return False
    if lemma == "set" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in tok.children):
        return False
    return lemma != "spend" or at_site


def vowed_force(vow: Token, action: Token, action_code: str,
                threat_roots: dict[str, str]) -> bool:
    """"vowed to fight" is a threat; "pledged to stop the fighting" is not.

    True when ``vow`` is a vowing verb and its embedded ``action`` (CAMEO code
    ``action_code``) is forceful and not under a stopping verb on the way up.
    """
    if vow.lemma_.lower() not in word_set("vowing_verbs") or action_code[:2] not in threat_roots:
        return False
    t = action
    while t.i != vow.i and t.head.i != t.i:
        if t.lemma_.lower() in word_set("stopping_verbs"):
            return False
        t = t.head
    return True
