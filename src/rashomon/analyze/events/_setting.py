"""When and where an event happened: its date and its place.

Stories are clustered across outlets by date, place, actors and type, so two
tellings of one road closure ("a blockade of the road", "a sit-in on the X
Road") must end up with the same place and a comparable date even when their
wording has nothing else in common.

Date: a time expression attached to the trigger or to the verb carrying it
("began on December 3"), else the nearest one in the sentence, else the last
one earlier in the paragraph, else the document date (precision "document").
A range ("since December 3") keeps its end in ``attrs["date_end"]``.

Place, in order:

1. a place mention under a locative preposition (in/at/on/near/along/over/...)
   inside the trigger's (or its carrier verb's) phrase; the preposition may
   govern a larger phrase ("at the Tollen Bridge customs post", "at the
   approach to the pass");
2. a place named by an argument itself ("the blockade of the corridor"), or a
   definite place noun ("the road", "the checkpoint") resolved to the place it
   refers back to;
3. a locative place mention anywhere in the sentence;
4. a named location of the parse (GPE/LOC/FAC) inside the trigger's phrase.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rashomon.analyze.events._candidate import Candidate
from rashomon.analyze.events._codes import word_set
from rashomon.analyze.events._doc import NOT_OWN, DocEvents
from rashomon.model import Actor, Mention, TimeExpr

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

EventDate = tuple["str | None", "str | None", str, "str | None"]
Scored = list[tuple[int, Mention]]
SpanTest = Callable[[int, int], bool]


def _anchors(c: Candidate) -> list[Token]:
    return [c.tok] + ([c.light] if c.light is not None else [])


def event_date(state: DocEvents, c: Candidate, sent: Span) -> EventDate:
    """(date, precision, where it came from, range end) for candidate ``c``."""
    timexes = state.timexes
    in_sent = [t for t in timexes if sent.start_char <= t.start < sent.end_char and t.value_start]
    if in_sent:
        attached = _attached_timexes(c, in_sent)
        best = attached[0] if attached else min(in_sent, key=lambda t: abs(t.start - c.tok.idx))
        return best.value_start, best.granularity, "sentence", _range_end(best)
    text = state.doc.text
    para_start = text.rfind("\n", 0, sent.start_char) + 1
    before = [t for t in timexes if para_start <= t.start < sent.start_char and t.value_start]
    if before:
        t = before[-1]
        return t.value_start, t.granularity, "paragraph", _range_end(t)
    if state.doc.published:
        return str(state.doc.published)[:10], "document", "document", None
    return None, None, "none", None


def _attached_timexes(c: Candidate, in_sent: list[TimeExpr]) -> list[TimeExpr]:
    """Time expressions inside a date phrase of the trigger or its carrier ("on Monday")."""
    date_preps = word_set("date_preps")
    attached = []
    for a in _anchors(c):
        for ch in a.children:
            if (ch.dep_ == "prep" and ch.lemma_.lower() in date_preps) or ch.dep_ in (
                    "npadvmod", "tmod", "advmod", "pobj"):
                lo = ch.left_edge.idx
                hi = ch.right_edge.idx + len(ch.right_edge.text)
                attached += [t for t in in_sent if lo <= t.start and t.end <= hi]
    return attached


def _range_end(t: TimeExpr) -> str | None:
    if t.value_end and t.value_end != t.value_start:
        return t.value_end
    return None


def place_record(m: Mention, via: str) -> dict[str, Any]:
    a = m.attrs or {}
    return {"name": m.surface, "entity_id": m.entity_id, "lat": a.get("lat"),
            "lon": a.get("lon"), "country": a.get("country"), "place_kind": a.get("place_kind"),
            "start": m.start, "end": m.end, "via": via}


def _np_head(tok: Token) -> Token:
    t = tok
    for _ in range(4):
        if t.dep_ in ("compound", "nmod", "amod", "poss", "appos") and t.head.i != t.i:
            t = t.head
        else:
            break
    return t


def locative_prep(tok: Token) -> Token | None:
    """The locative preposition governing the phrase headed by ``tok``, or None."""
    t = _np_head(tok)
    for _ in range(2):
        if t.dep_ != "pobj":
            return None
        prep = t.head
        if prep.lemma_.lower() in word_set("place_preps"):
            return prep
        # "at the approach to X", "on the road over X": climb one noun phrase
        if prep.lemma_.lower() in word_set("chain_preps") and prep.head.pos_ in ("NOUN", "PROPN"):
            t = _np_head(prep.head)
            continue
        return None
    return None


def event_place(state: DocEvents, c: Candidate, sent: Span, actors: list[Actor],
                args: list[Token | None]) -> dict[str, Any] | None:
    """Where the event of candidate ``c`` happened (see module docstring)."""
    taken = [(a.start, a.end) for a in actors if a.start is not None]

    def free(s: int, e: int) -> bool:
        return not any(a <= s and e <= b for a, b in taken)

    places = state.sentence_places(sent)
    own = own_tokens_cached(state, c)
    scored = _preposition_places(state, places, own, free)
    # definite place nouns under a locative preposition ("remained on the road"), and
    # "on it" after a sentence about the road
    scored += [(0, m) for m in _noun_places(state, sent, own)]
    scored += [(1, m) for m in (_arg_place(state, a, places) for a in args if a is not None)
               if m is not None]
    if scored:
        scored.sort(key=lambda x: (x[0], abs(x[1].start - c.tok.idx)))
        rank, m = scored[0]
        return place_record(m, ("trigger", "argument", "sentence")[min(rank, 2)])
    return _ner_place(state, c, sent, free)


def _preposition_places(state: DocEvents, places: list[Mention], own: set[int],
                        free: SpanTest) -> Scored:
    """Place mentions under a locative preposition: rank 0 inside the trigger's own
    phrase, 2 elsewhere in the sentence; not the place an actor is named by."""
    scored: Scored = []
    for m in places:
        has_span, prep = _place_prep(state, m)
        if not has_span or not free(m.start, m.end):
            continue
        if prep is not None:
            scored.append((0 if prep.i in own else 2, m))
    return scored


def _place_prep(state: DocEvents, m: Mention) -> tuple[bool, Token | None]:
    """(has a span, its locative preposition) of a place mention, once per place."""
    key = (m.start, m.end)
    got = state.place_preps.get(key)
    if got is None:
        span = state.sdoc.char_span(m.start, m.end, alignment_mode="expand")
        got = state.place_preps[key] = (False, None) if span is None else (
            True, locative_prep(span.root))
    return got


def _noun_places(state: DocEvents, sent: Span, own: set[int]) -> list[Mention]:
    """The places that the trigger's own definite place nouns and "it"s refer back to.

    Only the trigger's own tokens can qualify: visit those (in sentence order), not all;
    the answer per token depends on the parse and the mentions only (kept per document).
    """
    out = []
    for i in sorted(own):
        if sent.start <= i < sent.end:
            m = _noun_place(state, i)
            if m is not None:
                out.append(m)
    return out


def _noun_place(state: DocEvents, i: int) -> Mention | None:
    if i in state.noun_places:
        return state.noun_places[i]
    m = None
    if state.pos_tags[i] in ("NOUN", "PRON"):
        t = state.sdoc[i]
        if locative_prep(t) is not None:
            m = (state.coref.place_for_noun(t) if t.pos_ == "NOUN"
                 else state.coref.place_for_pronoun(t))
    state.noun_places[i] = m
    return m


def _ner_place(state: DocEvents, c: Candidate, sent: Span, free: SpanTest
               ) -> dict[str, Any] | None:
    """A named location of the parse (GPE/LOC/FAC) under a place preposition inside the
    trigger's phrase, when no place mention answered."""
    # the walk can only succeed on a named-place object of a place preposition; a
    # subtree lies within its edges, so with none of those there the walk is skipped
    ner = state.ner_place_objects
    lo = bisect_left(ner, c.tok.left_edge.i)
    if lo == len(ner) or ner[lo] > c.tok.right_edge.i:
        return None
    preps = word_set("place_preps")
    for t in c.tok.subtree:
        if (t.dep_ == "pobj" and t.head.lemma_.lower() in preps
                and t.ent_type_ in ("GPE", "LOC", "FAC") and free(t.idx, t.idx + len(t.text))):
            ent = next((e for e in sent.ents if e.start <= t.i < e.end), None)
            if ent is not None:
                return {"name": ent.text, "entity_id": None, "lat": None, "lon": None,
                        "start": ent.start_char, "end": ent.end_char, "via": "ner"}
    return None


def own_tokens_cached(state: DocEvents, c: Candidate) -> set[int]:
    """:func:`own_tokens`, once per trigger and carrier in a document (read-only result)."""
    key = (c.tok.i, c.light.i if c.light is not None else -1)
    own = state.own_tokens.get(key)
    if own is None:
        own = state.own_tokens[key] = own_tokens_from(state.own_children, c)
    return own


def own_tokens_from(children: list[list[int]], c: Candidate) -> set[int]:
    """:func:`own_tokens` on the Doc's head array: the same set, without Token objects."""
    own: set[int] = set()
    for a in _anchors(c):
        stack = [a.i]
        while stack:
            t = stack.pop()
            if t in own:
                continue
            own.add(t)
            stack.extend(children[t])
    return own


def own_tokens(c: Candidate) -> set[int]:
    """The trigger's (and its carrier's) phrase, without relative/complement clauses."""
    own: set[int] = set()
    for a in _anchors(c):
        stack = [a]
        while stack:
            t = stack.pop()
            if t.i in own:
                continue
            own.add(t.i)
            stack.extend(ch for ch in t.children if ch.dep_ not in NOT_OWN)
    return own


def _arg_place(state: DocEvents, head: Token, places: list[Mention]) -> Mention | None:
    """A place named by an argument: its own place mention or a definite place noun."""
    for m in places:
        if m.start <= head.idx < m.end:
            return m
    if head.pos_ == "NOUN":
        return state.coref.place_for_noun(head)
    return None


def has_own_place(state: DocEvents, c: Candidate, sent: Span) -> bool:
    """Does the trigger's own phrase (or its carrier's) name a place?"""
    place = event_place(state, c, sent, [], [])
    return bool(place and place.get("via") == "trigger")
