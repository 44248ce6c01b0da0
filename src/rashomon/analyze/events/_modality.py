"""Modality of a coded event: did it happen, might it, was it demanded, who says so.

A partisan text mixes what happened with what someone fears, demands or claims.
An event record therefore keeps these apart instead of dropping them:

* ``negated``: "did not attack", "no attack was reported", "failed to reach";
* ``hypothetical``: a modal ("could launch", "might strike");
* ``conditional``: the event sits in, or governs, an if/unless clause;
* ``future``: "will meet" (PLOVER codes future cooperation as AGREE);
* ``demanded``: the event is a request/appeal with an embedded demanded action;
* ``reported_by``: the speaker when the sentence is inside a quote or under a
  reporting verb / "according to X"; otherwise ``"outlet"`` (asserted by the
  publication itself).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rashomon.analyze.events._actors import np_tokens
from rashomon.analyze.events._codes import lexicon, word_set
from rashomon.analyze.spans import doc_text, sent_of
from rashomon.model import Quote

if TYPE_CHECKING:
    from spacy.tokens import Token

_WORD_SETS: dict[str, tuple[Any, frozenset[str]]] = {}


def _lexicon_set(key: str) -> frozenset[str]:
    """A word list of the event lexicon as a set, built once per loaded lexicon.

    These are looked up for every candidate event; rebuilding the set on each
    call cost more than the lookups.
    """
    lex = lexicon()
    hit = _WORD_SETS.get(key)
    if hit is None or hit[0] is not lex:
        hit = _WORD_SETS[key] = (lex, frozenset(lex.get(key, [])))
    return hit[1]


def _children(tok: Token, dep: str | tuple[str, ...]) -> list[Token]:
    deps = (dep,) if isinstance(dep, str) else dep
    return [c for c in tok.children if c.dep_ in deps]


def _heads_up(tok: Token, limit: int = 6) -> list[Token]:
    out = []
    t = tok
    for _ in range(limit):
        if t.head.i == t.i:
            break
        t = t.head
        out.append(t)
    return out


def is_negated(tok: Token) -> bool:
    """Negation on the token itself, a "no" determiner, or a not-done governor ("failed to")."""
    if _children(tok, "neg"):
        return True
    if any(c.lower_ in ("no", "never") for c in tok.children if c.dep_ in ("det", "advmod", "neg")):
        return True
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _lexicon_set("negating_governors"):
        return True
    # "no attack was carried out": the noun's light verb is negated through its subject
    return False


def modality(tok: Token, governors: list[Token]) -> dict[str, Any]:
    """Modality flags for the trigger ``tok`` read through its governing tokens.

    ``governors`` are the light verb / embedding verb that carry the event's
    tense and polarity ("did not launch an attack", "refused to ...").
    """
    modals = _lexicon_set("hypothetical_modals")
    carriers = [tok, *governors]
    negated = any(is_negated(t) for t in carriers)
    aux = [c for t in carriers for c in t.children if c.dep_ in ("aux", "auxpass")]
    hypothetical = any(a.lower_ in modals for a in aux)
    future_aux = word_set("future_auxiliaries")
    future = any(a.lower_ in future_aux for a in aux) or _going_to(carriers)
    conditional = any(_conditional(t) for t in carriers)
    if conditional and not hypothetical:
        hypothetical = any(a.lower_ in modals | future_aux for a in aux)
    return {"negated": negated, "hypothetical": hypothetical, "conditional": conditional,
            "future": future, "demanded": False}


def _conditional(tok: Token) -> bool:
    """Does the token carry, or govern, an if/unless clause?"""
    marks = word_set("condition_marks")
    if any(m.lower_ in marks for m in _children(tok, "mark")):
        return True
    return any(any(m.lower_ in marks for m in _children(adv, "mark"))
               for adv in _children(tok, "advcl"))


def _going_to(carriers: list[Token]) -> bool:
    for t in carriers:
        h = t.head
        if t.dep_ == "xcomp" and h.lemma_ == "go" and h.tag_ == "VBG":
            return True
    return False


def reported_by(tok: Token, quotes: list[Quote]) -> dict[str, Any]:
    """Who asserts the event: a quote's speaker, a reporting verb's subject, or the outlet."""
    char = tok.idx
    for q in quotes:
        if q.start <= char < q.end:
            sp = getattr(q, "speaker", None)
            return {"reported_by": getattr(sp, "name", None) or "unattributed quote",
                    "reported_entity": getattr(sp, "entity_id", None), "quote_id": q.id}
    say = _lexicon_set("reporting_verbs")
    prev = tok
    for h in _heads_up(tok):
        if h.lemma_.lower() in say and prev.dep_ in ("ccomp", "parataxis", "xcomp", "advcl"):
            subj = _children(h, ("nsubj", "nsubjpass"))
            if subj:
                s = subj[0]
                return {"reported_by": _phrase(s), "reported_start": s.idx}
        prev = h
    sent = sent_of(tok)
    for t in sent:
        if t.lower_ == "according" and t.i + 1 < len(tok.doc) and tok.doc[t.i + 1].lower_ == "to":
            objs = [c for c in tok.doc[t.i + 1].children if c.dep_ == "pobj"]
            if objs:
                return {"reported_by": _phrase(objs[0]), "reported_start": objs[0].idx}
    return {"reported_by": "outlet"}


def _phrase(tok: Token) -> str:
    toks = np_tokens(tok)
    return doc_text(tok.doc)[toks[0].idx: toks[-1].idx + len(toks[-1].text)]


def expresses_intent(tok: Token, mod: dict[str, Any]) -> bool:
    """Is the action ``tok`` announced for the future rather than reported as done?

    True for a future auxiliary ("will release"), an intent governor ("plans to
    impose", "is prepared to lift") and a "would" reported in the past ("said they
    would meet") that no if/unless clause makes hypothetical.
    """
    if mod.get("negated"):
        return False
    if mod.get("future") and not mod.get("conditional"):
        return True
    t = tok
    for _ in range(2):  # "is prepared to lift", "is ready to begin to ..."
        if t.dep_ != "xcomp":
            break
        h = t.head
        governors = word_set("intent_governors")
        if h.lemma_.lower() in governors or h.lower_ in governors:
            return not is_negated(h)
        if h.dep_ == "acomp" and h.lemma_.lower() in governors:
            return not is_negated(h.head)
        t = h
    if mod.get("conditional") or tok.dep_ not in ("ccomp",):
        return False
    aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
    reporting = _lexicon_set("reporting_verbs")
    return "would" in aux and tok.head.lemma_.lower() in reporting
