"""Early warning in the report and the exports: findings per risk factor, the escalation chart.

The report section lists, per risk factor of the Framework, each finding with
its evidence sentences (the matched words highlighted, every sentence linked to
its place in the document), who says it, in which outlet and camp, how
corroborated it is, and what it does not prove.  The escalation chart is an
inline SVG drawn from numbers only (no script, no style attribute, nothing
fetched), so it passes the report's Content-Security-Policy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rashomon.present.export import write_dict_csv
from rashomon.store import Store
from rashomon.warning import CSV_FIELDS, csv_row, list_warnings, load_frameworks, rf_number

MAX_FINDINGS_PER_RF = 60
EVIDENCE_SHOWN = 6
CHART_W, CHART_H, PAD = 640, 180, 28


def _pieces(ev: dict[str, Any]) -> dict[str, Any]:
    """The evidence sentence split around the matched words (for <mark>), all as plain text."""
    text = ev.get("text") or ""
    s, e = ev.get("match_start"), ev.get("match_end")
    if s is None or e is None:
        return {**ev, "before": text, "hit": "", "after": ""}
    a, b = s - ev["start"], e - ev["start"]
    if not (0 <= a < b <= len(text)):
        return {**ev, "before": text, "hit": "", "after": ""}
    return {**ev, "before": text[:a], "hit": text[a:b], "after": text[b:]}


def warnings_section(store: Store) -> list[dict[str, Any]]:
    """Risk factors (in the Framework's order) that have findings, each with its findings."""
    rows = list_warnings(store)
    if not rows:
        return []
    frameworks = load_frameworks()
    out = []
    for fw in frameworks.values():
        for rf in fw.risk_factors:
            mine = [r for r in rows if r["framework"] == fw.id and r["risk_factor"] == rf["id"]]
            if not mine:
                continue
            findings = [{**r, "shown": [_pieces(ev) for ev in r["evidence"][:EVIDENCE_SHOWN]],
                         "more": max(0, (r.get("attrs") or {}).get("evidence_total",
                                                                   len(r["evidence"]))
                                     - EVIDENCE_SHOWN)}
                        for r in mine[:MAX_FINDINGS_PER_RF]]
            out.append({"id": rf["id"], "number": rf_number(rf["id"]), "title": rf["title"],
                        "crimes": rf.get("crimes"), "page": rf.get("page"),
                        "framework": fw.title, "findings": findings, "n": len(mine)})
    return out


def escalation_chart(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Coordinates for the corpus-wide series: events per document per period, alerts marked.

    Periods without events are drawn at zero.  Returns None when fewer than two
    periods have events (a line needs two points).
    """
    series = sorted((r for r in rows if r.get("dyad") == "all"), key=lambda r: r["period"])
    if len(series) < 2:
        return None
    top = max(r["rate"] for r in series) or 1.0
    step = (CHART_W - 2 * PAD) / (len(series) - 1)
    pts = []
    for i, r in enumerate(series):
        x = PAD + i * step
        y = CHART_H - PAD - (r["rate"] / top) * (CHART_H - 2 * PAD)
        pts.append({"x": round(x, 1), "y": round(y, 1), "period": r["period"],
                    "rate": r["rate"], "z": r.get("z"), "alert": bool(r.get("alert")),
                    "severe": r.get("severe", 0), "events": r["events"], "docs": r["docs"]})
    return {"w": CHART_W, "h": CHART_H, "pad": PAD, "top": round(top, 2),
            "line": " ".join(f"{p['x']},{p['y']}" for p in pts), "points": pts,
            "first": series[0]["period"], "last": series[-1]["period"],
            "alerts": [p for p in pts if p["alert"]]}


def export_escalation_csv(store: Store, out_dir: Path) -> list[Path]:
    """Exporter ``escalation``: ``escalation.csv``, one row per dyad and period."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = store.records("escalation") if "escalation" in store.corpus_tables else []
    ordered = sorted(rows, key=lambda r: (r["dyad"], r["period"]))
    return [write_dict_csv(out_dir / "escalation.csv", CSV_FIELDS,
                           (csv_row(r) for r in ordered))]
