"""Coverage: who reported which story, and which stories only one side tells.

A *blindspot* is a story that outlets of only one side reported while the
corpus holds at least two sides.  It says nothing about truth; it tells the
analyst where to look for the missing account.  Sides are opaque labels from
document metadata or the profile's source list; "unknown" never counts as a
side, so a story told only by unclassified outlets is not a blindspot.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rashomon.model import Event, Record, Story, stable_id

UNKNOWN = "unknown"


@dataclass
class CoverageRow(Record):
    """One cell of a coverage matrix, or one blindspot.

    kind: "source" (key = outlet), "side" (key = side label) or "blindspot"
        (key = the one side that covered the story).
    """

    id: str
    kind: str
    story_id: str
    key: str
    events: int = 0
    docs: int = 0
    attrs: dict[str, Any] = field(default_factory=dict)


def _source_name(meta: dict[str, Any]) -> str:
    return meta.get("publisher") or meta.get("source") or meta.get("id") or "?"


def coverage_rows(stories: Iterable[Story], events: Iterable[Event],
                  doc_meta: dict[str, dict[str, Any]],
                  side_of: Any) -> list[CoverageRow]:
    """Count events and documents per (story, source) and (story, side); flag blindspots.

    :param side_of: document metadata dict -> side label.
    """
    ev_doc = {e.id: e.doc_id for e in events}
    doc_side = {d: (side_of(m) or UNKNOWN) for d, m in doc_meta.items()}
    corpus_sides = sorted({s for s in doc_side.values() if s != UNKNOWN})
    rows: list[CoverageRow] = []
    for st in stories:
        per: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
            lambda: {"events": set(), "docs": set()})
        for eid in st.event_ids:
            doc = ev_doc.get(eid)
            if doc is None:
                continue
            meta = doc_meta.get(doc) or {"id": doc}
            for kind, key in (("source", _source_name(meta)),
                              ("side", doc_side.get(doc, UNKNOWN))):
                per[(kind, key)]["events"].add(eid)
                per[(kind, key)]["docs"].add(doc)
        for (kind, key), cell in sorted(per.items()):
            rows.append(CoverageRow(
                id=stable_id("coverage", kind, st.id, key, prefix="cov_"),
                kind=kind, story_id=st.id, key=key,
                events=len(cell["events"]), docs=len(cell["docs"])))
        covered = sorted({k for (kind, k) in per if kind == "side" and k != UNKNOWN})
        if len(corpus_sides) >= 2 and len(covered) == 1:
            cell = per[("side", covered[0])]
            rows.append(CoverageRow(
                id=stable_id("coverage", "blindspot", st.id, prefix="cov_"),
                kind="blindspot", story_id=st.id, key=covered[0],
                events=len(cell["events"]), docs=len(cell["docs"]),
                attrs={"missing": [s for s in corpus_sides if s != covered[0]],
                       "title": st.title, "date": st.date,
                       "singleton": bool((st.attrs or {}).get("singleton"))}))
    return rows


def coverage_layer(ctx: Any) -> None:
    """Corpus layer: rebuild the ``coverage`` table from stored stories and events."""
    doc_meta = ctx.store.doc_meta()
    side_of = ctx.profile.side_lookup(doc_meta)

    rows = coverage_rows(ctx.store.records_as("stories", Story),
                         ctx.store.records_as("events", Event), doc_meta, side_of)
    ctx.store.replace_corpus_records("coverage", rows)


def coverage_matrix(store: Any) -> dict[str, Any]:
    """The stored coverage as matrices for the report and the CLI.

    RETURNS: {"sources": [...], "sides": [...], "stories": [{id, title, date}],
    "by_source": {story_id: {source: {"events", "docs"}}}, "by_side": {...},
    "blindspots": [{story_id, side, missing, events, docs, title, date}]}, with
    blindspots ordered by documents (most reported first), then date and id.
    """
    rows = store.records_as("coverage", CoverageRow)
    stories = store.records_as("stories", Story)
    out: dict[str, Any] = {"by_source": defaultdict(dict), "by_side": defaultdict(dict),
                           "blindspots": []}
    sources, sides = set(), set()
    for r in rows:
        cell = {"events": r.events, "docs": r.docs}
        if r.kind == "source":
            out["by_source"][r.story_id][r.key] = cell
            sources.add(r.key)
        elif r.kind == "side":
            out["by_side"][r.story_id][r.key] = cell
            sides.add(r.key)
        elif r.kind == "blindspot":
            out["blindspots"].append({"story_id": r.story_id, "side": r.key,
                                      "missing": r.attrs.get("missing", []), **cell,
                                      "title": r.attrs.get("title"),
                                      "date": r.attrs.get("date")})
    out["blindspots"].sort(key=lambda b: (-b["docs"], b["date"] or "", b["story_id"]))
    out["by_source"] = dict(out["by_source"])
    out["by_side"] = dict(out["by_side"])
    out["sources"] = sorted(sources)
    out["sides"] = sorted(sides)
    out["stories"] = [{"id": s.id, "title": s.title, "date": s.date}
                      for s in sorted(stories, key=lambda s: (s.date or "", s.id))]
    return out
