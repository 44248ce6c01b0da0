"""Chart geometry for the pages, drawn as inline SVG by the templates.

The charts are computed here (coordinates, ticks, series) and written as
``<svg>`` markup by jinja2 with autoescape, so they need no JavaScript, no
chart library and no inline style: colours come from CSS classes per camp.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 760, 220, 44, 12, 12, 34


@dataclass
class Chart:
    """Everything a template needs to draw one chart."""

    title: str
    width: int = WIDTH
    height: int = HEIGHT
    bars: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    xticks: list[dict[str, Any]] = field(default_factory=list)
    yticks: list[dict[str, Any]] = field(default_factory=list)
    legend: list[dict[str, Any]] = field(default_factory=list)
    zero: float | None = None
    empty: bool = True


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


COARSE = ("year", "month", "range")  # a date that names a whole year/month is no one day


def _dated(e: dict[str, Any]) -> date | None:
    """The event's day, or None when its date is coarser than a week."""
    if e.get("date_precision") in COARSE:
        return None
    return _day(e.get("date"))


def _span(days: list[date], max_days: int) -> list[date]:
    """Every day from the 1st to the 99th percentile of ``days`` (one stray date cannot
    squash the chart), at most ``max_days`` (the latest)."""
    ds = sorted(days)
    cut = len(ds) // 100
    lo, hi = ds[cut], ds[len(ds) - 1 - cut]
    return _days(lo, hi)[-max_days:]


def _days(first: date, last: date) -> list[date]:
    n = (last - first).days
    return [first + timedelta(days=i) for i in range(n + 1)]


def _xticks(days: list[date], x: Any) -> list[dict[str, Any]]:
    step = max(1, len(days) // 8)
    return [{"x": x(i), "label": d.isoformat()} for i, d in enumerate(days) if i % step == 0]


def camp_classes(camps: list[str]) -> dict[str, str]:
    """A stable CSS class per camp (c0..c7, then reused), unknown camp last."""
    return {c: f"c{i % 8}" for i, c in enumerate(sorted(camps))}


def timeline(events: list[dict[str, Any]], classes: dict[str, str],
             max_days: int = 400) -> Chart:
    """Events per day, stacked by camp (attention over time, as Media Cloud draws it)."""
    chart = Chart(title="Events per day by camp")
    per: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for e in events:
        d = _dated(e)
        if d:
            per[d][e.get("camp") or "(none)"] += 1
    if not per:
        return chart
    days = _span(list(per), max_days)
    top = max(sum(per[d].values()) for d in days) or 1
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    bw = plot_w / len(days)

    def x(i: int) -> float:
        return round(PAD_L + i * bw, 1)

    camps = sorted({c for d in days for c in per[d]})
    for i, d in enumerate(days):
        y0 = PAD_T + plot_h
        for c in camps:
            n = per[d].get(c, 0)
            if not n:
                continue
            h = plot_h * n / top
            y0 -= h
            chart.bars.append({"x": x(i), "y": round(y0, 1), "w": max(1.0, round(bw - 1, 1)),
                               "h": round(h, 1), "cls": classes.get(c, "cx"),
                               "title": f"{d.isoformat()} {c}: {n}"})
    chart.xticks = _xticks(days, lambda i: x(i) + bw / 2)
    chart.yticks = [{"y": round(PAD_T + plot_h - plot_h * v / top, 1), "label": str(v)}
                    for v in sorted({0, top // 2, top})]
    chart.legend = [{"label": c, "cls": classes.get(c, "cx")} for c in camps]
    chart.empty = False
    return chart


def escalation(events: list[dict[str, Any]], classes: dict[str, str],
               max_days: int = 400) -> Chart:
    """Mean Goldstein score per day and camp (-10 conflict .. +10 cooperation)."""
    chart = Chart(title="Escalation: mean Goldstein score per day by camp")
    per: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for e in events:
        d, g = _dated(e), e.get("goldstein")
        if d and isinstance(g, int | float):
            per[e.get("camp") or "(none)"][d].append(float(g))
    all_days = [d for series in per.values() for d in series]
    if not all_days:
        return chart
    days = _span(all_days, max_days)
    index = {d: i for i, d in enumerate(days)}
    plot_w, plot_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    step = plot_w / max(1, len(days) - 1)

    def x(i: int) -> float:
        return round(PAD_L + i * step, 1)

    def y(g: float) -> float:
        return round(PAD_T + plot_h * (10 - g) / 20, 1)

    for camp in sorted(per):
        pts = []
        for d in sorted(per[camp]):
            if d in index:
                vals = per[camp][d]
                pts.append({"x": x(index[d]), "y": y(sum(vals) / len(vals)),
                            "title": f"{d.isoformat()} {camp}: {sum(vals) / len(vals):+.1f} "
                                     f"({len(vals)} events)"})
        chart.lines.append({"cls": classes.get(camp, "cx"), "label": camp, "points": pts,
                            "path": " ".join(f"{p['x']},{p['y']}" for p in pts)})
    chart.xticks = _xticks(days, x)
    chart.yticks = [{"y": y(v), "label": f"{v:+d}" if v else "0"} for v in (10, 5, 0, -5, -10)]
    chart.zero = y(0)
    chart.legend = [{"label": c, "cls": classes.get(c, "cx")} for c in sorted(per)]
    chart.empty = False
    return chart
