"""The FastAPI application: the REST API under ``/api`` and the browser UI, one process.

Security, in layers:

* every response carries a Content-Security-Policy that allows scripts and
  styles from this server only (``script-src 'self'``: no inline script, no
  ``on*`` attributes, no ``javascript:`` URLs), images from here and
  ``data:``, and nothing else; plus ``nosniff``, ``no-referrer`` and
  ``frame-ancestors 'none'``;
* the Host header must name the address the server listens on (or
  ``localhost``), so a web page cannot reach a loopback server through DNS
  rebinding;
* with a token, every write (reviews, ingest) needs ``Authorization: Bearer
  <token>`` (a header, not a cookie, so a cross-site form cannot forge it);
* request bodies are capped; ingest fetches follow the safe fetching rules.
"""

from __future__ import annotations

import hmac
import inspect
import ipaddress
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rashomon.store import StoreError
from rashomon.web.jobs import UPLOAD_META, JobRunner, safe_upload_name
from rashomon.web.query import Catalog, QueryError, fields_of, kinds, sortable

STATIC = Path(__file__).parent / "static"
try:
    __version__ = metadata.version("rashomon")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+source"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'; object-src 'none'")
MAX_BODY = 20_000_000
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@dataclass
class ServeConfig:
    """How ``rashomon serve`` was started."""

    db: Path
    host: str = "127.0.0.1"
    port: int = 8000
    token: str | None = None
    allow_private: bool = False
    fetch_timeout: float = 20.0


class SecurityHeaders:
    """Pure ASGI middleware: security headers on every response, request bodies capped."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length and length.isdigit() and int(length) > MAX_BODY:
            resp = JSONResponse({"detail": f"request body over {MAX_BODY} bytes"}, 413)
            await resp(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers += [(b"content-security-policy", CSP.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"no-referrer"),
                            (b"x-frame-options", b"DENY"),
                            (b"cross-origin-opener-policy", b"same-origin")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class Page(BaseModel):
    """One page of records, the total matching, and value counts of the asked facets."""

    kind: str
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]
    facets: dict[str, dict[str, int]]


class SearchPage(BaseModel):
    """Ranked hits; ``note`` says when the query was not FTS5 syntax and was read as words."""

    query: str
    total: int
    limit: int
    offset: int
    items: list[dict[str, Any]]
    facets: dict[str, dict[str, int]]
    note: str | None = None


class ItemOut(BaseModel):
    """One record with the evidence spans it stands on (text cut from the document)."""

    kind: str
    item: dict[str, Any]
    evidence: list[dict[str, Any]]


class ReviewIn(BaseModel):
    status: Literal["new", "confirmed", "rejected"]
    note: str | None = Field(default=None, max_length=4000)


class UploadIn(BaseModel):
    name: str = Field(max_length=300, description="File name; its suffix picks the reader "
                      "(.txt .md .html .htm .jsonl .xml .rss .atom).")
    content: str = Field(max_length=MAX_BODY)
    meta: dict[str, str] = Field(default_factory=dict, description="Manifest fields: "
                                 "id, title, publisher, author, published, language, side.")


class IngestIn(BaseModel):
    urls: list[str] = Field(default_factory=list, max_length=500,
                            description="http(s) URLs of articles, feeds or URL lists.")
    files: list[UploadIn] = Field(default_factory=list, max_length=500)
    analyze: bool = Field(default=False, description="Analyse after ingesting.")
    profile: str | None = Field(default=None, max_length=200,
                                description="Bundled profile name for the analysis "
                                "(default: the one the corpus matches, else generic).")


class JobOut(BaseModel):
    id: str
    status: str
    urls: list[str]
    files: list[str]
    analyze: bool
    profile: str | None
    created: float
    started: float | None
    finished: float | None
    errors: list[str]
    result: dict[str, Any]


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The query cannot be answered as asked"},
    404: {"description": "No such record"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or wrong bearer token"},
    400: {"description": "Not a usable request"},
    404: {"description": "No such record"},
}


def allowed_hosts(host: str) -> list[str]:
    """Host header values accepted: the bound address and loopback names (no rebinding)."""
    hosts = {host, "127.0.0.1", "localhost", "[::1]", "::1"}
    try:
        if ipaddress.ip_address(host).is_unspecified:
            return ["*"]  # listening everywhere: the operator chose exposure (token advised)
    except ValueError:
        pass
    return sorted(hosts)


def create_app(config: ServeConfig) -> FastAPI:
    """The whole server for one workspace: API, pages, static assets."""
    from rashomon.web.pages import add_pages

    app = FastAPI(title="Rashomon", version=__version__,
                  description="Source-attributed evidence from partisan news coverage: "
                              "documents, events, quotes, claims, stories, contradictions, "
                              "framing, coverage, entities and warnings, each with its "
                              "evidence spans.", docs_url=None, redoc_url=None)
    catalog = Catalog(config.db)
    runner = JobRunner(config.db, allow_private=config.allow_private,
                       fetch_timeout=config.fetch_timeout)
    app.state.catalog, app.state.runner, app.state.config = catalog, runner, config
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(config.host))
    app.add_middleware(SecurityHeaders)

    def require_token(request: Request) -> None:
        if not config.token:
            return
        got = request.headers.get("authorization", "")
        scheme, _, value = got.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(),
                                                                 config.token.encode()):
            raise HTTPException(401, "this server needs Authorization: Bearer <token> for writes",
                                headers={"WWW-Authenticate": "Bearer"})

    @app.get("/api", tags=["meta"])
    def api_index() -> dict[str, Any]:
        """Record kinds with their counts, filter fields and sort fields."""
        return {"version": __version__, "writes_need_token": bool(config.token),
                "kinds": {k: {"count": catalog.table(k).rows.__len__(),
                              "filters": list(fields_of(k)), "sort": list(sortable(k)),
                              "list": f"/api/{k}", "item": f"/api/{k}/{{id}}"}
                          for k in kinds()}}

    @app.get("/api/search", response_model=SearchPage, tags=["search"], responses=ERRORS)
    def api_search(q: str = Query(..., min_length=1, max_length=500,
                                  description="FTS5 query; quote phrases"),
                   outlet: str | None = Query(None, max_length=300),
                   camp: str | None = Query(None, max_length=300),
                   limit: int = Query(20, ge=1, le=200),
                   offset: int = Query(0, ge=0, le=100_000)) -> dict[str, Any]:
        """Ranked full-text hits with snippets, faceted by outlet and camp."""
        # a plain ``def`` (thread pool): SQLite's FTS work releases the GIL, so searches
        # overlap with each other and with the event loop's list requests
        try:
            return catalog.search(q, limit, offset, outlet, camp)
        except StoreError as exc:
            raise HTTPException(400, str(exc)) from exc

    @app.get("/api/geo/events", tags=["records"])
    def api_geo_events(plover: str | None = Query(None, max_length=100),
                       camp: str | None = Query(None, max_length=300),
                       outlet: str | None = Query(None, max_length=300)) -> dict[str, Any]:
        """Events with a located place, as a GeoJSON FeatureCollection (lon, lat)."""
        page = catalog.query("events", {"plover": plover, "camp": camp, "outlet": outlet},
                             limit=100_000,
                             extra=lambda f: f.get("lat") is not None and f.get("lon") is not None)
        feats = [{"type": "Feature", "id": e["id"],
                  "geometry": {"type": "Point", "coordinates": [e["lon"], e["lat"]]},
                  "properties": {**{k: e.get(k) for k in ("id", "doc_id", "date", "plover",
                                                          "cameo", "place_name", "outlet",
                                                          "camp", "goldstein")},
                                 # a popup's excerpt; the whole record is one click away
                                 "sentence": (e.get("sentence") or "")[:240]}}
                 for e in page["items"]]
        return {"type": "FeatureCollection", "features": feats}

    for kind in kinds():
        _add_kind_routes(app, catalog, kind)

    @app.post("/api/contradictions/{item_id}/review", tags=["review"], responses=WRITE_ERRORS,
              dependencies=[Depends(require_token)])
    def review_contradiction(item_id: str, review: ReviewIn) -> dict[str, Any]:
        """Set a contradiction's review status; kept in the reviews log, re-attached on rebuilds."""
        try:
            return catalog.store().set_contradiction_status(item_id, review.status, review.note)
        except StoreError as exc:
            raise HTTPException(404, str(exc)) from exc

    @app.post("/api/warnings/{item_id}/review", tags=["review"], responses=WRITE_ERRORS,
              dependencies=[Depends(require_token)])
    def review_warning(item_id: str, review: ReviewIn) -> dict[str, Any]:
        """Set an early warning's review status (kept in the reviews log)."""
        try:
            return catalog.store().set_record_review("warning", "warnings", item_id,
                                                     review.status, review.note)
        except StoreError as exc:
            raise HTTPException(404, str(exc)) from exc

    @app.post("/api/ingest", tags=["ingest"], status_code=202, response_model=JobOut,
              responses=WRITE_ERRORS, dependencies=[Depends(require_token)])
    def api_ingest(body: IngestIn) -> dict[str, Any]:
        """Queue an ingest job (URLs and/or uploaded files); poll ``/api/jobs/{id}``.

        URLs are fetched with the safe fetching rules: http(s) only, never a
        private, loopback or link-local address (unless the server was started
        with ``--allow-private``), one deadline per fetch, size caps.
        """
        if not body.urls and not body.files:
            raise HTTPException(400, "give urls or files")
        files: dict[str, str] = {}
        meta: dict[str, dict[str, str]] = {}
        for i, f in enumerate(body.files):
            try:
                name = safe_upload_name(f.name, i)
            except ValueError as exc:
                raise HTTPException(400, f"error: {exc}") from exc
            unknown = sorted(set(f.meta) - set(UPLOAD_META))
            if unknown:
                raise HTTPException(400, f"error: {f.name!r}: unknown meta field(s) "
                                         f"{', '.join(unknown)}; known: {', '.join(UPLOAD_META)}")
            files[name], meta[name] = f.content, dict(f.meta)
        return runner.submit(body.urls, files, body.analyze, body.profile, meta).to_dict()

    @app.get("/api/jobs", tags=["ingest"])
    def api_jobs() -> list[dict[str, Any]]:
        """Every ingest job this server has run or queued (newest first)."""
        return [j.to_dict() for j in sorted(runner.jobs.values(), key=lambda j: -j.created)]

    @app.get("/api/jobs/{job_id}", tags=["ingest"], response_model=JobOut, responses=ERRORS)
    def api_job(job_id: str) -> dict[str, Any]:
        job = runner.jobs.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id!r}")
        return job.to_dict()

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    add_pages(app, catalog, config)
    return app


def _add_kind_routes(app: FastAPI, catalog: Catalog, kind: str) -> None:
    """``GET /api/<kind>`` (filters from the kind's fields) and ``GET /api/<kind>/{id}``.

    The read endpoints are ``async``: their work is a millisecond of Python over
    cached tables (or one indexed SQLite query), cheaper on the event loop than
    a hop to the thread pool and back, which under 50 concurrent clients cost
    more than the work itself.
    """
    fields = fields_of(kind)
    sorts = sortable(kind)
    sort_values = Literal.__getitem__(tuple(sorts) + tuple("-" + s for s in sorts))  # type: ignore[attr-defined]
    facet_values = Literal.__getitem__(tuple(fields))  # type: ignore[attr-defined]

    async def list_records(**kw: Any) -> Response:
        filters = {f: kw.get(f) for f in fields}
        lo, hi = kw.get("goldstein_min"), kw.get("goldstein_max")
        min_conf, has_place = kw.get("min_confidence"), kw.get("has_place")

        def extra(flat: dict[str, Any]) -> bool:
            g = flat.get("goldstein")
            if lo is not None and (g is None or g < lo):
                return False
            if hi is not None and (g is None or g > hi):
                return False
            if min_conf is not None and (flat.get("confidence") or 0) < min_conf:
                return False
            return has_place is None or (flat.get("lat") is not None) == has_place

        try:
            page = catalog.query(kind, filters, q=kw.get("q"), date_from=kw.get("date_from"),
                                 date_to=kw.get("date_to"), sort=kw.get("sort"),
                                 limit=kw["limit"], offset=kw["offset"],
                                 facets=kw.get("facet") or (), as_json=True,
                                 extra=extra if any(x is not None for x in
                                                    (lo, hi, min_conf, has_place)) else None)
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from exc
        # The items are serialised once per table load (Catalog); the page is spliced in
        # rather than re-encoded per request.  The shape is the declared Page model.
        items = page.pop("items_json")
        head = json.dumps(page, ensure_ascii=False)
        return Response(head[:-1] + ', "items": ' + items + "}", media_type="application/json")

    params = [inspect.Parameter(f, inspect.Parameter.KEYWORD_ONLY,
                                default=Query(None, max_length=500,
                                              description=f"exact {f} (a list field: contains)"),
                                annotation=str | None) for f in fields]
    params += [
        inspect.Parameter("q", inspect.Parameter.KEYWORD_ONLY, annotation=str | None,
                          default=Query(None, max_length=500,
                                        description="substring of the text fields")),
        inspect.Parameter("date_from", inspect.Parameter.KEYWORD_ONLY, annotation=str | None,
                          default=Query(None, pattern=DATE, description="ISO date, inclusive")),
        inspect.Parameter("date_to", inspect.Parameter.KEYWORD_ONLY, annotation=str | None,
                          default=Query(None, pattern=DATE, description="ISO date, inclusive")),
        inspect.Parameter("sort", inspect.Parameter.KEYWORD_ONLY, annotation=sort_values | None,
                          default=Query(None, description="field, or -field for descending")),
        inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, annotation=int,
                          default=Query(50, ge=1, le=500)),
        inspect.Parameter("offset", inspect.Parameter.KEYWORD_ONLY, annotation=int,
                          default=Query(0, ge=0, le=10_000_000)),
        inspect.Parameter("facet", inspect.Parameter.KEYWORD_ONLY,
                          annotation=list[facet_values] | None,
                          default=Query(None, description="count values of these fields")),
    ]
    if kind == "events":
        params += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=float | None,
                                     default=Query(None, ge=-10, le=10))
                   for n in ("goldstein_min", "goldstein_max")]
        params.append(inspect.Parameter("has_place", inspect.Parameter.KEYWORD_ONLY,
                                        annotation=bool | None, default=Query(None)))
    if kind == "contradictions":
        params.append(inspect.Parameter("min_confidence", inspect.Parameter.KEYWORD_ONLY,
                                        annotation=float | None, default=Query(None, ge=0, le=1)))
    list_records.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    list_records.__name__ = f"list_{kind}"
    list_records.__doc__ = (f"List {kind}: filter by exact field values, date range and text, "
                            "sort, paginate, and count facets.")
    app.add_api_route(f"/api/{kind}", list_records, methods=["GET"], response_model=Page,
                      tags=["records"], responses=ERRORS, name=f"list_{kind}")

    async def get_record(item_id: str) -> dict[str, Any]:
        if kind == "documents":
            return document_payload(catalog, item_id)
        rec = catalog.get(kind, item_id)
        if rec is None:
            raise HTTPException(404, f"no {kind} record {item_id!r}")
        return {"kind": kind, "item": rec, "evidence": catalog.evidence(kind, rec)}

    get_record.__name__ = f"get_{kind}"
    get_record.__doc__ = f"One {kind} record with the evidence spans it stands on."
    app.add_api_route(f"/api/{kind}/{{item_id}}", get_record, methods=["GET"],
                      response_model=ItemOut, tags=["records"], responses=ERRORS,
                      name=f"get_{kind}")


def document_payload(catalog: Catalog, doc_id: str) -> dict[str, Any]:
    """A document (body and metadata) with its records as evidence spans by layer."""
    docs = catalog.store().documents_by_id([doc_id])
    if not docs:
        raise HTTPException(404, f"no documents record {doc_id!r}")
    doc = docs[0]
    item = dict(doc.__dict__)
    item.update(outlet=doc.publisher, camp=doc.side)
    item = {k: (v if isinstance(v, str | int | float | bool | type(None)) else
                _plain(v)) for k, v in item.items()}
    evidence = []
    for kind in ("quotes", "events", "claims", "mentions"):
        if kind not in kinds():
            continue
        for r in catalog.of_document(kind, doc.id):
            evidence.append({"role": kind, "record_id": r.get("id"), "doc_id": doc.id,
                             "start": r["start"], "end": r["end"],
                             "text": doc.text[r["start"]:r["end"]]})
    return {"kind": "documents", "item": item, "evidence": evidence}


def _plain(v: Any) -> Any:
    """Nested model objects as JSON-ready values."""
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if hasattr(v, "__dict__"):
        return _plain(vars(v))
    return v
