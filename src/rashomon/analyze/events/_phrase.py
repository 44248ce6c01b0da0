"""Small readings of a noun or verb phrase shared by the argument, coreference and
event-building modules: a preposition's object, a quantity phrase's real head, an
embedded action as text.

They sit below every other events module so that arguments and coreference (which
need each other's results, not each other's code) import them from one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.analyze.events._codes import word_set

if TYPE_CHECKING:
    from spacy.tokens import Token

# what an embedded action's text leaves out: its own subject, clauses, coordination
_ACTION_DROP = {"advcl", "punct", "cc", "conj", "mark", "nsubj", "aux", "neg", "relcl",
                "parataxis"}


def pobj(prep: Token) -> Token | None:
    """The object of a preposition; with a hyphen split ("eco - activists") the last noun."""
    objs = [p for p in prep.children if p.dep_ == "pobj" and p.pos_ != "PUNCT"]
    if not objs:
        return None
    nouns = [p for p in objs if p.pos_ in ("NOUN", "PROPN", "PRON")]
    return (nouns or objs)[-1]


def semantic_head(tok: Token) -> Token:
    """"hundreds of activists" -> activists; "a group of soldiers" -> soldiers."""
    quantity = word_set("quantity_heads")
    t = tok
    for _ in range(3):
        if t.lemma_.lower() not in quantity and t.pos_ != "NUM":
            return t
        nxt = next((pobj(c) for c in t.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if nxt is None:
            return t
        t = nxt
    return t


def clause_head(tok: Token, governor: Token) -> Token:
    """The verb heading an embedded noun action ("resume talks" for "talks")."""
    t = tok
    while t.pos_ != "VERB" and t.head.i != t.i and t.head.i != governor.i:
        t = t.head
    return t if t.pos_ == "VERB" else tok


def action_text(tok: Token) -> str:
    """The embedded action as a short phrase: the trigger's subtree without its own
    subject, subordinate clauses or coordinated verbs."""
    keep = {tok.i}
    for ch in tok.children:
        if ch.dep_ not in _ACTION_DROP:
            keep.update(t.i for t in ch.subtree)
    lo, hi = tok.i, tok.i
    while lo - 1 in keep:
        lo -= 1
    while hi + 1 in keep:
        hi += 1
    return tok.doc[lo:hi + 1].text

