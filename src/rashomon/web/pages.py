"""The browser UI: server-rendered jinja2 pages over the same Catalog as the API.

Pages are plain HTML with autoescape on for every template; the only scripts
are files under ``/static`` (the CSP allows nothing else), which add review
buttons, highlight toggles, sortable tables and the Leaflet map.  Links to
outside URLs are emitted only for http(s) addresses (:func:`safe_url`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from rashomon.store import StoreError
from rashomon.web import charts
from rashomon.web.query import Catalog, kinds

TEMPLATES = Path(__file__).parent / "templates"
HL_KINDS = (("quotes", "q"), ("events", "e"), ("claims", "c"), ("mentions", "m"))


def safe_url(url: Any) -> str | None:
    """The URL if it is http(s) (so never ``javascript:`` or ``data:``), else None."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.ChainableUndefined)
    env.filters["safe_url"] = safe_url
    env.filters["qs"] = lambda d: urlencode({k: v for k, v in d.items() if v not in (None, "")})
    # keeps empty values: "status=" means "any status" where a page has a default
    env.filters["qs_all"] = lambda d: urlencode({k: v for k, v in d.items() if v is not None})
    env.filters["fmt"] = lambda v, n=2: (f"{v:.{n}f}" if isinstance(v, float) else
                                         ("" if v is None else v))
    return env


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """FTS snippet text split at its ``[``/``]`` hit markers: (text, is_hit) pieces."""
    out: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.split("[")):
        if i == 0:
            out.append((chunk, False))
            continue
        hit, _, rest = chunk.partition("]")
        out += [(hit, True), (rest, False)]
    return [p for p in out if p[0]]


def segments(text: str, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cut the body at every span boundary; each piece knows which kinds cover it.

    Overlapping evidence (a claim inside a quote, a mention inside both) stays
    visible: a piece gets one class per covering kind, and each record's id
    is an anchor at the piece where it starts.
    """
    n = len(text)
    cuts = {0, n}
    for s in spans:
        s["start"], s["end"] = max(0, min(n, s["start"])), max(0, min(n, s["end"]))
        cuts.update((s["start"], s["end"]))
    bounds = sorted(cuts)
    starts: dict[int, list[str]] = defaultdict(list)
    for s in spans:
        starts[s["start"]].append(s["id"])
    out = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if a == b:
            continue
        cover = sorted({s["cls"] for s in spans if s["start"] <= a and s["end"] >= b
                        and s["end"] > s["start"]})
        out.append({"text": text[a:b], "cls": " ".join(f"hl-{c}" for c in cover),
                    "anchors": starts.get(a, [])})
    return out


def add_pages(app: FastAPI, catalog: Catalog, config: Any) -> None:
    env = environment()

    def render(request: Request, name: str, **ctx: Any) -> HTMLResponse:
        ctx.update(request_path=request.url.path, writes_need_token=bool(config.token),
                   nav=NAV)
        return HTMLResponse(env.get_template(name).render(**ctx))

    def camp_classes() -> dict[str, str]:
        camps = {d.get("side") for d in catalog.doc_meta().values() if d.get("side")}
        return charts.camp_classes(sorted(c for c in camps if c))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview(request: Request) -> HTMLResponse:
        meta = catalog.doc_meta()
        counts = {k: len(catalog.table(k).rows) for k in kinds()}
        by_camp: dict[str, Counter[str]] = defaultdict(Counter)
        for d in meta.values():
            by_camp[d.get("side") or "(none)"][d.get("publisher") or "(unknown)"] += 1
        events = catalog.query("events", {}, limit=1_000_000)["items"]
        cls = camp_classes()
        stories = catalog.query("stories", {}, sort="-n_docs", limit=10)["items"]
        return render(request, "overview.html", counts=counts, by_camp=by_camp, classes=cls,
                      timeline=charts.timeline(events, cls),
                      escalation=charts.escalation(events, cls), stories=stories)

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, plover: str | None = Query(None, max_length=100)
                      ) -> HTMLResponse:
        events = catalog.query("events", {"plover": plover}, limit=1_000_000)["items"]
        types = catalog.query("events", {}, limit=0, facets=["plover"])["facets"]["plover"]
        cls = camp_classes()
        return render(request, "timeline.html", timeline=charts.timeline(events, cls),
                      escalation=charts.escalation(events, cls), plover=plover, types=types)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = Query("", max_length=500),
                    outlet: str | None = Query(None, max_length=300),
                    camp: str | None = Query(None, max_length=300)) -> HTMLResponse:
        result, error = None, None
        if q.strip():
            try:
                result = catalog.search(q, 100, 0, outlet, camp)
                for h in result["items"]:
                    h["parts"] = snippet_parts(h.get("snippet") or "")
            except StoreError as exc:
                error = str(exc)
        return render(request, "search.html", q=q, outlet=outlet, camp=camp, result=result,
                      error=error)

    @app.get("/documents", response_class=HTMLResponse, include_in_schema=False)
    def documents_page(request: Request, outlet: str | None = Query(None, max_length=300),
                       camp: str | None = Query(None, max_length=300),
                       offset: int = Query(0, ge=0)) -> HTMLResponse:
        page = catalog.query("documents", {"outlet": outlet, "camp": camp}, sort="-date",
                             limit=200, offset=offset, facets=["outlet", "camp"])
        return render(request, "documents.html", page=page, outlet=outlet, camp=camp)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        docs = catalog.store().documents_by_id([doc_id])
        if not docs:
            raise HTTPException(404, f"no document {doc_id!r}")
        doc = docs[0]
        spans, records = [], {}
        for kind, cls in HL_KINDS:
            rows = catalog.of_document(kind, doc.id) if kind in kinds() else []
            records[kind] = rows
            spans += [{"start": r["start"], "end": r["end"], "cls": cls, "id": str(r["id"])}
                      for r in rows if isinstance(r.get("start"), int)]
        ents = {}
        for m in records.get("mentions", []):
            ents.setdefault(m.get("entity_id"), m)
        return render(request, "document.html", doc=doc, segs=segments(doc.text, spans),
                      records=records, entities=list(ents.values()))

    _add_story_pages(app, catalog, render, camp_classes)




NAV = [("/", "Overview"), ("/search", "Search"), ("/documents", "Documents"),
       ("/stories", "Stories"), ("/contradictions", "Contradictions"), ("/framing", "Framing"),
       ("/timeline", "Charts"), ("/map", "Map"), ("/warnings", "Warnings"),
       ("/entities", "Entities")]


def _add_story_pages(app: FastAPI, catalog: Catalog, render: Any,
                     camp_classes: Any) -> None:
    """The story, contradiction, framing, map, warning and entity pages (split from
    :func:`add_pages` to keep each registering function readable)."""
    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, camp: str | None = Query(None, max_length=300),
                     multi: bool = Query(False), offset: int = Query(0, ge=0)) -> HTMLResponse:
        extra = (lambda f: len(f.get("camp") or []) > 1) if multi else None
        page = catalog.query("stories", {"camp": camp}, sort="-n_docs", limit=100,
                             offset=offset, facets=["camp"], extra=extra)
        return render(request, "stories.html", page=page, camp=camp, multi=multi)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str) -> HTMLResponse:
        story = catalog.get("stories", story_id)
        if story is None:
            raise HTTPException(404, f"no story {story_id!r}")
        meta = catalog.doc_meta()
        events = [e for e in (catalog.get("events", i) for i in story.get("event_ids") or [])
                  if e]
        ev_ids = {e["id"] for e in events}
        claims = [c for c in catalog.table("claims").rows if c.get("event_id") in ev_ids] \
            if "claims" in kinds() else []
        camps: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for did in story.get("doc_ids") or []:
            m = meta.get(did)
            if not m:
                continue
            col = camps[m.get("side") or "(none)"].setdefault(
                m.get("publisher") or "(unknown)", {"docs": [], "events": [], "claims": []})
            col["docs"].append(m)
            col["events"] += [e for e in events if e["doc_id"] == did]
            col["claims"] += [c for c in claims if c["doc_id"] == did]
        all_camps = sorted({d.get("side") for d in meta.values() if d.get("side")})
        blind = [c for c in catalog.table("coverage").rows
                 if c.get("kind") == "blindspot" and c.get("story_id") == story_id]
        missing = [c for c in all_camps if c not in camps]
        contra = [c for c in catalog.table("contradictions").rows
                  if c.get("story_id") == story_id]
        return render(request, "story.html", story=story, camps=dict(sorted(camps.items())),
                      blindspots=blind, missing=missing, classes=camp_classes(),
                      contradictions=contra)

    @app.get("/contradictions", response_class=HTMLResponse, include_in_schema=False)
    def contradictions_page(request: Request,
                            status: str | None = Query("new", max_length=20),
                            kind: str | None = Query(None, max_length=100),
                            offset: int = Query(0, ge=0)) -> HTMLResponse:
        page = catalog.query("contradictions", {"status": status or None, "kind": kind},
                             sort="-confidence", limit=50, offset=offset,
                             facets=["status", "kind"])
        return render(request, "contradictions.html", page=page, status=status, kind=kind)

    @app.get("/framing", response_class=HTMLResponse, include_in_schema=False)
    def framing_page(request: Request) -> HTMLResponse:
        rows = catalog.table("framing").rows
        groups: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        labels: dict[str, str] = {}
        for r in rows:
            ref = r.get("referent") or r.get("label") or "(other)"
            labels.setdefault(ref, r.get("label") or ref)
            groups[ref][r.get("side") or "(none)"][r.get("term") or "?"] += int(r.get("count") or 1)
        camps = sorted({c for g in groups.values() for c in g})
        return render(request, "framing.html", groups=dict(sorted(groups.items())),
                      labels=labels, camps=camps, classes=camp_classes())

    @app.get("/map", response_class=HTMLResponse, include_in_schema=False)
    def map_page(request: Request) -> HTMLResponse:
        n = catalog.query("events", {}, limit=0, extra=lambda f: f.get("lat") is not None)
        return render(request, "map.html", located=n["total"], camps=sorted(camp_classes()))

    @app.get("/warnings", response_class=HTMLResponse, include_in_schema=False)
    def warnings_page(request: Request) -> HTMLResponse:
        page = catalog.query("warnings", {}, sort="-date", limit=500, facets=["status"])
        cols = [c for c in ("date", "level", "score", "kind", "title", "summary", "message",
                            "place", "story_id") if any(c in r for r in page["items"])]
        return render(request, "warnings.html", page=page, cols=cols)

    @app.get("/entities", response_class=HTMLResponse, include_in_schema=False)
    def entities_page(request: Request, kind: str | None = Query(None, max_length=100)
                      ) -> HTMLResponse:
        page = catalog.query("entities", {"kind": kind}, sort="id", limit=5000,
                             facets=["kind"])
        mentions = Counter(m.get("entity_id") for m in catalog.table("mentions").rows)
        return render(request, "entities.html", page=page, kind=kind, mentions=mentions)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: str) -> HTMLResponse:
        ent = catalog.get("entities", entity_id)
        if ent is None:
            raise HTTPException(404, f"no entity {entity_id!r}")
        meta = catalog.doc_meta()
        names: dict[str, Counter[str]] = defaultdict(Counter)
        for m in catalog.table("mentions").rows:
            if m.get("entity_id") == entity_id:
                names[(meta.get(m["doc_id"]) or {}).get("publisher") or "(unknown)"][
                    m.get("surface") or ""] += 1
        events = [e for e in catalog.query("events", {}, limit=1_000_000)["items"]
                  if entity_id in (e.get("source_entity_id"), e.get("target_entity_id"),
                                   e.get("place_entity_id"))]
        quotes = catalog.query("quotes", {"speaker_entity_id": entity_id}, limit=200)["items"]
        return render(request, "entity.html", ent=ent, names=dict(sorted(names.items())),
                      events=events[:200], quotes=quotes)
