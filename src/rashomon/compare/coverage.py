"""Coverage: who reported which story, and what each camp and outlet left out.

Two levels, like the stories themselves:

* **Stories left out.** A *blindspot* is a story that outlets of only one side
  reported while the corpus holds at least two sides.
* **Facts left out inside a story.** A story's aligned event groups are its
  facts (what happened, told by several reports).  A fact told in at least
  ``MIN_TELLERS`` documents is *omitted* by a side (row kind ``omission``) or
  an outlet (``outlet_omission``) that has documents in the story but tells
  that fact in none of them: it covered the happening and left this part out.
  The rows carry the fact's events, as the evidence to read.

Neither says anything about truth; they tell the analyst where to look for
the missing account.  Sides are opaque labels from document metadata or the
profile's source list; "unknown" never counts as a side, so a story told only
by unclassified outlets is not a blindspot and unknown outlets omit nothing
per side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rashomon.model import Event, Record, Story, stable_id

UNKNOWN = "unknown"
MIN_TELLERS = 2  # a fact told in fewer documents is one report's detail, not a shared fact


@dataclass
class CoverageRow(Record):
    """One cell of a coverage matrix, or one blindspot.

    kind: "source" (key = outlet), "side" (key = side label), "blindspot"
        (key = the one side that covered the story), "omission" (key = the side
        that covered the story but not one of its facts) or "outlet_omission"
        (key = such an outlet); omissions carry the fact in ``attrs``.
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
    """Count events and documents per (story, source) and (story, side); flag what is left out.

    A story's documents are its ``doc_ids`` (every document that tells it),
    or, for stories stored without them, the documents of its events.
    :param side_of: document metadata dict -> side label.
    """
    ev_doc = {e.id: e.doc_id for e in events}
    doc_side = {d: (side_of(m) or UNKNOWN) for d, m in doc_meta.items()}
    corpus_sides = sorted({s for s in doc_side.values() if s != UNKNOWN})
    rows: list[CoverageRow] = []
    for st in stories:
        per: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
            lambda: {"events": set(), "docs": set()})
        docs = set(st.doc_ids or ())
        docs |= {d for e in st.event_ids if (d := ev_doc.get(e)) is not None}

        def keys(doc: str) -> tuple[tuple[str, str], tuple[str, str]]:
            meta = doc_meta.get(doc) or {"id": doc}
            return ("source", _source_name(meta)), ("side", doc_side.get(doc, UNKNOWN))

        for doc in docs:
            for key in keys(doc):
                per[key]["docs"].add(doc)
        for eid in st.event_ids:
            doc = ev_doc.get(eid)
            if doc is not None:
                for key in keys(doc):
                    per[key]["events"].add(eid)
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
        rows.extend(_omissions(st, per, ev_doc, keys))
    return rows


def _omissions(st: Story, per: dict[tuple[str, str], dict[str, set[str]]],
               ev_doc: dict[str, Any], keys: Any) -> list[CoverageRow]:
    """Facts of ``st`` (aligned event groups told in enough documents) each teller left out."""
    out = []
    for fact in (st.attrs or {}).get("alignment") or []:
        told = {ev_doc[e] for e in fact.get("event_ids", []) if ev_doc.get(e) is not None}
        if len(told) < MIN_TELLERS:
            continue
        by = {k for doc in told for k in keys(doc)}
        for (kind, key), cell in sorted(per.items()):
            if (kind, key) in by or (kind == "side" and key == UNKNOWN):
                continue
            row_kind = "omission" if kind == "side" else "outlet_omission"
            out.append(CoverageRow(
                id=stable_id("coverage", row_kind, st.id, fact["id"], key, prefix="cov_"),
                kind=row_kind, story_id=st.id, key=key, events=0, docs=len(cell["docs"]),
                attrs={"fact_id": fact["id"], "fact": fact.get("title"),
                       "date": fact.get("date"), "event_ids": list(fact.get("event_ids", [])),
                       "told_by_docs": sorted(told),
                       "told_by": sorted(k for kk, k in by if kk == kind),
                       "story_title": st.title}))
    return out


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
    "blindspots": [{story_id, side, missing, events, docs, title, date}],
    "omissions": [{story_id, kind, by, fact_id, fact, date, event_ids, told_by, ...}],
    "left_out": {"sides": {side: {...}}, "outlets": {outlet: {...}}}}, with
    blindspots ordered by documents (most reported first), then date and id;
    ``left_out`` counts, per side and per outlet, the stories it covered, the
    stories only another side covered, and the facts it left out in stories it
    covered.
    """
    rows = store.records_as("coverage", CoverageRow)
    stories = store.records_as("stories", Story)
    out: dict[str, Any] = {"by_source": defaultdict(dict), "by_side": defaultdict(dict),
                           "blindspots": [], "omissions": []}
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
        elif r.kind in ("omission", "outlet_omission"):
            out["omissions"].append({"story_id": r.story_id, "kind": r.kind,
                                     "by": r.key, **r.attrs})
    out["omissions"].sort(key=lambda o: (o["story_id"], o["kind"], o["by"], o["fact_id"]))
    out["blindspots"].sort(key=lambda b: (-b["docs"], b["date"] or "", b["story_id"]))
    out["by_source"] = dict(out["by_source"])
    out["by_side"] = dict(out["by_side"])
    out["sources"] = sorted(sources)
    out["sides"] = sorted(sides)
    out["left_out"] = _left_out(out)
    out["stories"] = [{"id": s.id, "title": s.title, "date": s.date}
                      for s in sorted(stories, key=lambda s: (s.date or "", s.id))]
    return out


def _left_out(m: dict[str, Any]) -> dict[str, dict[str, dict[str, int]]]:
    """Per side and per outlet: stories covered, stories left out, facts left out."""
    sides = {s: {"stories": 0, "stories_left_out": 0, "facts_left_out": 0}
             for s in m["sides"] if s != UNKNOWN}
    outlets = {s: {"stories": 0, "facts_left_out": 0} for s in m["sources"]}
    for cells in m["by_side"].values():
        for s in cells:
            if s in sides:
                sides[s]["stories"] += 1
    for cells in m["by_source"].values():
        for s in cells:
            outlets[s]["stories"] += 1
    for b in m["blindspots"]:
        for s in b["missing"]:
            if s in sides:
                sides[s]["stories_left_out"] += 1
    for o in m["omissions"]:
        target = sides if o["kind"] == "omission" else outlets
        if o["by"] in target:
            target[o["by"]]["facts_left_out"] += 1
    return {"sides": sides, "outlets": outlets}
