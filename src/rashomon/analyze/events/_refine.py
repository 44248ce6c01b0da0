"""Refinements of event candidates: codes that depend on a carrier verb or a
preposition, infinitives that did not happen, scheduled actions, and the country of an
uncoded actor from its sentence.  Split from :mod:`rashomon.analyze.events._layer`."""

from __future__ import annotations

from typing import Any

from rashomon.analyze.events._codes import lexicon
from rashomon.model import Actor


def context_countries(hits: list[tuple[int, str]], source: Actor | None,
                       target: Actor | None) -> list[str]:
    """An uncoded actor with a role ("the president", "rebels") takes the one country the
    sentence names outside both actors, unless that is the other actor's country: news
    names the country of an unnamed office holder nearby ("the president ... in Chad")."""
    todo = [(role, a) for role, a in (("source", source), ("target", target))
            if a is not None and a.country is None and a.entity_id is None]
    if not todo:
        return []
    spans = [(a.start or 0, a.end or 0) for a in (source, target) if a is not None]
    codes = {code for start, code in hits
             if not any(a <= start < b for a, b in spans)}
    others = {a.country for a in (source, target) if a is not None and a.country}
    codes -= others
    if len(codes) != 1:
        return []
    code = next(iter(codes))
    for _, a in todo:
        a.country = code
    return [role for role, _ in todo]


def be_to(tok: Any) -> bool:
    """"The president is to visit Brazil": a scheduled action, announced, not done."""
    return (tok.dep_ == "xcomp" and tok.head.lemma_ == "be"
            and any(ch.dep_ == "aux" and ch.tag_ == "TO" for ch in tok.children)
            and not any(ch.dep_ == "neg" for ch in tok.head.children))


def noun_code(c: Any) -> str:
    """A noun's code refined by its carrier verb or its target preposition ("lodged a
    protest with X" is a complaint; "strikes on X" are military), see the lexicon's
    ``noun_light_codes`` / ``noun_prep_codes``."""
    lex = lexicon()
    key = c.extra.get("surface") or c.tok.lemma_.lower()
    if c.light is not None and not c.extra.get("light_is_frame"):
        by_light = (lex.get("noun_light_codes") or {}).get(key)
        if by_light and c.light.lemma_.lower() in by_light:
            return str(by_light[c.light.lemma_.lower()])
    by_prep = (lex.get("noun_prep_codes") or {}).get(key)
    if by_prep:
        for ch in c.tok.children:
            if ch.dep_ == "prep" and ch.lower_ in by_prep:
                return str(by_prep[ch.lower_])
    return c.code


def unrealised_infinitive(c: Any, by_tok: dict[int, Any]) -> bool:
    """A to-infinitive that is only the content or purpose of something else did not
    happen as told: "a request to interrogate detainees", "a plan to attack", "opened
    fire to disperse the crowd" (the firing is the event, the dispersal its aim)."""
    tok = c.tok
    if not any(ch.dep_ == "aux" and ch.tag_ == "TO" for ch in tok.children):
        return False
    if tok.dep_ == "acl":
        return True
    if tok.dep_ != "advcl":
        return False
    h = tok.head
    for _ in range(4):
        if h.i in by_tok:
            return True
        if h.head.i == h.i:
            break
        h = h.head
    return False
