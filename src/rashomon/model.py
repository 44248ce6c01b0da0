"""The records every stage shares.

Everything that points into text is a span: (doc_id, start, end) in character
offsets of the document's *cleaned body* (``Document.text``).  Like spaCy's
``Span``, one shape serves every layer, so any record can be shown highlighted
in its sentence and checked against its source.

Records are plain dataclasses.  ``to_dict`` gives the JSON-ready form used by
the store and the exporters; ``from_dict`` reverses it.  Fields that only some
layers fill live in ``attrs`` so that adding a detail never needs a migration.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, Self


def stable_id(*parts: object, prefix: str = "", length: int = 16) -> str:
    """Deterministic id from content, so a rerun produces the same ids."""
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{h[:length]}"


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Record:
    """Mixin: dict round-trip for dataclass records."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; nested records become dicts (lists and dicts are copied).

        Hand-rolled because ``dataclasses.asdict`` deep-copies every value and
        was the single largest cost of writing analysis results.
        """
        return {f.name: _plain(getattr(self, f.name)) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Span(Record):
    """A stretch of a document's cleaned body."""

    doc_id: str
    start: int
    end: int

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]

    # Secondary spans (a quote's cue, a qualifier) are stored flat in their record
    # as ``<prefix>_start``/``<prefix>_end``, the records' shape since the first
    # store; these two convert between that shape and a Span.
    @classmethod
    def from_keys(cls, doc_id: str, data: dict[str, Any], prefix: str) -> Span | None:
        """The span stored as ``data[prefix + "_start"]``/``[prefix + "_end"]``, if both set."""
        start, end = data.get(f"{prefix}_start"), data.get(f"{prefix}_end")
        if start is None or end is None:
            return None
        return cls(doc_id=doc_id, start=start, end=end)

    def to_keys(self, prefix: str) -> dict[str, int]:
        """``{prefix + "_start": start, prefix + "_end": end}``: the flat stored form."""
        return {f"{prefix}_start": self.start, f"{prefix}_end": self.end}


@dataclass
class Removal(Record):
    """A cut made while cleaning: kept so an analyst can audit it.

    ``start``/``end`` are offsets in the *raw* text the cleaner saw (after HTML
    extraction for HTML input), because the removed text is by definition not
    in the cleaned body.
    """

    start: int
    end: int
    reason: str
    text: str


@dataclass
class Comment(Record):
    """A reader comment: never part of the body, never the outlet's voice."""

    index: int
    text: str
    author: str | None = None
    parent: int | None = None
    raw_start: int | None = None
    raw_end: int | None = None


@dataclass
class Reference(Record):
    """A footnote or endnote of the document."""

    label: str
    text: str
    url: str | None = None
    raw_start: int | None = None
    raw_end: int | None = None


@dataclass
class Document(Record):
    """A cleaned article with its metadata and everything cut from it."""

    id: str
    source: str
    text: str
    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    published: str | None = None
    published_inferred: bool = False
    published_evidence: str | None = None
    language: str | None = None
    side: str | None = None
    input_kind: str = "text"
    raw_hash: str | None = None
    comments: list[Comment] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    duplicate_of: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        d = dict(data)
        d["comments"] = [Comment.from_dict(c) for c in d.get("comments") or []]
        d["references"] = [Reference.from_dict(r) for r in d.get("references") or []]
        d["removed"] = [Removal.from_dict(r) for r in d.get("removed") or []]
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})


@dataclass
class Entity(Record):
    """A canonical actor or place.  ``origin`` is 'profile' or 'gazetteer' or 'ner'."""

    id: str
    kind: str  # person, organisation, state, armed_group, place, ...
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    lat: float | None = None
    lon: float | None = None
    origin: str = "profile"
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Mention(Record):
    """A name in the text resolved to an entity; ``surface`` is the name as written."""

    id: str
    doc_id: str
    start: int
    end: int
    entity_id: str
    surface: str
    kind: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class TimeExpr(Record):
    """A date expression resolved to an absolute interval."""

    id: str
    doc_id: str
    start: int
    end: int
    text: str
    value_start: str | None  # ISO date
    value_end: str | None
    granularity: str  # day, month, year, range
    anchor: str | None = None
    flags: list[str] = field(default_factory=list)  # inferred, implausible, ...
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Actor(Record):
    """A participant as it appears on an event, quote or claim."""

    name: str
    entity_id: str | None = None
    country: str | None = None
    sector: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Quote(Record):
    """Who said what: content span, cue and speaker."""

    id: str
    doc_id: str
    start: int
    end: int
    text: str
    kind: str  # direct, indirect, mixed
    speaker: Actor | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def cue_span(self) -> Span | None:
        """Where the cue is (a secondary span of the quote).

        Stored flat as ``cue_start``/``cue_end`` (the record's shape since the first
        store), so stored and exported records keep their keys.
        """
        return Span.from_keys(self.doc_id, self.__dict__, "cue")

    @cue_span.setter
    def cue_span(self, span: Span | None) -> None:
        self.cue_start, self.cue_end = (None, None) if span is None else (span.start, span.end)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        d = dict(data)
        if isinstance(d.get("speaker"), dict):
            d["speaker"] = Actor.from_dict(d["speaker"])
        return super().from_dict.__func__(cls, d)  # type: ignore[attr-defined]


@dataclass
class Event(Record):
    """A coded event with its evidence sentence."""

    id: str
    doc_id: str
    start: int
    end: int
    sentence: str
    cameo: str
    plover: str
    plover_mode: str | None = None
    goldstein: float | None = None
    plover_intensity: float | None = None
    trigger: str | None = None
    source_actor: Actor | None = None
    target_actor: Actor | None = None
    date: str | None = None
    date_precision: str | None = None
    place: dict[str, Any] | None = None  # {name, entity_id, lat, lon}
    modality: dict[str, Any] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def trigger_span(self) -> Span | None:
        """Where the trigger word is (a secondary span of the event).

        Stored flat in ``attrs`` as ``trigger_start``/``trigger_end`` (the record's
        shape since the first store), so stored and exported records keep their keys.
        """
        start, end = self.attrs.get("trigger_start"), self.attrs.get("trigger_end")
        if start is None or end is None:
            return None
        return Span(doc_id=self.doc_id, start=start, end=end)

    @trigger_span.setter
    def trigger_span(self, span: Span | None) -> None:
        rest = {k: v for k, v in self.attrs.items() if k not in ("trigger_start", "trigger_end")}
        head = {} if span is None else {"trigger_start": span.start, "trigger_end": span.end}
        self.attrs = {**head, **rest}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        d = dict(data)
        for k in ("source_actor", "target_actor"):
            if isinstance(d.get(k), dict):
                d[k] = Actor.from_dict(d[k])
        return super().from_dict.__func__(cls, d)  # type: ignore[attr-defined]


@dataclass
class Claim(Record):
    """A check-worthy assertion, attributed to its speaker and its outlet separately."""

    id: str
    doc_id: str
    start: int
    end: int
    text: str
    kind: str  # action, number, qualification, date
    speaker: Actor | None = None
    outlet: str | None = None
    side: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    event_id: str | None = None
    quote_id: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Story(Record):
    """One real-world event as told by many sources."""

    id: str
    title: str
    date: str | None
    date_end: str | None = None
    event_ids: list[str] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    sides: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Contradiction(Record):
    """Two claims that cannot both be true, or qualify one fact in opposite ways."""

    id: str
    kind: str
    story_id: str | None
    confidence: float
    a: dict[str, Any]
    b: dict[str, Any]
    status: str = "new"
    detector: str = "lexical"
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class WarningFinding(Record):
    """One early-warning finding: a risk indicator of a framework, and the evidence for it.

    ``evidence`` is a list of spans (``doc_id``, ``start``, ``end``, ``text``,
    ``speaker``, ``outlet``, ``camp``, ``mode``, ``rule``); ``strength`` says how
    corroborated it is, never how true; ``not_proof`` says what it does not
    establish.  ``status``/``note`` come from the analyst's reviews, which live
    apart (the ``reviews`` table) and are re-attached after every recomputation.
    """

    id: str
    framework: str
    risk_factor: str
    indicator: str
    scope: str  # "period:<YYYY-Www>" or "undated"
    evidence: list[dict[str, Any]]
    sources: int
    camps: list[str]
    speakers: list[str]
    first_seen: str | None
    last_seen: str | None
    strength: str  # single source, several sources in one camp, corroborated across camps
    basis: str  # act, statement, allegation, context
    not_proof: str
    review_key: str = ""
    status: str = "new"
    note: str | None = None
    story_ids: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class EscalationPoint(Record):
    """One dyad in one period of the escalation index (event counts normalised by coverage)."""

    id: str
    dyad: str  # "source|target" (country or entity codes; "?" when unknown)
    period: str  # ISO week "2024-W51" or day
    events: int
    docs: int  # coverage volume of the period (documents published in it)
    rate: float  # events per document of the period
    z: float | None  # rolling z-score of ``rate`` against this dyad's own earlier periods
    alert: bool
    goldstein_mean: float | None
    quad_shares: dict[str, float] = field(default_factory=dict)
    plover: dict[str, int] = field(default_factory=dict)
    cameo_root: dict[str, int] = field(default_factory=dict)
    severe: int = 0  # CAMEO roots 18-20 and codes 201-203
    attrs: dict[str, Any] = field(default_factory=dict)
