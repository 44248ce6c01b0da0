"""Analysis layers: small registered components with a versioned name.

Two kinds, as in spaCy's component model:

* a **document layer** is a callable ``(DocContext) -> {table: [records]}``; it
  sees one cleaned document, its spaCy parse and the records of the layers it
  ``requires`` for the same document;
* a **corpus layer** is a callable ``(CorpusContext) -> None`` that reads what
  the document layers stored and writes corpus-wide tables (stories, ...).

The registry is one explicit list (no import side effects): ``LAYERS`` below.
Each layer records its version with its results, so a change of code or of
profile re-analyses only what is stale.

The registry is also the one place that says which record tables exist:
:func:`span_tables`, :func:`corpus_tables` and :func:`record_classes` derive
from the layers' ``produces`` (the pipeline, the exporters and the CLI read
them from here), and :func:`check_layers` refuses a registry in which a layer
``requires`` something no earlier layer provides, in the manner of spaCy's
``analyze_pipes``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rashomon.model import Document, Record
from rashomon.profiles import Profile


@dataclass
class DocContext:
    """What a document layer may look at."""

    doc: Document
    sdoc: Any  # spacy.tokens.Doc, or None when the layer does not need a parse
    profile: Profile
    results: dict[str, list[Record]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class CorpusContext:
    """What a corpus layer may look at: the store and the profile."""

    store: Any  # rashomon.store.Store
    profile: Profile
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LayerSpec:
    """A registered layer: ``target`` is 'module:attribute' so registration costs no import."""

    name: str  # e.g. "quotes"
    version: str  # bump when output changes
    scope: str  # "document" or "corpus"
    target: str
    requires: tuple[str, ...] = ()  # names of earlier layers
    produces: tuple[str, ...] = ()  # record tables this layer writes
    needs_nlp: bool = False
    record: str | None = None  # model class of the produced records (rebuilt for consumers)

    def load(self) -> Callable[..., Any]:
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)

    @property
    def versioned_name(self) -> str:
        return f"{self.name}.{self.version}"


class LayerError(Exception):
    """The layer registry is inconsistent (a requirement no earlier layer provides)."""


# The registry, in dependency order.  A layer whose module is not importable
# (an optional extra not installed) is skipped with a note, never silently.
LAYERS: list[LayerSpec] = [
    LayerSpec("entities", "v1", "document", "rashomon.analyze.entities:entities_layer",
              produces=("mentions",), needs_nlp=True, record="Mention"),
    LayerSpec("time", "v2", "document", "rashomon.analyze.time:time_layer",
              produces=("timexes",), needs_nlp=True, record="TimeExpr"),
    LayerSpec("quotes", "v10", "document", "rashomon.analyze.quotes:quotes_layer",
              requires=("entities",), produces=("quotes",), needs_nlp=True,
              record="Quote"),
    LayerSpec("events", "v7", "document", "rashomon.analyze.events:events_layer",
              requires=("entities", "time", "quotes"), produces=("events",), needs_nlp=True,
              record="Event"),
    LayerSpec("claims", "v3", "document", "rashomon.analyze.claims:claims_layer",
              requires=("entities", "quotes", "events"), produces=("claims",), needs_nlp=True,
              record="Claim"),
    LayerSpec("stories", "v1", "corpus", "rashomon.compare.stories:stories_layer",
              requires=("events",), produces=("stories",), record="Story"),
    LayerSpec("contradictions", "v1", "corpus",
              "rashomon.compare.contradictions:contradictions_layer",
              requires=("stories", "claims"), produces=("contradictions",),
              record="Contradiction"),
    LayerSpec("framing", "v2", "corpus", "rashomon.compare.framing:framing_layer",
              requires=("entities",), produces=("framing",)),
    LayerSpec("coverage", "v1", "corpus", "rashomon.compare.coverage:coverage_layer",
              requires=("stories",), produces=("coverage",)),
    LayerSpec("warnings", "v1", "corpus", "rashomon.warning:warnings_layer",
              requires=("quotes", "events", "stories"), produces=("warnings",),
              record="WarningFinding"),
    LayerSpec("escalation", "v1", "corpus", "rashomon.warning:escalation_layer",
              requires=("events",), produces=("escalation",), record="EscalationPoint"),
]


def check_layers(specs: list[LayerSpec] | None = None) -> None:
    """Refuse a registry that cannot run in its order.

    Every ``requires`` must name a layer listed earlier (a document layer may
    only need document layers: corpus layers run after all of them), names
    must be unique, scopes known, and no two layers may write the same table.
    The message names the layer and what is missing, so a wrong registration
    fails on start instead of as a ``KeyError`` deep inside a run.
    """
    specs = LAYERS if specs is None else specs
    seen: dict[str, LayerSpec] = {}
    writer: dict[str, str] = {}
    problems: list[str] = []
    for spec in specs:
        if spec.scope not in ("document", "corpus"):
            problems.append(f"layer {spec.name!r}: scope must be 'document' or 'corpus', "
                            f"not {spec.scope!r}")
        if spec.name in seen:
            problems.append(f"layer {spec.name!r} is registered twice")
        for need in spec.requires:
            earlier = seen.get(need)
            if earlier is None:
                later = [s.name for s in specs if s.name == need]
                where = "is registered after it" if later else "is not registered"
                problems.append(f"layer {spec.name!r} requires {need!r}, which {where}")
            elif spec.scope == "document" and earlier.scope == "corpus":
                problems.append(f"document layer {spec.name!r} requires corpus layer {need!r}, "
                                "which runs only after every document layer")
        for table in spec.produces:
            if table in writer:
                problems.append(f"layer {spec.name!r} writes table {table!r}, "
                                f"already written by {writer[table]!r}")
            writer[table] = spec.name
        seen[spec.name] = spec
    if problems:
        raise LayerError("layer registry: " + "; ".join(problems))


def span_tables(specs: list[LayerSpec] | None = None) -> tuple[str, ...]:
    """Per-document record tables (span columns + JSON), in registry order."""
    return tuple(t for s in (LAYERS if specs is None else specs) if s.scope == "document"
                 for t in s.produces)


def corpus_tables(specs: list[LayerSpec] | None = None) -> tuple[str, ...]:
    """Corpus-wide record tables, rewritten by corpus layers, in registry order."""
    return tuple(t for s in (LAYERS if specs is None else specs) if s.scope == "corpus"
                 for t in s.produces)


def record_tables(specs: list[LayerSpec] | None = None) -> tuple[str, ...]:
    """Every record table a layer writes: the export and count lists."""
    return span_tables(specs) + corpus_tables(specs)


def record_classes(specs: list[LayerSpec] | None = None) -> dict[str, str]:
    """Table name -> model class name, for layers that declare their record class."""
    return {t: s.record for s in (LAYERS if specs is None else specs) if s.record
            for t in s.produces}


def available_layers(scope: str | None = None) -> list[tuple[LayerSpec, Callable[..., Any] | None, str | None]]:
    """Each registered layer with its callable, or None and the reason it cannot load.

    The registry is checked first (:func:`check_layers`).  A layer whose
    module cannot be imported is reported, and so is every layer that requires
    it (it would run on missing input).
    """
    check_layers(LAYERS)
    out = []
    missing: set[str] = set()
    for spec in LAYERS:
        lacking = [r for r in spec.requires if r in missing]
        if lacking:
            missing.add(spec.name)
            if not scope or spec.scope == scope:
                out.append((spec, None, f"requires unavailable layer(s) {', '.join(lacking)}"))
            continue
        try:
            fn = spec.load()
        except (ImportError, AttributeError) as exc:
            missing.add(spec.name)
            fn, why = None, f"{type(exc).__name__}: {exc}"
        else:
            why = None
        if not scope or spec.scope == scope:
            out.append((spec, fn, why))
    return out


# ---------------------------------------------------------------------------
# Analyst columns of the record tables (the store's schema derives from these)
@dataclass(frozen=True)
class Column:
    """One declared column of a record table, beyond the record class's own scalar fields.

    Every top-level scalar field of a table's record class (``record=`` above)
    becomes a column of the same name by itself; a table lists here only what
    analysts filter on that lives deeper: a nested value (``path``
    ``"source_actor.entity_id"``), a value of the document the record stands
    in (``document="publisher"``), or a value computed from the record
    (``compute``).  A path that a record does not have (a field another layer
    adds later) is simply NULL, so declaring a column never breaks a table.

    ``own=True`` moves the value out of the record's JSON into the column
    (text stored once); otherwise the column is a filterable copy.
    """

    name: str
    type: str = "text"  # text | integer | real | bool
    path: str | None = None  # dotted path in the record dict; default: the column name
    document: str | None = None  # a ``documents`` column (outlet, camp)
    compute: Callable[[dict[str, Any]], Any] | None = None
    references: str | None = None  # "table(column)": a declared foreign key
    own: bool = False
    description: str = ""


def quad_class(rec: dict[str, Any]) -> int | None:
    """CAMEO quad class from the root code (1 verbal cooperation ... 4 material conflict)."""
    root = str(rec.get("cameo") or "")[:2]
    if not root.isdigit():
        return None
    n = int(root)
    return 1 if 1 <= n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4 if n <= 20 else None


def _actor(prefix: str, path: str, what: str) -> tuple[Column, ...]:
    return (
        Column(f"{prefix}_entity_id", path=f"{path}.entity_id", references="entities(id)",
               description=f"canonical entity of the {what}"),
        Column(f"{prefix}_name", path=f"{path}.name", description=f"{what} as named"),
    )


_OUTLET = Column("outlet", document="publisher", description="outlet (document publisher)")
_CAMP = Column("camp", document="side", description="camp (side) of the outlet")
_MODALITY = tuple(Column(f, "bool", path=f"modality.{f}", description=f"modality: {f}")
                  for f in ("negated", "hypothetical", "conditional", "future", "demanded"))

# table -> extra columns; a table of a new layer gets columns by adding an entry
TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "documents": (),
    "entities": (),
    "mentions": (
        Column("entity_id", references="entities(id)", description="the entity named"),
    ),
    "timexes": (),
    "quotes": (
        *_actor("speaker", "speaker", "speaker"),
        _OUTLET, _CAMP,
    ),
    "events": (
        Column("quad_class", "integer", compute=quad_class,
               description="CAMEO quad class: 1 verbal coop., 2 material coop., "
                           "3 verbal conflict, 4 material conflict"),
        Column("acled_event_type", path="attrs.acled_event_type",
               description="ACLED event type"),
        Column("acled_sub_event_type", path="attrs.acled_sub_event_type",
               description="ACLED sub-event type"),
        *_actor("source", "source_actor", "source actor"),
        *_actor("target", "target_actor", "target actor"),
        Column("place_entity_id", path="place.entity_id", references="entities(id)",
               description="canonical place"),
        Column("place_name", path="place.name", description="place as named"),
        Column("lat", "real", path="place.lat", description="latitude of the place (WGS 84)"),
        Column("lon", "real", path="place.lon", description="longitude of the place (WGS 84)"),
        Column("country", path="place.country", description="country code of the place"),
        Column("fatalities", "integer", path="attrs.fatalities",
               description="fatalities reported with the event"),
        *_MODALITY,
        _OUTLET, _CAMP,
        Column("main", "bool", path="attrs.main",
               description="the document's main event"),
    ),
    "claims": (
        *_actor("speaker", "speaker", "speaker"),
        Column("camp", document="side", description="camp (side) of the outlet"),
        Column("action", path="slots.action", description="claimed action (PLOVER)"),
        Column("cameo", path="slots.cameo", description="claimed action (CAMEO)"),
        Column("date", path="slots.date", description="date the claim is about"),
        Column("polarity", path="slots.polarity", description="asserted or denied"),
    ),
    "stories": (
        Column("plover", path="attrs.plover", description="main PLOVER type of the story"),
        Column("n_docs", "integer", path="attrs.n_docs", description="documents telling it"),
        Column("n_events", "integer", path="attrs.n_events", description="events in it"),
        Column("single_side", "bool", path="attrs.single_side",
               description="told by one camp only"),
    ),
    "contradictions": (
        *(c for side in ("a", "b") for c in (
            Column(f"{side}_doc_id", path=f"{side}.doc_id", references="documents(id)",
                   description=f"document of claim {side}"),
            Column(f"{side}_claim_id", path=f"{side}.claim_id", references="claims(id)",
                   description=f"claim {side}"),
            Column(f"{side}_text", path=f"{side}.text", own=True,
                   description=f"text of claim {side}"),
            Column(f"{side}_speaker", path=f"{side}.speaker", description=f"speaker of {side}"),
            Column(f"{side}_outlet", path=f"{side}.outlet", description=f"outlet of {side}"),
            Column(f"{side}_camp", path=f"{side}.side", description=f"camp of {side}"),
        )),
        Column("reason", path="attrs.reason", description="why the two cannot both hold"),
    ),
    "framing": (
        Column("referent", description="what is named"),
        Column("label", description="neutral label of the referent"),
        Column("term", description="the term used"),
        Column("kind", description="loaded_term, toponym or distinctive"),
        Column("side", description="camp using the term"),
        Column("source", description="outlet using the term"),
        Column("count", "integer", description="uses"),
        Column("z", "real", path="attrs.z", description="over-use score against other camps"),
    ),
    "coverage": (
        Column("kind", description="source, side or blindspot"),
        Column("story_id", references="stories(id)", description="the story"),
        Column("key", description="outlet or camp"),
        Column("events", "integer", description="events of the story it told"),
        Column("docs", "integer", description="documents of the story it published"),
        Column("date", path="attrs.date", description="story date"),
        Column("title", path="attrs.title", description="story title"),
    ),
    "warnings": (  # indicator, risk_factor, framework, strength, first_seen, ... are fields
        Column("date", path="last_seen", description="latest date the indicator was seen"),
        Column("n_evidence", "integer", compute=lambda r: len(r.get("evidence") or []),
               description="evidence spans"),
        Column("n_camps", "integer", compute=lambda r: len(r.get("camps") or []),
               description="camps the evidence comes from"),
    ),
}

# Titles, descriptions and default facets for Datasette and the data dictionary
TABLE_DOCS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "documents": ("Documents", "Cleaned articles with their metadata; searchable.",
                  ("publisher", "side", "language")),
    "entities": ("Entities", "Canonical actors and places.", ("kind", "origin", "country")),
    "mentions": ("Mentions", "Names in the text resolved to entities.", ("kind",)),
    "timexes": ("Time expressions", "Dates in the text resolved to intervals.",
                ("granularity",)),
    "quotes": ("Quotes", "Who said what, with cue and speaker.", ("kind", "outlet", "camp")),
    "events": ("Events", "Coded events (CAMEO, PLOVER, ACLED) with their evidence sentence.",
               ("plover", "camp", "outlet", "quad_class")),
    "claims": ("Claims", "Check-worthy assertions, attributed to speaker and outlet.",
               ("kind", "outlet", "side")),
    "stories": ("Stories", "One real-world happening as told by many sources.",
                ("plover", "single_side")),
    "contradictions": ("Contradictions", "Claims that cannot both be true; review status.",
                       ("kind", "status", "detector")),
    "framing": ("Framing", "Loaded terms and toponyms per camp and outlet.",
                ("kind", "side", "source")),
    "coverage": ("Coverage", "Which outlet and camp told which story; blindspots.",
                 ("kind", "key")),
    "escalation": ("Escalation", "Event rate per dyad and period, normalised by coverage.",
                   ("dyad", "alert")),
    "warnings": ("Warnings", "Early-warning findings: UN Framework indicators with evidence.",
                 ("risk_factor", "strength", "status")),
}

# Descriptions of the record classes' own fields (columns of the same name), for the
# data dictionary and Datasette; a table's declared Column.description wins.
FIELD_DOCS: dict[str, str] = {
    "id": "stable id (content hash: a rerun gives the same id)",
    "doc_id": "document the record stands in",
    "start": "start of the evidence span (character offset in the document text)",
    "end": "end of the evidence span (exclusive)",
    "text": "the text (of the span, or the document's cleaned body)",
    "sentence": "evidence sentence",
    "cameo": "CAMEO event code (a string: '040' keeps its zero)",
    "plover": "PLOVER event type",
    "plover_mode": "PLOVER mode",
    "goldstein": "Goldstein scale value of the CAMEO code (-10 conflict .. +10 cooperation)",
    "plover_intensity": "PLOVER intensity",
    "trigger": "trigger word as written",
    "date": "date (ISO 8601; a month or year when that is all that is known)",
    "date_precision": "day, month, year or range",
    "date_end": "last date of a range",
    "kind": "kind of record (see the layer's documentation)",
    "speaker": "speaker as named",
    "cue": "speech verb or cue",
    "cue_start": "start of the cue",
    "cue_end": "end of the cue",
    "outlet": "outlet (publisher) of the document",
    "side": "camp (side) the outlet belongs to",
    "event_id": "event the claim is about",
    "quote_id": "quote the claim comes from",
    "title": "title",
    "story_id": "story it belongs to",
    "confidence": "detector confidence (0..1)",
    "status": "review status: new, confirmed or rejected",
    "detector": "detector that found it",
    "entity_id": "canonical entity",
    "surface": "name as written",
    "value_start": "first day of the resolved interval",
    "value_end": "last day of the resolved interval",
    "granularity": "day, month, year or range",
    "anchor": "what a relative date was resolved against",
    "name": "canonical name",
    "country": "country code",
    "sector": "sector (GOV, MIL, REB, ...)",
    "lat": "latitude (WGS 84)",
    "lon": "longitude (WGS 84)",
    "origin": "profile, gazetteer or ner",
    "source": "input path or URL",
    "publisher": "outlet",
    "author": "byline",
    "url": "address of the article",
    "published": "publication date",
    "published_inferred": "publication date inferred from the text",
    "published_evidence": "where the inferred date was found",
    "language": "language code",
    "input_kind": "text, html, json, ...",
    "raw_hash": "hash of the raw input (exact duplicates)",
    "duplicate_of": "the original, when this is a near-duplicate copy",
    # early warning (warnings, escalation)
    "framework": "analysis framework the indicator belongs to",
    "risk_factor": "risk factor of the framework",
    "indicator": "indicator of the risk factor the evidence points to",
    "scope": "period the finding covers (period:<ISO week>) or undated",
    "first_seen": "earliest date of its evidence",
    "last_seen": "latest date of its evidence",
    "strength": "corroboration: one source, several in one camp, or across camps (never truth)",
    "basis": "act, statement, allegation or context",
    "not_proof": "what the finding does not establish",
    "dyad": "source|target of the events (? when unknown)",
    "period": "ISO week or day",
    "rate": "events per document published in the period",
    "alert": "rate far above the dyad's own earlier periods",
    "goldstein_mean": "mean Goldstein value of the events",
    "severe": "events of CAMEO roots 18-20 and codes 201-203",
}
