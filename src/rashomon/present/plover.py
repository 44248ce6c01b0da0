"""PLOVER JSON Lines export: one event per line, in the PLOVER manual's data fields.

The PLOVER manual (chapter 6, "Data Fields") names the fields of an event
record; its tables write multi-word names with spaces ("event loc", "cite
info").  Those words are joined here the way PLOVER's own gold records join
``eventText`` and ``textInfo`` (lower camel case), so every name is a valid
identifier.  File: ``plover.jsonl`` (the manual recommends newline-delimited
JSON); the fields:

* ``id`` (the event id), ``date`` (``YYYY-MM-DD``; the event's own date, else
  its document's publication date), ``enddate`` (a range's end);
* ``actor`` / ``recipient``: lists of entity objects ``{code, sector,
  entityText, identifierId, identifierText}`` (``code``: the ISO3 country or
  PLOVER's international code; ``identifierId``/``identifierText``: our entity
  id and canonical name) or ``null`` when there is none; the recipients of
  same-category events folded into this one ("killed two and wounded five")
  join its recipient list;
* ``event`` (list of PLOVER categories), ``mode`` (list of modes), ``context``
  (list: the code's contexts, then PLOVER's auxiliary modes ``historical``,
  ``future``, ``hypothetical``, ``negation`` where the event is told so, as the
  manual puts them in the context);
* ``eventText`` (list: the trigger), ``quadCode`` (1 verbal cooperation, 2
  material cooperation, 3 verbal conflict, 4 material conflict, from the CAMEO
  root), ``eventScale`` (the PLOVER score);
* ``eventLoc``: the location object ``{extractedPlace, resolvedPlace,
  geonameid, lat, lon, province, country, countryCode, featureClass,
  resolution}`` (resolution 1 country, 2 province, 4 city; ``null`` fields when
  the gazetteer does not know them), or ``null`` when the event has no place;
* ``size``: ``{dead}`` from the sentence (the ACLED fatality rule);
* ``text`` (the evidence sentence), ``textInfo`` ``{start, end}`` (character
  offsets into the document);
* ``citeInfo``: ``{url, title, publication, language, corpus, coder}`` of the
  source document (``publication`` is the outlet), and ``citeDate``, the
  document's publication date;
* ``coder``; and ours: ``docId``, ``cameo``, ``main`` (the
  document's main event), ``modality`` (our full modality record),
  ``acled`` (the stored ACLED typing).

A missing value is ``null``, never ``""``.  CAMEO 01x statements have no PLOVER
category and are left out.  ``rashomon/data/plover_schema.yaml`` is the JSON
Schema of one line (:func:`schema`); the tests validate the export against it.
"""

from __future__ import annotations

import json
from datetime import date as _date
from pathlib import Path
from typing import Any

from rashomon.analyze.acled import fatalities
from rashomon.analyze.events import code_info
from rashomon.model import Actor, Event
from rashomon.present.acled import country_name, place_admin1
from rashomon.store import Store

CODER = "rashomon"
SCHEMA_FILE = "plover_schema.yaml"
#: the manual's fields this export writes, in order (ours after them)
FIELDS = ("id", "date", "enddate", "actor", "recipient", "event", "mode", "context",
          "eventText", "quadCode", "eventScale", "eventLoc", "size", "text", "textInfo",
          "citeInfo", "citeDate", "coder", "docId", "cameo", "main", "modality",
          "acled")
ENTITY_FIELDS = ("code", "sector", "entityText", "identifierId", "identifierText")
LOCATION_FIELDS = ("extractedPlace", "resolvedPlace", "geonameid", "lat", "lon", "province",
                   "country", "countryCode", "featureClass", "resolution")
CITE_FIELDS = ("url", "title", "publication", "language", "corpus", "coder")
#: modality flag -> PLOVER auxiliary mode (the manual's section 2.3)
AUXILIARY = {"background": "historical", "future": "future", "hypothetical": "hypothetical",
             "conditional": "hypothetical", "negated": "negation"}


def _blank(value: Any) -> Any:
    """``None`` for an empty string or list: PLOVER writes null for a missing value."""
    return None if value in ("", [], {}) else value


def entity(actor: Actor | None, entities: dict[str, dict[str, Any]]) -> list[dict[str, Any]] | None:
    """An actor as a PLOVER entity list (one member), or None."""
    if actor is None:
        return None
    ent = entities.get(actor.entity_id or "") or {}
    return [{"code": _blank(actor.country), "sector": _blank(actor.sector),
             "entityText": _blank(actor.name), "identifierId": _blank(actor.entity_id),
             "identifierText": _blank(ent.get("name"))}]


def _recipients(ev: Event, entities: dict[str, dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The event's recipient and those of the same-category events folded into it
    (``attrs["more_recipients"]``): PLOVER codes one record with a recipient list."""
    out = entity(ev.target_actor, entities) or []
    for extra in ev.attrs.get("more_recipients") or []:
        out += entity(Actor.from_dict(extra), entities) or []
    return out or None


def quad_code(cameo: str) -> int | None:
    """PLOVER's quad code from the CAMEO root: 1 verbal cooperation (01-05), 2 material
    cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20)."""
    try:
        root = int(cameo[:2])
    except ValueError:
        return None
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4 if root <= 20 else None


def location(place: dict[str, Any] | None) -> dict[str, Any] | None:
    """The manual's location object of an event place, or None without a place."""
    if not place or not place.get("name"):
        return None
    eid = str(place.get("entity_id") or "")
    geonameid = int(eid[4:]) if eid.startswith("geo:") and eid[4:].isdigit() else None
    iso3 = place.get("country") or None
    kind = str(place.get("place_kind") or place.get("kind") or "")
    if eid.startswith("geo:country:") or kind == "country":
        resolution, fclass = 1, "A"
    elif kind in ("region", "state", "province"):
        resolution, fclass = 2, "A"
    elif geonameid is not None:
        resolution, fclass = 4, "P"  # the gazetteer's populated places
    else:
        resolution, fclass = None, None
    return {"extractedPlace": place.get("name"), "resolvedPlace": place.get("name"),
            "geonameid": geonameid, "lat": place.get("lat"), "lon": place.get("lon"),
            "province": _blank(place_admin1(place)),
            "country": _blank(country_name(iso3)), "countryCode": iso3,
            "featureClass": fclass, "resolution": resolution}


def _contexts(ev: Event) -> list[str]:
    try:
        out = list(code_info(ev.cameo).context)
    except KeyError:
        out = []
    for flag, aux in AUXILIARY.items():
        if (ev.modality or {}).get(flag) and aux not in out:
            out.append(aux)
    return out


def _iso_date(value: Any) -> str | None:
    try:
        return _date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def plover_record(ev: Event, doc: dict[str, Any] | None = None,
                  entities: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """One event in PLOVER's data fields (see module docstring)."""
    doc, entities = doc or {}, entities or {}
    published = _iso_date(doc.get("published")) if doc.get("published") else None
    dead = fatalities(ev.sentence or "")
    return {
        "id": ev.id, "date": _iso_date(ev.date) if ev.date else published,
        "enddate": _blank(ev.attrs.get("date_end")),
        "actor": entity(ev.source_actor, entities),
        "recipient": _recipients(ev, entities),
        "event": [ev.plover], "mode": [ev.plover_mode] if ev.plover_mode else None,
        "context": _blank(_contexts(ev)),
        "eventText": [ev.trigger] if ev.trigger else None,
        "quadCode": quad_code(ev.cameo), "eventScale": ev.plover_intensity,
        "eventLoc": location(ev.place), "size": {"dead": dead},
        "text": _blank(ev.sentence), "textInfo": {"start": ev.start, "end": ev.end},
        "citeInfo": {"url": _blank(doc.get("url")), "title": _blank(doc.get("title")),
                     "publication": _blank(doc.get("publisher")),
                     "language": _blank(doc.get("language")), "corpus": _blank(doc.get("source")),
                     "coder": CODER},
        "citeDate": published, "coder": CODER,
        "docId": ev.doc_id, "cameo": ev.cameo, "main": bool(ev.attrs.get("main")),
        "modality": ev.modality or None, "acled": ev.attrs.get("acled"),
    }


def export_plover(store: Store, out_dir: Path) -> list[Path]:
    """Write ``plover.jsonl`` (one PLOVER record per line) into ``out_dir``."""
    from rashomon.present.export import write_jsonl

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    docs = store.doc_meta()
    entities = {e["id"]: e for e in store.records("entities")}
    events = [Event.from_dict(r) for r in store.records("events")]
    rows = (plover_record(e, docs.get(e.doc_id), entities) for e in events if e.plover)
    path = out_dir / "plover.jsonl"
    write_jsonl(path, rows)
    return [path]


def schema() -> dict[str, Any]:
    """The JSON Schema of one ``plover.jsonl`` line (``data/plover_schema.yaml``)."""
    from rashomon import data as rdata

    return dict(rdata.load(SCHEMA_FILE))


def read_plover(path: Path) -> list[dict[str, Any]]:
    """Records of a ``plover.jsonl`` file (one JSON object a line)."""
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]
