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
from typing import Any

from rashomon.analyze.events._args import pobj, semantic_head, subject
from rashomon.analyze.events._codes import lexicon

_QUESTION_MARKS = {"whether", "if"}
_WH = {"WDT", "WP", "WP$", "WRB"}


def request_sense(tok: Any) -> bool:
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
            marks = {m.lower_ for m in ch.children if m.dep_ == "mark"}
            if marks & _QUESTION_MARKS:
                return False
            if any(t.tag_ in _WH and t.i < ch.i for t in ch.subtree):
                return False
            if "that" in marks or any(a.dep_ == "aux" and a.lower_ in ("to", "should", "must")
                                      for a in ch.children):
                return True
    return False


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


def is_installation(tok: Any) -> bool:
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


def _verb_ok(verb: Any, key: str) -> bool:
    inst = _inst()
    lemma = verb.lemma_.lower()
    if lemma in inst[key]:
        return True
    prts = {c.lower_ for c in verb.children if c.dep_ == "prt"}
    return f"{lemma} {' '.join(sorted(prts))}".strip() in inst["particle_verbs"]


def installation_trigger(tok: Any) -> tuple[Any, Any, Any] | None:
    """(trigger, source, installation noun) when ``tok`` is an installation being set up."""
    if not is_installation(tok):
        return None
    noun = tok
    # "customs and border checkpoint": the coordinated noun carries the relation
    if tok.dep_ == "conj" and tok.head.pos_ in ("NOUN", "PROPN"):
        tok = tok.head
    h = tok.head
    if h.pos_ in ("VERB", "AUX"):
        passive = tok.dep_ == "nsubjpass"
        if tok.dep_ in ("dobj", "nsubjpass") and _verb_ok(h, "verbs"):
            src = None
            if passive:
                agent = next((c for c in h.children if c.dep_ == "agent"), None)
                src = pobj(agent) if agent is not None else None
            else:
                src = subject(h)
            return h, src, noun
        if tok.dep_ == "nsubj" and _verb_ok(h, "intransitive"):
            return h, None, noun
    # "a post set up on its own territory"
    for ch in tok.children:
        if ch.dep_ == "acl" and ch.tag_ == "VBN" and _verb_ok(ch, "verbs"):
            agent = next((c for c in ch.children if c.dep_ == "agent"), None)
            return ch, (pobj(agent) if agent is not None else None), noun
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


def protest_actor(tok: Any) -> bool:
    """Is this phrase head a protester-like group ("activists", "hundreds of protesters")?"""
    return semantic_head(tok).lemma_.lower() in _camp()["actors"]


def camp_trigger(tok: Any, place_at: Any = None, route_at: Any = None
                 ) -> tuple[str, Any] | None:
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
    objs = {c.lemma_.lower() for c in tok.children if c.dep_ == "dobj"}
    locs = [pobj(c) for c in tok.children if c.dep_ == "prep"]
    locs = [x for x in locs if x is not None]
    loc_lemmas = {x.lemma_.lower() for x in locs}
    road = bool(loc_lemmas & camp["roads"]) or any(
        route_at is not None and any(route_at(t) for t in x.subtree) for x in locs)
    if lemma in camp["verbs"]:
        wanted = camp["verbs"][lemma]
        if wanted and not (objs & wanted):
            return None
        if lemma == "set" and not any(c.dep_ == "prt" and c.lower_ == "up"
                                      for c in tok.children):
            return None
        if lemma == "spend" and not (loc_lemmas & camp["sites"] or road):
            return None
        return ("144" if road else "141"), src
    if lemma in camp["locative_verbs"]:
        placed = road or bool(loc_lemmas & camp["sites"]) or any(
            place_at is not None and any(place_at(t) for t in x.subtree) for x in locs)
        if placed:
            return ("144" if road else "141"), src
    return None


_STOPPING = {"stop", "end", "halt", "cease", "refrain", "avoid", "prevent"}


def vowed_force(vow: Any, action: Any, action_code: str, threat_roots: dict[str, str]) -> bool:
    """"vowed to fight" is a threat; "pledged to stop the fighting" is not.

    True when ``vow`` is a vowing verb and its embedded ``action`` (CAMEO code
    ``action_code``) is forceful and not under a stopping verb on the way up.
    """
    if vow.lemma_.lower() not in ("vow", "swear") or action_code[:2] not in threat_roots:
        return False
    t = action
    while t.i != vow.i and t.head.i != t.i:
        if t.lemma_.lower() in _STOPPING:
            return False
        t = t.head
    return True
