"""Early warning: risk indicators of the UN Framework of Analysis for Atrocity Crimes.

Two corpus layers read what the analysis stored (documents, quotes, coded
events, stories):

* ``warnings``: one finding per framework indicator and period, with every
  evidence span (exact document text, speaker, outlet, camp), the number of
  independent sources, the camps, first and last seen, a ``strength`` that says
  how corroborated the finding is (never how true), the analyst's review status,
  and ``not_proof``: what the finding does not establish;
* ``escalation`` (its own layer): the escalation index
  (:mod:`rashomon.warning.escalation`).

The framework and the evidence rules are data (``data/atrocity_framework.yaml``,
``data/warning_rules.yaml``); a profile adds to them under ``warnings:``
(``frameworks``, ``rules``, ``event_rules``, ``not_proof``, ``period``,
``alert_z``, ``window``).  No rule names a party or a conflict.

Reviews (``rashomon review-warning``) live in the store's ``reviews`` table
keyed by framework, indicator and period, so they survive re-analysis.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rashomon import data as rdata
from rashomon.model import EscalationPoint, WarningFinding
from rashomon.warning.escalation import CSV_FIELDS, csv_row, escalation_index, quad_class
from rashomon.warning.findings import (
    STRENGTHS,
    build_findings,
    event_evidence,
    review_key,
    text_evidence,
)
from rashomon.warning.framework import Framework, Indicator, load_frameworks, rf_number
from rashomon.warning.rules import RULES_FILE, Rules, build_rules, default_rules, group_pattern

REVIEW_TARGET = "warning"

__all__ = [
    "CSV_FIELDS", "EscalationPoint", "Framework", "Indicator", "REVIEW_TARGET", "Rules",
    "STRENGTHS", "WarningFinding", "build_findings", "build_rules", "csv_row",
    "default_rules", "escalation_index", "escalation_layer", "event_evidence", "list_warnings", "load_frameworks",
    "options_of", "profile_groups", "quad_class", "review_key", "review_warning", "rf_number", "rules_for",
    "text_evidence", "warnings_layer",
]


def options_of(profile: Any, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``warnings:`` section of a profile, with CLI overrides (e.g. ``alert_z``) on top."""
    opts = dict((getattr(profile, "data", None) or {}).get("warnings") or {})
    opts.update({k: v for k, v in (overrides or {}).items() if v is not None})
    return opts


def rules_for(opts: dict[str, Any]) -> Rules:
    """The bundled rules, plus a profile's own (same id replaces)."""
    if opts.get("rules") or opts.get("event_rules") or opts.get("not_proof"):
        return build_rules(rdata.load(RULES_FILE), opts)
    return default_rules()


def _speaker_camps(profile: Any) -> dict[str, str]:
    return {a["id"]: a["side"] for a in getattr(profile, "actors", []) or []
            if a.get("id") and a.get("side")}


def profile_groups(profile: Any) -> Any:
    """The profile's names of peoples: aliases of its states that read as a people.

    Used beside the shared demonym list so a rule that needs a group fires
    alike whatever shape a party's demonym has ("Velmorans", "Dravenians").
    """
    names = [a for actor in getattr(profile, "actors", []) or []
             if actor.get("kind") in ("state", "people", "ethnic_group")
             for a in actor.get("aliases", []) if a.endswith(("s", "ese", "i"))
             and " " not in a]
    return group_pattern(names)


def _story_lookup(stories: list[dict[str, Any]], events: list[dict[str, Any]]) -> Any:
    """(doc, start, end) -> ids of the stories whose events lie in that span."""
    story_of_event = {e: s["id"] for s in stories for e in s.get("event_ids", [])}
    by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for ev in events:
        sid = story_of_event.get(ev["id"])
        if sid:
            by_doc[ev["doc_id"]].append((ev["start"], ev["end"], sid))

    def lookup(doc_id: str, start: int, end: int) -> list[str]:
        return sorted({sid for s, e, sid in by_doc.get(doc_id, ()) if s < end and start < e})

    return lookup


def _layer_options(ctx: Any) -> dict[str, Any]:
    run = getattr(ctx, "options", None) or {}
    return options_of(ctx.profile, {k: run.get(k) for k in ("alert_z", "window", "period")})


def warnings_layer(ctx: Any) -> None:
    """Corpus layer: rebuild ``warnings`` and ``escalation`` from the stored records."""
    store, profile = ctx.store, ctx.profile
    opts = _layer_options(ctx)
    frameworks = load_frameworks(opts.get("frameworks"))
    rules = rules_for(opts)
    doc_meta = store.doc_meta()
    side_of = profile.side_lookup(doc_meta)
    quotes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in store.records("quotes") if "quotes" in store.span_tables else []:
        quotes[q["doc_id"]].append(q)
    events = store.records("events") if "events" in store.span_tables else []
    stories = store.records("stories") if "stories" in store.corpus_tables else []
    docs = ({"id": i, "text": t} for i, t in store.document_texts(include_duplicates=False))
    granularity = str(opts.get("period") or "week")
    evidence = [*text_evidence(docs, quotes, rules, profile_groups(profile)),
                *event_evidence(events, rules)]
    findings = build_findings(evidence, doc_meta, side_of, _speaker_camps(profile), frameworks,
                              rules, reviews=store.latest_keyed_reviews(REVIEW_TARGET),
                              story_of_span=_story_lookup(stories, events),
                              granularity=granularity)
    store.replace_corpus_records("warnings", findings)


def escalation_layer(ctx: Any) -> None:
    """Corpus layer: rebuild the ``escalation`` index from the stored coded events."""
    store = ctx.store
    opts = _layer_options(ctx)
    events = store.records("events") if "events" in store.span_tables else []
    points = escalation_index(events, store.doc_meta(),
                              granularity=str(opts.get("period") or "week"),
                              window=int(opts.get("window") or 4),
                              alert_z=float(opts.get("alert_z") or 2.0))
    store.replace_corpus_records("escalation", points)


def list_warnings(store: Any, rf: int | None = None, status: str | None = None,
                  indicator: str | None = None) -> list[dict[str, Any]]:
    """Stored findings, optionally one risk factor (``rf=8``), status or indicator.

    Ordered by risk factor, indicator, then period, so a reader goes down the
    framework as it is written.
    """
    if "warnings" not in store.corpus_tables:
        return []
    rows = store.records("warnings")
    if rf is not None:
        rows = [r for r in rows if rf_number(r["risk_factor"]) == rf]
    if status:
        rows = [r for r in rows if r.get("status", "new") == status]
    if indicator:
        rows = [r for r in rows if r["indicator"] == indicator]

    def order(r: dict[str, Any]) -> tuple[Any, ...]:
        parts = [int(p) if p.isdigit() else 0 for p in r["indicator"].split(".")]
        return (rf_number(r["risk_factor"]) or 0, parts, r["scope"])

    return sorted(rows, key=order)


def review_warning(store: Any, ref: str, status: str, note: str | None = None) -> dict[str, Any]:
    """Confirm or reject a finding (full id or unique prefix); the review outlives the record."""
    return store.review_record("warnings", REVIEW_TARGET, ref, status, note)
