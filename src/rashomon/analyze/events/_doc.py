"""The per-document state of the events stage: one typed object for one document.

Every step that needs more than a sentence (argument coding, coreference, dates and
places, addressed appeals) reads it: the document and its parse, the earlier layers'
mentions, time expressions and quotes, the actor coder and the coreference resolver.
What is costly and asked many times is computed lazily, once: document-wide indexes
as cached properties, per-sentence and per-token answers in typed memo tables.

It is also the one place an :class:`~rashomon.model.Event` is assembled
(:meth:`DocEvents.make_event`), for the sentence events and the appeals alike.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from spacy.attrs import DEP, ENT_TYPE, HEAD

from rashomon.analyze.events._actors import (
    ActorCoder,
    gazetteer_country_hits,
    letter_author_at,
    sector_lexicon,
)
from rashomon.analyze.events._codes import code_info, word_set
from rashomon.analyze.events._coref import Coref
from rashomon.analyze.events._letters import inline_addressees
from rashomon.analyze.events._params import DEFAULT_PARAMS, EventParams
from rashomon.analyze.events._triggers import doc_tags
from rashomon.analyze.spans import doc_text
from rashomon.model import Actor, Event, Mention, Quote, Span, TimeExpr, stable_id
from rashomon.text import dateline_end, gazetteer, is_place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from rashomon.layers import DocContext

# dependents that are not part of a trigger's own phrase (see _setting.own_tokens)
NOT_OWN = frozenset({"relcl", "appos", "acl", "ccomp", "parataxis"})


class DocEvents:
    """What the events stage knows about one document while it codes it."""

    def __init__(self, ctx: DocContext, params: EventParams = DEFAULT_PARAMS) -> None:
        self.doc = ctx.doc
        self.sdoc: Doc = ctx.sdoc
        self.params = params
        results = ctx.results
        self.mentions = sorted(cast(list[Mention], results.get("mentions") or []),
                               key=lambda m: m.start)
        self.timexes = sorted(cast(list[TimeExpr], results.get("timexes") or []),
                              key=lambda t: t.start)
        self.quotes = list(cast(list[Quote], results.get("quotes") or []))
        self.gaz = gazetteer()
        self.sectors = sector_lexicon()
        author, author_start = letter_author_at(self.doc.text, self.mentions)
        self.coref = Coref(self.sdoc, self.mentions, self.quotes, author, author_start,
                           gaz=self.gaz, sectors=self.sectors, params=params)
        self.coder = ActorCoder(self.mentions, author, self.quotes, coref=self.coref,
                                params=params)
        self.coref.addressees = inline_addressees(self.doc.text, self.mentions, self.sdoc)
        # Guessing an unnamed actor's country from another country named in the
        # sentence helps generic news coding, but in partisan text it can pin an
        # attack on the wrong party ("soldiers shelled villages in X").  With a
        # profile that defines actors, only the profile and explicit names decide.
        profile = getattr(ctx, "profile", None)
        self.guess_countries = not (profile is not None and (profile.actors or profile.parties))
        # memo tables: keyed by sentence start, place span, token index, trigger+carrier
        self.place_preps: dict[tuple[int, int], tuple[bool, Token | None]] = {}
        self.noun_places: dict[int, Mention | None] = {}
        self.own_tokens: dict[tuple[int, int], set[int]] = {}
        self._sent_hits: dict[int, list[tuple[int, str]]] = {}
        self._sent_spans: dict[int, tuple[int, int]] = {}
        self._sent_places: dict[int, list[Mention]] = {}

    # -- document-wide indexes (computed on first use) ---------------------------
    @cached_property
    def place_chars(self) -> frozenset[int]:
        """Character offsets inside a place mention."""
        out: set[int] = set()
        for m in self.mentions:
            if is_place(m):
                out.update(range(m.start, m.end))
        return frozenset(out)

    @cached_property
    def places(self) -> tuple[list[Mention], list[int], bool]:
        """The place mentions, their starts, and whether the starts are sorted."""
        places = [m for m in self.mentions if is_place(m)]
        starts = [m.start for m in places]
        return places, starts, starts == sorted(starts)

    @cached_property
    def pos_tags(self) -> list[str]:
        """Every token's part of speech, from the Doc's arrays."""
        return doc_tags(self.sdoc)[0]

    @cached_property
    def own_children(self) -> list[list[int]]:
        """Per token, its children's indices except through :data:`NOT_OWN` labels."""
        return own_children(self.sdoc)

    @cached_property
    def ner_place_objects(self) -> list[int]:
        """Sorted indices of GPE/LOC/FAC tokens that are the object of a place preposition."""
        return ner_place_objects(self.sdoc)

    # -- token and sentence questions -------------------------------------------
    def place_at(self, tok: Token) -> bool:
        """Is the token inside a place mention?"""
        return tok.idx in self.place_chars

    def route_at(self, tok: Token) -> bool:
        """Is the token inside the name of a road or route?"""
        return any(m.start <= tok.idx < m.end and (m.attrs or {}).get("place_kind") == "route"
                   for m in self.mentions)

    def mention_at(self, tok: Token) -> bool:
        """Is the token inside an actor (non-place) mention?"""
        return any(m.start <= tok.idx < m.end and m.kind != "place" for m in self.mentions)

    def named_at(self, tok: Token) -> bool:
        """Is the token inside any mention?"""
        return any(m.start <= tok.idx < m.end for m in self.mentions)

    def sentence_countries(self, sent: SpacySpan) -> list[tuple[int, str]]:
        """Country names of a sentence (computed once per sentence)."""
        hits = self._sent_hits.get(sent.start)
        if hits is None:
            hits = self._sent_hits[sent.start] = gazetteer_country_hits(list(sent))
        return hits

    def event_span(self, sent: SpacySpan) -> tuple[int, int]:
        """The sentence's event span: the sentence minus a leading dateline ("CITY, Region
        (Agency) — "), which the splitter may or may not have attached to it."""
        span = self._sent_spans.get(sent.start)
        if span is None:
            # the Doc's text sliced (``Span.text`` rebuilds it token by token)
            end = dateline_end(doc_text(sent.doc)[sent.start_char:sent.end_char])
            span = self._sent_spans[sent.start] = (
                sent.start_char + (end or 0), sent.end_char)
        return span

    def sentence_places(self, sent: SpacySpan) -> list[Mention]:
        """Place mentions of a sentence, computed once per sentence (events share them)."""
        key = sent.start_char
        got = self._sent_places.get(key)
        if got is None:
            lo, hi = sent.start_char, sent.end_char
            places, starts, ordered = self.places
            if ordered:
                got = places[bisect_left(starts, lo):bisect_left(starts, hi)]
            else:
                got = [m for m in places if lo <= m.start < hi]
            self._sent_places[key] = got
        return got

    # -- the one place an event record is made ----------------------------------
    def make_event(self, *, start: int, end: int, code: str, trigger: str, trigger_tok: Token,
                   source: Actor | None, target: Actor | None, date: str | None,
                   precision: str | None, place: dict[str, Any] | None,
                   modality: dict[str, Any], attrs: dict[str, Any]) -> Event:
        """The event record of a coded trigger: its id from the document, span, code and
        trigger; the code's names and scores; the trigger's span (``trigger_span``)."""
        info = code_info(code)
        attrs["cameo_name"] = info.name
        ev = Event(
            id=stable_id(self.doc.id, start, end, code, trigger_tok.idx, prefix="ev_"),
            doc_id=self.doc.id, start=start, end=end, sentence=self.doc.text[start:end],
            cameo=code, plover=info.plover or "", plover_mode=info.mode,
            goldstein=info.goldstein, plover_intensity=info.intensity, trigger=trigger,
            source_actor=source, target_actor=target, date=date, date_precision=precision,
            place=place, modality=modality, attrs=attrs)
        ev.trigger_span = Span(doc_id=self.doc.id, start=trigger_tok.idx,
                               end=trigger_tok.idx + len(trigger_tok.text))
        return ev


def own_children(sdoc: Doc) -> list[list[int]]:
    """Per token, its children's indices except through :data:`NOT_OWN` labels, from the
    Doc's head array (no Token objects)."""
    strings = sdoc.vocab.strings
    got: list[list[int]] = [[] for _ in range(len(sdoc))]
    if len(sdoc):
        arr = sdoc.to_array([HEAD, DEP])
        offsets = arr[:, 0].view("int64").tolist()
        cut = {strings[d] for d in NOT_OWN}
        for i, (off, dep) in enumerate(zip(offsets, arr[:, 1].tolist(), strict=True)):
            if off and dep not in cut:
                got[i + off].append(i)
    return got


def ner_place_objects(sdoc: Doc) -> list[int]:
    """Indices (sorted) of GPE/LOC/FAC tokens that are the object of a place preposition:
    the only tokens the tagger fallback of ``_setting.event_place`` takes."""
    if not len(sdoc):
        return []
    strings = sdoc.vocab.strings
    arr = sdoc.to_array([DEP, ENT_TYPE])
    hit = (arr[:, 0] == strings["pobj"]) & (
        (arr[:, 1] == strings["GPE"]) | (arr[:, 1] == strings["LOC"])
        | (arr[:, 1] == strings["FAC"]))
    preps = word_set("place_preps")
    return [int(i) for i in hit.nonzero()[0] if sdoc[int(i)].head.lemma_.lower() in preps]
