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
from typing import Any

from rashomon.model import Actor, Mention, TimeExpr
from rashomon.text import is_place

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
    own = _own_cached(builder, c)
    scored = []
    preps = builder.__dict__.setdefault("_place_preps", {})
    for m in places:
        key = (m.start, m.end)
        if key not in preps:  # (has a span, its locative preposition), once per place
            span = sdoc.char_span(m.start, m.end, alignment_mode="expand")
            preps[key] = (False, None) if span is None else (True, locative_prep(span.root))
        has_span, prep = preps[key]
        if not has_span or not free(m.start, m.end):
            continue
        if prep is not None:
            scored.append((0 if prep.i in own else 2, m))
    # definite place nouns under a locative preposition ("remained on the road"), and
    # "on it" after a sentence about the road
    # only the trigger's own tokens can qualify: visit those (in sentence order), not all
    # (the answer per token depends on the parse and the mentions only: kept per document)
    noun_places = builder.__dict__.setdefault("_noun_places", {})
    pos_all = _pos_tags(sdoc)
    for i in sorted(own):
        if not sent.start <= i < sent.end:
            continue
        if i not in noun_places:
            m = None
            if pos_all[i] not in ("NOUN", "PRON"):
                noun_places[i] = None
                continue
            t = sdoc[i]
            if locative_prep(t) is not None:
                m = (builder.coref.place_for_noun(t) if t.pos_ == "NOUN"
                     else builder.coref.place_for_pronoun(t))
            noun_places[i] = m
        m = noun_places[i]
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
    # the walk below can only succeed on a named-place object of a place preposition; a
    # subtree lies within its edges, so with none of those there the walk is skipped
    ner = _ner_place_objects(builder)
    lo = bisect_left(ner, c.tok.left_edge.i)
    if lo == len(ner) or ner[lo] > c.tok.right_edge.i:
        return None
    for t in c.tok.subtree:
        if (t.dep_ == "pobj" and t.head.lemma_.lower() in PLACE_PREPS
                and t.ent_type_ in ("GPE", "LOC", "FAC") and free(t.idx, t.idx + len(t.text))):
            ent = next((e for e in sent.ents if e.start <= t.i < e.end), None)
            if ent is not None:
                return {"name": ent.text, "entity_id": None, "lat": None, "lon": None,
                        "start": ent.start_char, "end": ent.end_char, "via": "ner"}
    return None


def _ner_place_objects(builder: Any) -> list[int]:
    """Indices (sorted) of GPE/LOC/FAC tokens that are the object of a place preposition,
    once per document: the only tokens the tagger fallback of :func:`event_place` takes."""
    got = builder.__dict__.get("_ner_place_objects")
    if got is None:
        from spacy.attrs import DEP, ENT_TYPE

        sdoc = builder.sdoc
        got = []
        if len(sdoc):
            strings = sdoc.vocab.strings
            arr = sdoc.to_array([DEP, ENT_TYPE])
            hit = (arr[:, 0] == strings["pobj"]) & (
                (arr[:, 1] == strings["GPE"]) | (arr[:, 1] == strings["LOC"])
                | (arr[:, 1] == strings["FAC"]))
            got = [int(i) for i in hit.nonzero()[0]
                   if sdoc[int(i)].head.lemma_.lower() in PLACE_PREPS]
        builder.__dict__["_ner_place_objects"] = got
    return got


def _sentence_places(builder: Any, sent: Any) -> list[Mention]:
    """Place mentions of a sentence, computed once per sentence (events share them)."""
    cache = builder.__dict__.setdefault("_sent_places", {})
    key = sent.start_char
    if key not in cache:
        lo, hi = sent.start_char, sent.end_char
        index = builder.__dict__.get("_place_index")
        if index is None:
            # the place mentions and their starts, once per document
            places = [m for m in builder.mentions if is_place(m)]
            starts = [m.start for m in places]
            index = builder.__dict__["_place_index"] = (places, starts, starts == sorted(starts))
        places, starts, ordered = index
        if ordered:
            cache[key] = places[bisect_left(starts, lo):bisect_left(starts, hi)]
        else:
            cache[key] = [m for m in places if lo <= m.start < hi]
    return cache[key]


_NOT_OWN = {"relcl", "appos", "acl", "ccomp", "parataxis"}


def _own_cached(builder: Any, c: Any) -> set[int]:
    """:func:`own_tokens`, once per trigger and carrier in a document (read-only result)."""
    cache = builder.__dict__.setdefault("_own_tokens", {})
    key = (c.tok.i, c.light.i if c.light is not None else -1)
    own = cache.get(key)
    if own is None:
        # own_tokens(c) on the Doc's head array: the same set, without Token objects
        kids = _own_children(builder)
        own = set()
        for a in _anchors(c):
            stack = [a.i]
            while stack:
                t = stack.pop()
                if t in own:
                    continue
                own.add(t)
                stack.extend(kids[t])
        cache[key] = own
    return own


def _pos_tags(sdoc: Any) -> list[str]:
    from rashomon.analyze.events._triggers import _doc_tags

    return _doc_tags(sdoc)[0]


def _own_children(builder: Any) -> list[list[int]]:
    """Per token, its children's indices except through _NOT_OWN labels (once per doc)."""
    got = builder.__dict__.get("_own_children")
    if got is None:
        from spacy.attrs import DEP, HEAD

        sdoc = builder.sdoc
        strings = sdoc.vocab.strings
        got = [[] for _ in range(len(sdoc))]
        if len(sdoc):
            arr = sdoc.to_array([HEAD, DEP])
            offsets = arr[:, 0].view("int64").tolist()
            cut = {strings[d] for d in _NOT_OWN}
            for i, (off, dep) in enumerate(zip(offsets, arr[:, 1].tolist(), strict=True)):
                if off and dep not in cut:
                    got[i + off].append(i)
        builder.__dict__["_own_children"] = got
    return got


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
