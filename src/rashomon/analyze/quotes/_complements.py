"""Where a cue verb's complement starts and ends: the addressee, stance nouns, adjuncts.

Helpers of :class:`rashomon.analyze.quotes._speakers.CueLexicon` (kept apart so that
module stays small).  They read the dependency parse only; the word lists are
general English (prepositions that set a speech act's time, place or medium;
nouns a light verb turns into a cue).
"""

from __future__ import annotations

from typing import Any

from rashomon import data as rdata

_REL_PRONOUNS = frozenset(rdata.section("quotes.yaml", "relative_pronouns"))


def stance_object(obj: Any) -> tuple[int, int] | None:
    """"expressed [confidence] that …", "voiced [support] for …": a light verb's noun.

    When a cue's object is a stance or speech-act noun followed by its own
    that-clause or preposition, the clause or the preposition's object is
    what is attributed; the noun belongs with the verb to the cue.
    """
    if obj.lemma_.lower() not in _STANCE_NOUNS:
        return None
    for c in obj.rights:
        if c.dep_ in ("acl", "ccomp") and (c.left_edge.lower_ == "that" or any(
                g.dep_ == "mark" and g.lower_ == "that" for g in c.children)):
            return c.left_edge.i, c.right_edge.i
        if c.dep_ == "prep" and c.lower_ in _STANCE_PREPS and c.i == obj.i + 1:
            pobj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                return c.i + 1, c.right_edge.i
    return None


# Nouns a light verb turns into a cue ("expressed confidence", "offered thoughts").
_STANCE_NOUNS = frozenset(rdata.section("quotes.yaml", "stance_nouns"))
_STANCE_PREPS = frozenset(rdata.section("quotes.yaml", "stance_preps"))


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
        pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
        if c.lower_ == "in" and pobj is not None and _in_content(pobj):
            return True
        if c.lower_ in ACT_PREPS:
            return False
        return pobj is None or pobj.ent_type_ not in ("DATE", "TIME")
    return c.dep_ in ("oprd", "xcomp", "dative") \
        or (c.dep_ == "advcl" and any(g.lower_ == "to" and g.dep_ == "aux" for g in c.children))


def _in_content(pobj: Any) -> bool:
    """"backed [her candidacy in high numbers]" vs "said so [in an interview]".

    An "in" phrase after a cue's object is the speech act's setting when it
    names a time, a place or a medium; otherwise (a forum, a manner, a
    topic) PolNeAR train keeps it in the content.
    """
    return pobj.ent_type_ not in ("DATE", "TIME", "GPE", "LOC") \
        and pobj.lemma_.lower() not in _MEDIUM_NOUNS and not pobj.like_num


_MEDIUM_NOUNS = frozenset(rdata.section("quotes.yaml", "medium_nouns"))


# Prepositions that set the time, place or medium of a speech act, not its content.
ACT_PREPS = frozenset(rdata.section("quotes.yaml", "act_preps"))


def coordinated_end(t: Any, a: int, b: int, cue_verbs: dict[str, str]) -> int:
    """"said [X, and that Y]" / "believes [X, but Y]": a clause coordinated with the content.

    Parsers often attach the second of two coordinated reported clauses to
    the cue verb instead of the first clause.  A ``conj`` of the cue after
    the content, joined by "and that"/"but that", continues the content (on
    PolNeAR train a coordinated clause without the "that" is as often the
    writer's own); a second cue verb ("…, and added …") starts a new report.
    """
    doc = t.doc
    for c in t.rights:
        if c.dep_ != "conj" or c.i <= b or c.left_edge.i > b + 3:
            continue
        if cue_verbs.get(c.lemma_.lower()) is not None:
            break
        cc = [k for k in doc[b + 1 : c.left_edge.i + 1] if k.dep_ == "cc"]
        if not cc or cc[0].lower_ not in ("and", "but"):
            break
        if any(cue_verbs.get(k.lemma_.lower()) and k.pos_ == "VERB"
               for k in doc[c.left_edge.i : c.right_edge.i + 1]):
            break  # a report inside the second clause is its own attribution
        if c.left_edge.lower_ == "that" and c.left_edge.dep_ == "mark" \
                and doc[c.left_edge.i - 1].dep_ == "cc":
            end = c.right_edge.i
            while end > c.i and doc[end].is_punct:
                end -= 1
            return end
        break
    return b


def skip_connective(doc: Any, a: int, b: int) -> tuple[int, int]:
    """Drop a leading "But", "Still," or "Even so," that belongs to the narrative."""
    if a < b and (doc[a].dep_ == "cc" or (doc[a].dep_ == "mark" and doc[a].lower_ == "for")):
        a += 1  # "But …" / "called [for] X to …"
    k = a
    while k < min(b, a + 3) and doc[k].dep_ in ("advmod", "cc", "prep", "pobj") \
            and doc[k].text != ",":
        k += 1
    if k < b and doc[k].text == "," and k > a and all(
            doc[j].dep_ in ("advmod", "cc", "prep", "pobj", "amod") for j in range(a, k)):
        a = k + 1
    return a, b


_ANSWER_WORDS = frozenset(rdata.section("quotes.yaml", "answer_words"))


def bare_complement(t: Any) -> tuple[int, int] | None:
    """What a cue verb with no clause of its own still attributes.

    * "As the Post reported, [X needs …]": an *as*-clause before the main
      clause puts that clause in the source's mouth (PolNeAR train: 50 of 64
      such clauses with a cue verb and no complement of their own are cues);
    * "half said [so]", "72 percent said [yes]", "did not say [when]": the
      pro-form answer stands in for the content (22 of 31 on train).
    """
    kids = list(t.children)
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in kids):
        return _answer_word(kids, t)
    if t.dep_ == "advcl" and t.i < t.head.i \
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in kids):
        doc, k = t.doc, t.right_edge.i + 1
        while k < t.head.i and (doc[k].is_punct or doc[k].is_space):
            k += 1
        end = t.head.right_edge.i
        while end > k and (doc[end].is_punct or doc[end].is_space):
            end -= 1
        return (k, end) if end > k else None
    return _answer_word(kids, t)


def _answer_word(kids: list[Any], t: Any) -> tuple[int, int] | None:
    for c in kids:
        if c.i > t.i and c.dep_ in ("advmod", "dobj", "intj", "ccomp", "npadvmod") and (
                c.lower_ in _ANSWER_WORDS and c.n_lefts + c.n_rights == 0
                or c.lemma_.lower() == "same" and c.dep_ == "dobj"):
            return c.left_edge.i, c.right_edge.i
    return None
