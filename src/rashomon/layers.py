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
    LayerSpec("events", "v6", "document", "rashomon.analyze.events:events_layer",
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
    LayerSpec("framing", "v1", "corpus", "rashomon.compare.framing:framing_layer",
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
