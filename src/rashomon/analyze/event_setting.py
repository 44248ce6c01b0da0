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

from typing import Any

from rashomon.model import Actor, Mention, TimeExpr

PLACE_PREPS = {"in", "at", "near", "through", "outside", "inside", "around", "into", "along",
               "across", "from", "on", "over", "below", "above", "beneath", "off", "beside",
               "past", "via", "behind", "toward", "towards", "within", "onto"}
DATE_PREPS = {"on", "in", "at", "during", "since", "by", "until", "from"}
_CHAIN_PREPS = {"to", "of", "over", "on", "at", "near"}


def _anchors(c: Any) -> list[Any]:
    return [c.tok] + ([c.light] if c.light is not None else [])


def event_date(builder: Any, c: Any, sent: Any) -> tuple[str | None, str | None, str,
                                                        str | None]:
    """(date, precision, where it came from, range end) for candidate ``c``."""
    timexes: list[TimeExpr] = builder.timexes
    in_sent = [t for t in timexes if sent.start_char <= t.start < sent.end_char and t.value_start]
    if in_sent:
        attached = []
        for a in _anchors(c):
            for ch in a.children:
                if (ch.dep_ == "prep" and ch.lemma_.lower() in DATE_PREPS) or ch.dep_ in (
                        "npadvmod", "tmod", "advmod", "pobj"):
                    lo = ch.left_edge.idx
                    hi = ch.right_edge.idx + len(ch.right_edge.text)
                    attached += [t for t in in_sent if lo <= t.start and t.end <= hi]
        best = attached[0] if attached else min(in_sent, key=lambda t: abs(t.start - c.tok.idx))
        return best.value_start, best.granularity, "sentence", _range_end(best)
    text = builder.doc.text
    para_start = text.rfind("\n", 0, sent.start_char) + 1
    before = [t for t in timexes if para_start <= t.start < sent.start_char and t.value_start]
    if before:
        t = before[-1]
        return t.value_start, t.granularity, "paragraph", _range_end(t)
    if builder.doc.published:
        return str(builder.doc.published)[:10], "document", "document", None
    return None, None, "none", None


def _range_end(t: TimeExpr) -> str | None:
    if t.value_end and t.value_end != t.value_start:
        return t.value_end
    return None


def _is_place(m: Mention) -> bool:
    return m.kind == "place" or (m.attrs or {}).get("kind") == "place"


def place_record(m: Mention, via: str) -> dict[str, Any]:
    a = m.attrs or {}
    return {"name": m.surface, "entity_id": m.entity_id, "lat": a.get("lat"),
            "lon": a.get("lon"), "country": a.get("country"), "place_kind": a.get("place_kind"),
            "start": m.start, "end": m.end, "via": via}


def _np_head(tok: Any) -> Any:
    t = tok
    for _ in range(4):
        if t.dep_ in ("compound", "nmod", "amod", "poss", "appos") and t.head.i != t.i:
            t = t.head
        else:
            break
    return t


def locative_prep(tok: Any) -> Any:
    """The locative preposition governing the phrase headed by ``tok``, or None."""
    t = _np_head(tok)
    for _ in range(2):
        if t.dep_ != "pobj":
            return None
        prep = t.head
        if prep.lemma_.lower() in PLACE_PREPS:
            return prep
        # "at the approach to X", "on the road over X": climb one noun phrase
        if prep.lemma_.lower() in _CHAIN_PREPS and prep.head.pos_ in ("NOUN", "PROPN"):
            t = _np_head(prep.head)
            continue
        return None
    return None


def event_place(builder: Any, c: Any, sent: Any, actors: list[Actor],
                args: list[Any]) -> dict[str, Any] | None:
    """Where the event of candidate ``c`` happened (see module docstring)."""
    taken = [(a.start, a.end) for a in actors if a.start is not None]

    def free(s: int, e: int) -> bool:
        return not any(a <= s and e <= b for a, b in taken)

    sdoc = builder.sdoc
    places = _sentence_places(builder, sent)
    own = own_tokens(c)
    scored = []
    for m in places:
        span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not free(m.start, m.end):
            continue
        prep = locative_prep(span.root)
        if prep is not None:
            scored.append((0 if prep.i in own else 2, m))
    # definite place nouns under a locative preposition ("remained on the road"), and
    # "on it" after a sentence about the road
    # only the trigger's own tokens can qualify: visit those (in sentence order), not all
    for t in (sdoc[i] for i in sorted(own) if sent.start <= i < sent.end):
        if t.pos_ in ("NOUN", "PRON") and locative_prep(t) is not None:
            m = (builder.coref.place_for_noun(t) if t.pos_ == "NOUN"
                 else builder.coref.place_for_pronoun(t))
            if m is not None:
                scored.append((0, m))
    for a in args:
        if a is None:
            continue
        m = _arg_place(builder, a, places)
        if m is not None:
            scored.append((1, m))
    if scored:
        scored.sort(key=lambda x: (x[0], abs(x[1].start - c.tok.idx)))
        rank, m = scored[0]
        return place_record(m, ("trigger", "argument", "sentence")[min(rank, 2)])
    for t in c.tok.subtree:
        if (t.dep_ == "pobj" and t.head.lemma_.lower() in PLACE_PREPS
                and t.ent_type_ in ("GPE", "LOC", "FAC") and free(t.idx, t.idx + len(t.text))):
            ent = next((e for e in sent.ents if e.start <= t.i < e.end), None)
            if ent is not None:
                return {"name": ent.text, "entity_id": None, "lat": None, "lon": None,
                        "start": ent.start_char, "end": ent.end_char, "via": "ner"}
    return None


def _sentence_places(builder: Any, sent: Any) -> list[Mention]:
    """Place mentions of a sentence, computed once per sentence (events share them)."""
    cache = builder.__dict__.setdefault("_sent_places", {})
    key = sent.start_char
    if key not in cache:
        lo, hi = sent.start_char, sent.end_char
        cache[key] = [m for m in builder.mentions if lo <= m.start < hi and _is_place(m)]
    return cache[key]


_NOT_OWN = {"relcl", "appos", "acl", "ccomp", "parataxis"}


def own_tokens(c: Any) -> set[int]:
    """The trigger's (and its carrier's) phrase, without relative/complement clauses."""
    own: set[int] = set()
    for a in _anchors(c):
        stack = [a]
        while stack:
            t = stack.pop()
            if t.i in own:
                continue
            own.add(t.i)
            stack.extend(ch for ch in t.children if ch.dep_ not in _NOT_OWN)
    return own


def _arg_place(builder: Any, head: Any, places: list[Mention]) -> Mention | None:
    """A place named by an argument: its own place mention or a definite place noun."""
    for m in places:
        if m.start <= head.idx < m.end:
            return m
    if head.pos_ == "NOUN":
        return builder.coref.place_for_noun(head)
    return None


def has_own_place(builder: Any, c: Any, sent: Any) -> bool:
    """Does the trigger's own phrase (or its carrier's) name a place?"""
    place = event_place(builder, c, sent, [], [])
    return bool(place and place.get("via") == "trigger")
