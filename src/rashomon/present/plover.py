"""PLOVER JSON export: the coded events as a JSON array shaped like PLOVER gold records.

Each record has PLOVER's fields (``id``, ``date``, ``source``/``target`` as lists
of ``{actorText, code, sector}``, ``event``, ``mode``, ``context``, ``text``,
``eventText``) plus our provenance (``doc_id``, ``start``, ``end``), the CAMEO
code, scores and modality.  CAMEO 01x statements have no PLOVER type and are
left out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rashomon.analyze.events import code_info
from rashomon.model import Actor, Event
from rashomon.store import Store


def _actors(actor: Actor | None) -> list[dict[str, Any]] | str:
    if actor is None:
        return ""
    out: dict[str, Any] = {"actorText": actor.name, "code": actor.country or ""}
    if actor.sector:
        out["sector"] = actor.sector
    if actor.entity_id:
        out["entity_id"] = actor.entity_id
    return [out]


def plover_record(ev: Event) -> dict[str, Any]:
    try:
        context = list(code_info(ev.cameo).context)
    except KeyError:
        context = []
    return {
        "id": ev.id, "date": ev.date or "", "date_precision": ev.date_precision,
        "source": _actors(ev.source_actor), "target": _actors(ev.target_actor),
        "event": ev.plover, "mode": ev.plover_mode or "", "context": "; ".join(context),
        "eventText": ev.trigger or "", "text": ev.sentence, "language": "en",
        "cameo": ev.cameo, "goldstein": ev.goldstein, "intensity": ev.plover_intensity,
        "modality": ev.modality, "place": ev.place,
        "doc_id": ev.doc_id, "start": ev.start, "end": ev.end,
    }


def export_plover(store: Store, out_dir: Path) -> list[Path]:
    """Write ``plover.json`` (a JSON array) into ``out_dir``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    events = [Event.from_dict(r) for r in store.records("events")]
    records = [plover_record(e) for e in events if e.plover]
    path = out_dir / "plover.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return [path]
