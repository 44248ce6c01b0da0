"""The escalation index: coded events per dyad and period, normalised by coverage.

Per dyad (source and target actor: country code, else entity id, else ``?``)
and per ISO week (or day): event counts by PLOVER type and CAMEO root, mean
Goldstein score, QuadClass shares, and the count of the most severe codes
(CAMEO roots 18-20 and codes 201-203).  A busy news week has more events of
every kind, so the series is the *rate* (events per document published in the
period), and each period is compared with the same dyad's own earlier periods
as a rolling z-score.  An alert is a z-score at or above the threshold (the
profile's ``warnings: alert_z`` or the CLI's), never a prediction.
Periods are reporting time (the publication week of the document that tells
the event), so each count is divided by the coverage it comes from.  Events
that were negated, hypothetical, conditional or only demanded do not count:
they did not happen as far as the text says.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date
from typing import Any

from rashomon.model import EscalationPoint, stable_id

ALL = "all"
QUADS = ("verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict")
SEVERE_ROOTS = ("18", "19", "20")
SEVERE_CODES = ("201", "202", "203")
NOT_HAPPENED = ("negated", "hypothetical", "conditional", "demanded")
# The baseline's spread is floored (at MIN_STD and at REL_STD of its mean): with a
# handful of earlier weeks the sample spread is often near zero, and a small wobble
# would read as a huge z-score.
MIN_STD = 0.05
REL_STD = 0.2


def quad_class(cameo: str) -> str | None:
    """CAMEO root -> QuadClass (01-05, 06-08, 09-13, 14-20), as in GDELT."""
    try:
        root = int(str(cameo)[:2])
    except ValueError:
        return None
    if 1 <= root <= 5:
        return QUADS[0]
    if 6 <= root <= 8:
        return QUADS[1]
    if 9 <= root <= 13:
        return QUADS[2]
    if 14 <= root <= 20:
        return QUADS[3]
    return None


def period_of(day: str | None, granularity: str = "week") -> str | None:
    """``2024-12-18`` -> ``2024-W51`` (ISO week) or the day itself; None if undated."""
    if not day:
        return None
    try:
        d = date.fromisoformat(str(day)[:10])
    except ValueError:
        return None
    if granularity == "day":
        return d.isoformat()
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def happened(ev: dict[str, Any]) -> bool:
    mod = ev.get("modality") or {}
    return not any(mod.get(k) for k in NOT_HAPPENED)


def _actor_key(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "?"
    return str(actor.get("country") or actor.get("entity_id") or "?")


def escalation_index(events: list[dict[str, Any]], doc_meta: dict[str, dict[str, Any]],
                     granularity: str = "week", window: int = 4, alert_z: float = 2.0,
                     min_baseline: int = 2) -> list[EscalationPoint]:
    """The index rows: one per dyad and period with events, plus the corpus-wide ``all`` dyad.

    ``window``: how many earlier periods (with coverage) form a dyad's baseline;
    fewer than ``min_baseline`` earlier periods give no z-score.
    """
    docs_per: Counter[str] = Counter()
    for meta in doc_meta.values():
        if meta.get("duplicate_of"):
            continue
        p = period_of(meta.get("published"), granularity)
        if p:
            docs_per[p] += 1
    cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for ev in events:
        meta = doc_meta.get(ev.get("doc_id") or "") or {}
        if meta.get("duplicate_of") or not happened(ev):
            continue
        # reporting time: the week the document was published, so every count has the
        # coverage volume it is divided by (an event dated years back counts when told)
        p = period_of(meta.get("published"), granularity)
        if p is None:
            continue
        dyad = f"{_actor_key(ev.get('source_actor'))}|{_actor_key(ev.get('target_actor'))}"
        cells[(dyad, p)].append(ev)
        cells[(ALL, p)].append(ev)
    periods = sorted(docs_per)
    dyads = sorted({d for d, _ in cells})
    out: list[EscalationPoint] = []
    for dyad in dyads:
        history: list[float] = []
        for p in periods:
            evs = cells.get((dyad, p), [])
            docs = docs_per[p]
            rate = len(evs) / docs if docs else float(len(evs))
            base = history[-window:]
            z = None
            if len(base) >= min_baseline:
                mean = statistics.fmean(base)
                std = max(statistics.pstdev(base), MIN_STD, REL_STD * abs(mean))
                z = round((rate - mean) / std, 3)
            history.append(rate)
            if not evs:
                continue
            quads = Counter(q for e in evs if (q := quad_class(e.get("cameo") or "")))
            gold = [float(e["goldstein"]) for e in evs if e.get("goldstein") is not None]
            severe = sum(1 for e in evs if str(e.get("cameo") or "")[:2] in SEVERE_ROOTS
                         or str(e.get("cameo") or "")[:3] in SEVERE_CODES)
            total_q = sum(quads.values()) or 1
            out.append(EscalationPoint(
                id=stable_id("escalation", dyad, p, prefix="esc_"), dyad=dyad, period=p,
                events=len(evs), docs=docs, rate=round(rate, 4), z=z,
                alert=z is not None and z >= alert_z,
                goldstein_mean=round(statistics.fmean(gold), 3) if gold else None,
                quad_shares={q: round(quads[q] / total_q, 3) for q in QUADS if quads[q]},
                plover=dict(sorted(Counter(e.get("plover") or "?" for e in evs).items())),
                cameo_root=dict(sorted(Counter(str(e.get("cameo") or "??")[:2]
                                               for e in evs).items())),
                severe=severe, attrs={"alert_z": alert_z, "window": window}))
    return out


CSV_FIELDS = ("dyad", "period", "events", "docs", "rate", "z", "alert", "goldstein_mean",
              "severe", *(f"quad_{q}" for q in QUADS), "plover", "cameo_root")


def csv_row(p: dict[str, Any]) -> dict[str, Any]:
    """A flat CSV row of one stored index point (counts by type as ``TYPE:n;TYPE:n``)."""
    row = {k: p.get(k) for k in CSV_FIELDS if k in p}
    for q in QUADS:
        row[f"quad_{q}"] = (p.get("quad_shares") or {}).get(q, 0.0)
    row["plover"] = ";".join(f"{k}:{v}" for k, v in (p.get("plover") or {}).items())
    row["cameo_root"] = ";".join(f"{k}:{v}" for k, v in (p.get("cameo_root") or {}).items())
    return row
