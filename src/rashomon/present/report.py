"""The static HTML report: one self-contained file that works offline.

Sections: a timeline of stories with side coverage, each story's accounts side
by side (with quotes), contradictions, the framing table, coverage blindspots,
an entity index, and a document view where any evidence span is highlighted.

The markup lives in jinja2 templates (``present/templates/``, package data)
rendered with autoescape, so every value from the store (all article text is
untrusted) is HTML-escaped unless a template says otherwise; only the packaged
stylesheet, the packaged script and the JSON data block are inserted as they
are.  This module only gathers and orders the records each section shows.

Defence in depth: the page's Content-Security-Policy forbids every network
request (no external scripts, styles, fonts or images) and every inline script
or event handler except the report's own script and stylesheet, which are
allowed by their SHA-256 hashes.  Even if an escaping bug let markup from an
article through, a ``<script>`` or ``onerror=`` in it would not run.  Article
URLs are shown as text, not fetched.  Links use fragments
``#doc=<id>&s=<start>&e=<end>``; the script shows that document and marks the
span.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter, defaultdict
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2

from rashomon.present.warnings import escalation_chart, warnings_section
from rashomon.profiles import Profile
from rashomon.store import Store

# A neutral, colour-blind-safe palette assigned to sides in profile order;
# colours carry no meaning beyond "which side".
PALETTE = ["#4477AA", "#CCBB44", "#AA3377", "#228833", "#66CCEE", "#EE6677"]
UNKNOWN_COLOUR = "#BBBBBB"

# Caps that keep a report of a large corpus readable (and its file size bounded).
MAX_TIMELINE = 400
MAX_STORIES = 300
MAX_GROUPS = 200
MAX_PAIRS_PER_GROUP = 50
MAX_BLINDSPOTS = 300
MAX_ENTITIES = 1000
QUOTES_PER_EVENT = 3
QUOTE_REACH = 300  # characters around an event within which a quote is shown beside it

_TEMPLATES = files("rashomon.present") / "templates"


def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _palette_css() -> str:
    """One class per palette slot, so side colours need no inline ``style`` attribute."""
    rules = [f".side.k{i}{{background:{c}}}.account.k{i}{{border-top-color:{c}}}"
             for i, c in enumerate(PALETTE)]
    rules.append(f".side.ku{{background:{UNKNOWN_COLOUR}}}"
                 f".account.ku{{border-top-color:{UNKNOWN_COLOUR}}}")
    return "\n".join(rules) + "\n"


def _sha256_source(text: str) -> str:
    """A CSP hash source for an inline element whose content is exactly ``text``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


STYLE = _asset("report.css") + _palette_css()
SCRIPT = _asset("report.js")
CSP = (f"default-src 'none'; script-src {_sha256_source(SCRIPT)}; "
       f"style-src {_sha256_source(STYLE)}; img-src data:; base-uri 'none'; form-action 'none'")


@cache
def environment() -> jinja2.Environment:
    """The template environment: package templates, autoescape on, ``None`` shown as ''."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("rashomon.present", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
        finalize=lambda value: "" if value is None else value,
    )


class Sides:
    """Side labels and colour classes, assigned in profile order (then alphabetically)."""

    def __init__(self, profile: Profile, seen: set[str]) -> None:
        order = list(profile.party_ids)
        order += sorted(s for s in seen if s not in order and s != "unknown")
        self.names = {p["id"]: p.get("name", p["id"]) for p in profile.parties}
        self.slot = {s: i % len(PALETTE) for i, s in enumerate(order)}
        self.order = order + ["unknown"]

    def css_class(self, side: str | None) -> str:
        """``k<slot>`` for a known side, ``ku`` (grey) for unknown ones."""
        slot = self.slot.get(side or "unknown")
        return "ku" if slot is None else f"k{slot}"

    def rank(self, side: str) -> int:
        return self.order.index(side) if side in self.order else 99


def build_report(store: Store, profile: Profile) -> str:
    """Render the whole report as one HTML string."""
    docs = {d.id: d for d in store.iter_documents()}
    side_of = {i: profile.side_of(d) for i, d in docs.items()}
    stories = sorted(store.records("stories"), key=lambda s: (s.get("date") or "9999", s["id"]))
    events = {e["id"]: e for e in store.records("events")}
    contradictions = store.records("contradictions")
    coverage_rows = store.records("coverage")
    sides = Sides(profile, set(side_of.values()))
    data = {i: {"text": d.text, "title": d.title, "publisher": d.publisher,
                "published": d.published, "side": side_of[i], "source": d.source}
            for i, d in docs.items()}
    # JSON inside <script> must not be able to close the element: escape '<'.
    payload = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
    return environment().get_template("report.html").render(
        csp=CSP, style=STYLE, script=SCRIPT, docs_json=payload, sides=sides,
        profile_name=profile.name, n_docs=len(docs),
        n_outlets=len({d.publisher for d in docs.values()}), n_stories=len(stories),
        n_contradictions=len(contradictions),
        timeline=_timeline(stories),
        stories=_stories(stories, events, store.records("quotes"), docs, side_of, sides,
                         coverage_rows),
        contradiction_groups=_contradiction_groups(contradictions),
        framing=_framing(store.records("framing"), sides),
        coverage=_coverage(stories, sides, coverage_rows),
        entities=_entities(store.records("entities"), store.records("mentions"), side_of),
        documents=_documents(docs, side_of),
        warnings=warnings_section(store),
        escalation=escalation_chart(store.records("escalation")
                                    if "escalation" in store.corpus_tables else []),
    )


def write_report(store: Store, profile: Profile, out: str | Path) -> Path:
    """Write the report atomically (a temporary file renamed into place)."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(build_report(store, profile), encoding="utf-8")
    tmp.replace(path)
    return path


def _timeline(stories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stories told by several sides or documents first; all stories if there are none."""
    shown = [s for s in stories
             if not s.get("attrs", {}).get("singleton") or len(s.get("sides", [])) > 1]
    return [{**s, "doc_ids": s.get("doc_ids", []), "sides": s.get("sides", [])}
            for s in (shown or stories)[:MAX_TIMELINE]]


def _stories(stories: list[dict[str, Any]], events: dict[str, dict[str, Any]],
             quotes: list[dict[str, Any]], docs: dict[str, Any], side_of: dict[str, str],
             sides: Sides, coverage: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Each story as its outlets told it, side by side, grouped by camp.

    One column per camp (profile order); inside it one block per outlet with
    that outlet's articles in the story and the events they tell, each event
    labelled with the fact (aligned event group) it belongs to, so the reader can
    follow one fact across the columns, and the quotes near it.  Under each camp,
    the facts other documents tell that this camp's documents leave out (the
    stored ``omission`` coverage rows).
    """
    quotes_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for q in quotes:
        quotes_by_doc[q["doc_id"]].append(q)
    left_out: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in coverage or []:
        if r.get("kind") == "omission":
            left_out[(r["story_id"], r["key"])].append(r.get("attrs") or {})
    multi = [s for s in stories if len(s.get("doc_ids", [])) > 1] or stories
    out = []
    for s in multi[:MAX_STORIES]:
        attrs = s.get("attrs") or {}
        fact_of = {e: k + 1 for k, g in enumerate(attrs.get("alignment") or [])
                   for e in g.get("event_ids", [])}
        roles = {d.get("id"): d.get("role") for d in attrs.get("documents") or []}
        doc_ids = list(s.get("doc_ids") or sorted({events[e]["doc_id"]
                                                   for e in s.get("event_ids", [])
                                                   if e in events}))
        evs_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for eid in s.get("event_ids", []):
            ev = events.get(eid)
            if ev:
                evs_of[ev["doc_id"]].append(ev)
        by_side: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for doc in doc_ids:
            d = docs.get(doc)
            by_side[side_of.get(doc, "unknown")][(d.publisher if d else None)
                                                 or "unknown outlet"].append(doc)
        shown_quotes: set[str] = set()
        accounts = []
        for side in sorted(by_side, key=sides.rank):
            outlets = []
            for outlet in sorted(by_side[side]):
                articles, items = [], []
                for doc in sorted(by_side[side][outlet],
                                  key=lambda i: ((docs[i].published or "") if i in docs else "",
                                                 i)):
                    d = docs.get(doc)
                    articles.append({"id": doc, "title": (d.title if d else None) or doc,
                                     "published": d.published if d else None,
                                     "round_up": roles.get(doc) == "round-up"})
                    for ev in sorted(evs_of.get(doc, []), key=lambda e: e["start"]):
                        items.append(_account_item(ev, quotes_by_doc, shown_quotes,
                                                   fact_of.get(ev["id"])))
                outlets.append({"outlet": outlet, "articles": articles, "items": items})
            accounts.append({"side": side, "outlets": outlets,
                             "left_out": left_out.get((s["id"], side), [])})
        end = s.get("date_end")
        out.append({"id": s["id"], "title": s.get("title"), "date": s.get("date"),
                    "date_end": end if end and end != s.get("date") else None,
                    "sides": s.get("sides", []), "accounts": accounts,
                    "level": attrs.get("level"), "n_docs": len(doc_ids),
                    "n_facts": len(attrs.get("alignment") or [])})
    return out


def _account_item(ev: dict[str, Any], quotes_by_doc: dict[str, list[dict[str, Any]]],
                  shown: set[str], fact: int | None) -> dict[str, Any]:
    """One event as an outlet told it, with the quotes near it (each quote shown once)."""
    mod = ev.get("modality") or {}
    rep = mod.get("reported_by")
    near = [q for q in quotes_by_doc.get(ev["doc_id"], [])
            if q["id"] not in shown
            and q["start"] < ev["end"] + QUOTE_REACH
            and ev["start"] - QUOTE_REACH < q["end"]][:QUOTES_PER_EVENT]
    shown.update(q["id"] for q in near)
    return {"event": ev, "quotes": near, "fact": fact,
            "flags": [k for k in ("negated", "hypothetical", "demanded") if mod.get(k)],
            "reported_by": rep if rep and rep != "outlet" else None}


def _contradiction_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Contradictions grouped by dispute, the most confident groups first."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in rows:
        groups[(c.get("attrs") or {}).get("group") or c["id"]].append(c)
    ordered = sorted(groups.values(), key=lambda g: (-max(c["confidence"] for c in g), g[0]["kind"]))
    out = []
    for group in ordered[:MAX_GROUPS]:
        first = group[0]
        slots = first["a"].get("slots") or {}
        subject = slots.get("about") or slots.get("object") or slots.get("decision") \
            or slots.get("unit") or ""
        voices = {(x.get("speaker") or x.get("outlet") or "outlet", x.get("side"))
                  for c in group for x in (c["a"], c["b"])}
        out.append({"kind": first["kind"], "subject": subject, "n_pairs": len(group),
                    "n_voices": len(voices),
                    "sides": sorted({v[1] or "unknown" for v in voices}),
                    "pairs": group[:MAX_PAIRS_PER_GROUP]})
    return out


def _framing(rows: list[dict[str, Any]], sides: Sides) -> list[dict[str, Any]]:
    """One table per (kind, referent): each term's count per side and a first example."""
    by_ref: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_ref[(r.get("kind", ""), r.get("referent") or "")].append(r)
    seen_sides = sorted({r.get("side") or "unknown" for r in rows}, key=sides.rank)
    tables = []
    for (kind, ref), items in sorted(by_ref.items()):
        terms: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for r in items:
            terms[r.get("term", "")][r.get("side") or "unknown"] = r
        table_rows = []
        for term, per_side in sorted(terms.items(), key=lambda kv: -sum(
                int(v.get("count", 0)) for v in kv[1].values())):
            counts = []
            example = None
            for s in seen_sides:
                r = per_side.get(s)
                counts.append(int(r.get("count", 0)) if r else "")
                if r and example is None and r.get("examples"):
                    example = r["examples"][0]
            table_rows.append({"term": term, "counts": counts, "example": example})
        tables.append({"label": items[0].get("label") or ref, "kind": kind,
                       "sides": seen_sides, "rows": table_rows})
    return tables


def _coverage(stories: list[dict[str, Any]], sides: Sides,
              rows_stored: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """Stories per side, the stories only one side reports and the facts each side left out
    in stories it covered (stored ``omission`` rows); None with under two sides."""
    all_sides = sorted({s for st in stories for s in st.get("sides", [])}, key=sides.rank)
    known = [s for s in all_sides if s != "unknown"]
    if len(known) < 2:
        return None
    blind = [s for s in stories if len([x for x in s.get("sides", []) if x != "unknown"]) == 1]
    counts = Counter(next(x for x in s["sides"] if x != "unknown") for s in blind)
    omitted = Counter(r["key"] for r in rows_stored or [] if r.get("kind") == "omission")
    rows = [{"side": side, "n": sum(1 for s in stories if side in s.get("sides", [])),
             "only": counts.get(side, 0), "facts_left_out": omitted.get(side, 0)}
            for side in known]
    return {"rows": rows, "blind": blind[:MAX_BLINDSPOTS]}


def _entities(entities: list[dict[str, Any]], mentions: list[dict[str, Any]],
              side_of: dict[str, str]) -> list[dict[str, Any]]:
    """Entities by mention count: the names used for each and how often each side names it."""
    per: dict[str, dict[str, Any]] = {}
    for m in mentions:
        e = per.setdefault(m["entity_id"], {"n": 0, "surfaces": Counter(), "sides": Counter(),
                                            "first": m})
        e["n"] += 1
        e["surfaces"][m["surface"]] += 1
        e["sides"][side_of.get(m["doc_id"], "unknown")] += 1
    names = {e["id"]: e for e in entities}
    out = []
    for eid, info in sorted(per.items(), key=lambda kv: -kv[1]["n"])[:MAX_ENTITIES]:
        ent = names.get(eid, {})
        first = info["first"]
        out.append({"first": first, "name": ent.get("name") or eid,
                    "kind": ent.get("kind") or first.get("kind"), "n": info["n"],
                    "sides": info["sides"].most_common(),
                    "surfaces": info["surfaces"].most_common(8)})
    return out


def _documents(docs: dict[str, Any], side_of: dict[str, str]) -> list[dict[str, Any]]:
    """Every document, oldest first (undated ones at the top)."""
    return [{"id": i, "title": d.title, "source": d.source, "publisher": d.publisher,
             "side": side_of[i], "published": d.published,
             "published_inferred": d.published_inferred, "n_comments": len(d.comments),
             "n_references": len(d.references)}
            for i, d in sorted(docs.items(), key=lambda kv: (kv[1].published or "", kv[0]))]
