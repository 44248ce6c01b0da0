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
    requires: tuple[str, ...] = ()
    produces: tuple[str, ...] = ()
    needs_nlp: bool = False

    def load(self) -> Callable[..., Any]:
        module, _, attr = self.target.partition(":")
        return getattr(importlib.import_module(module), attr)

    @property
    def versioned_name(self) -> str:
        return f"{self.name}.{self.version}"


# The registry, in dependency order.  A layer whose module is not importable
# (an optional extra not installed) is skipped with a note, never silently.
LAYERS: list[LayerSpec] = [
    LayerSpec("entities", "v1", "document", "rashomon.analyze.entities:entities_layer",
              produces=("mentions",), needs_nlp=True),
    LayerSpec("time", "v2", "document", "rashomon.analyze.time:time_layer",
              produces=("timexes",), needs_nlp=True),
    LayerSpec("quotes", "v10", "document", "rashomon.analyze.quotes:quotes_layer",
              requires=("entities",), produces=("quotes",), needs_nlp=True),
    LayerSpec("events", "v6", "document", "rashomon.analyze.events:events_layer",
              requires=("entities", "time", "quotes"), produces=("events",), needs_nlp=True),
    LayerSpec("claims", "v3", "document", "rashomon.analyze.claims:claims_layer",
              requires=("entities", "quotes", "events"), produces=("claims",), needs_nlp=True),
    LayerSpec("stories", "v1", "corpus", "rashomon.compare.stories:stories_layer",
              requires=("events",), produces=("stories",)),
    LayerSpec("contradictions", "v1", "corpus",
              "rashomon.compare.contradictions:contradictions_layer",
              requires=("stories", "claims"), produces=("contradictions",)),
    LayerSpec("framing", "v1", "corpus", "rashomon.compare.framing:framing_layer",
              requires=("entities",), produces=("framing",)),
    LayerSpec("coverage", "v1", "corpus", "rashomon.compare.coverage:coverage_layer",
              requires=("stories",), produces=("coverage",)),
]


def available_layers(scope: str | None = None) -> list[tuple[LayerSpec, Callable[..., Any] | None, str | None]]:
    """Each registered layer with its callable, or None and the reason it cannot load."""
    out = []
    for spec in LAYERS:
        if scope and spec.scope != scope:
            continue
        try:
            out.append((spec, spec.load(), None))
        except (ImportError, AttributeError) as exc:
            out.append((spec, None, f"{type(exc).__name__}: {exc}"))
    return out
