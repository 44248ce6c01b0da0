"""Where a cue verb's complement starts and ends: the addressee, stance nouns, adjuncts.

Helpers of :class:`rashomon.analyze.speakers.CueLexicon` (kept apart so that
module stays small).  They read the dependency parse only; the word lists are
general English (prepositions that set a speech act's time, place or medium;
nouns a light verb turns into a cue).
"""

from __future__ import annotations

from typing import Any

_REL_PRONOUNS = {"who", "which", "that", "whom"}


def stance_object(obj: Any) -> tuple[int, int] | None:
    """"expressed [confidence] that …", "voiced [support] for …": a light verb's noun.

    When a cue's object is a stance or speech-act noun followed by its own
    that-clause or preposition, the clause or the preposition's object is
    what is attributed; the noun belongs with the verb to the cue.
    """
    if obj.lemma_.lower() not in _STANCE_NOUNS:
        return None
    for c in obj.rights:
        if c.dep_ in ("acl", "ccomp") and any(g.dep_ == "mark" and g.lower_ == "that"
                                             for g in c.children):
            return c.left_edge.i, c.right_edge.i
        if c.dep_ == "prep" and c.lower_ in _STANCE_PREPS and c.i == obj.i + 1:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return c.i + 1, c.right_edge.i
    return None


# Nouns a light verb turns into a cue ("expressed confidence", "offered thoughts").
_STANCE_NOUNS = frozenset({"confidence", "sympathy", "thought", "frustration", "anger",
                           "outrage", "skepticism", "scepticism", "dismay", "regret",
                           "optimism", "pessimism", "reservation", "misgiving", "interest",
                           "allegiance", "loyalty", "objection", "question", "story",
                           "account", "version", "idea", "message", "advice", "assurance",
                           "gratitude", "appreciation", "disappointment", "displeasure",
                           "approval", "disapproval", "solidarity", "condolence",
                           "satisfaction", "alarm", "worry", "willingness", "desire"})
_STANCE_PREPS = frozenset({"for", "of", "about", "on", "over", "against", "with", "to", "in"})


def with_addressee(t: Any, inf: Any, parts: frozenset[str] = frozenset()) -> int:
    """Start of an infinitive content, with the addressee told to act.

    "urged [voters to see …]", "called on [the country to act]": the object
    (or the object of the cue's particle) before the infinitive is part of
    what is attributed; "vowed [to fight]" has none.
    """
    start = inf.left_edge.i
    for c in t.children:
        if not t.i < c.i < inf.i:
            continue
        if c.dep_ in ("dobj", "dative") and c.lower_ not in _REL_PRONOUNS:
            return min(start, c.left_edge.i)
        if c.dep_ == "prep" and c.lower_ in parts and c.i + 1 < inf.i:
            return min(start, c.i + 1)
    return start


def vp_tail(c: Any) -> bool:
    """A modifier after a cue's object that still belongs to what is attributed
    ("blamed X [on Y]", "accused X [of Y]", "urged Congress [to act]").

    Adjuncts of the speech act itself (when, where, through which medium:
    "endorsed X in November", "praised X on Twitter", "attacked X from the
    floor") are not part of what is attributed.
    """
    if c.dep_ == "prep":
        if c.lower_ in ACT_PREPS:
            return False
        pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
        return pobj is None or pobj.ent_type_ not in ("DATE", "TIME")
    return c.dep_ in ("oprd", "xcomp", "dative") \
        or (c.dep_ == "advcl" and any(g.lower_ == "to" and g.dep_ == "aux" for g in c.children))


# Prepositions that set the time, place or medium of a speech act, not its content.
ACT_PREPS = frozenset({"in", "at", "during", "from", "after", "before", "since", "until",
                        "via", "through", "amid", "while", "despite", "by"})
