"""Plug-in points: exporters and contradiction detectors.

Built-ins register exactly like outside plugins: an outside package declares an
entry point in the group ``rashomon.exporters`` or ``rashomon.detectors`` that
names a callable.  Model-based detectors (NLI, LLM) are meant to arrive this
way, as optional extras, without touching the core.

* exporter: ``(store, out_dir: Path) -> list[Path]``
* detector: an object with ``name`` and ``detect(claims_a, claims_b, ctx) -> list[Contradiction]``
  (see :mod:`rashomon.compare.contradictions`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points
from typing import Any

BUILTIN_EXPORTERS: dict[str, str] = {
    "jsonl": "rashomon.present.export:export_jsonl",
    "acled": "rashomon.present.acled:export_acled",
    "plover": "rashomon.present.plover:export_plover",
    "csv": "rashomon.present.tables:export_csv",
    "parquet": "rashomon.present.tables:export_parquet",
    "geojson": "rashomon.present.tables:export_geojson",
    "claimreview": "rashomon.present.claimreview:export_claimreview",
    "dictionary": "rashomon.present.tables:export_dictionary",
    "datasette": "rashomon.present.tables:export_datasette",
    "gdelt": "rashomon.present.gdelt:export_gdelt",
    "escalation": "rashomon.present.warnings:export_escalation_csv",
}

BUILTIN_DETECTORS: dict[str, str] = {
    "lexical": "rashomon.compare.detectors:LexicalDetector",
}


def _load(target: str) -> Any:
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


def _registry(builtins: dict[str, str], group: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, target in builtins.items():
        try:
            out[name] = _load(target)
        except (ImportError, AttributeError):
            continue  # the layer providing it is not installed in this build
    for ep in entry_points(group=group):
        out[ep.name] = ep.load()
    return out


def exporters() -> dict[str, Callable[..., Any]]:
    return _registry(BUILTIN_EXPORTERS, "rashomon.exporters")


def detectors() -> dict[str, Any]:
    return _registry(BUILTIN_DETECTORS, "rashomon.detectors")
