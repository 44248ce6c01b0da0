"""Contradiction detectors: a plug-in interface and the built-in structural/lexical one.

No natural-language-inference model ships offline, so the default detector
reasons over claim *slots*: the same fact (story, qualified object, decision,
unit) qualified with opposite poles of a profile qualifier pair, dated or
counted differently, or asserted and negated.  A model-based detector can be
registered under the entry-point group ``rashomon.detectors`` and is run in
addition to this one.

A detector has a ``name`` and ``detect(a, b, scope) -> list[Finding]`` where
``a`` and ``b`` are claim dicts (``model.Claim.to_dict()``) from different
sources or speakers, and ``scope`` says why they are compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol


@dataclass
class Scope:
    """Why two claims are compared: same story, same topic key, or same passage."""

    key: tuple[Any, ...]
    story_id: str | None = None
    pairs: dict[str, dict[str, Any]] = field(default_factory=dict)  # qualifier pair configs


@dataclass
class Finding:
    kind: str
    confidence: float
    reason: str


class Detector(Protocol):
    name: str

    def detect(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        """Return the contradictions between claims ``a`` and ``b`` (often none)."""
        ...


def _iso(d: str | None) -> date | None:
    try:
        return date.fromisoformat(d[:10]) if d else None
    except ValueError:
        return None


def _interval(slots: dict[str, Any]) -> tuple[date, date] | None:
    start = _iso(slots.get("date"))
    if start is None:
        return None
    end = _iso(slots.get("date_end")) or start
    return start, max(start, end)


class LexicalDetector:
    """Structural and lexical contradiction rules over claim slots."""

    name = "lexical"

    def __init__(self, max_date_gap_days: int = 120, number_tolerance: float = 0.2) -> None:
        self.max_date_gap_days = max_date_gap_days
        self.number_tolerance = number_tolerance

    def detect(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        if a["kind"] != b["kind"]:
            return []
        rule = getattr(self, f"_{a['kind']}", None)
        return rule(a, b, scope) if rule else []

    def _qualification(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        sa, sb = a["slots"], b["slots"]
        if sa["pair"] != sb["pair"] or sa["pole"] == sb["pole"]:
            return []
        if sa.get("mixed") or sb.get("mixed"):
            return []  # a sentence weighing both poles asserts neither
        pair = scope.pairs.get(sa["pair"], {})
        if pair.get("scope") == "story" and scope.story_id is None and scope.key[0] != "passage":
            return []  # only tellings of one story, or two voices in one passage
        conf = 0.55
        def said(sl: dict[str, Any]) -> str:
            return ("not " if sl.get("negated") else "") + str(sl["qualifier"])

        reasons = [f"opposite poles of '{sa['pair']}': '{said(sa)}' vs '{said(sb)}'"]
        if sa.get("about") and sb.get("about"):
            conf += 0.2
            reasons.append(f"both about '{sa['about']}'/'{sb['about']}'")
        elif sa.get("object") and sa.get("object") == sb.get("object"):
            conf += 0.15
            reasons.append(f"same qualified noun '{sa['object']}'")
        elif scope.story_id is None and not (pair.get("scope") == "story"
                                             and scope.key[0] == "passage"):
            shared = set(sa.get("entities") or []) & set(sb.get("entities") or [])
            if not shared:
                return []
            conf += 0.05
        elif scope.key[0] == "passage":
            reasons.append("two voices in one passage")
        if scope.story_id:
            conf += 0.1
            reasons.append("same story")
        kind = pair.get("kind", sa["pair"])
        return [Finding(kind, round(min(conf, 0.95), 2), "; ".join(reasons))]

    def _date(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        sa, sb = a["slots"], b["slots"]
        if sa.get("decision") != sb.get("decision"):
            return []
        ia, ib = _interval(sa), _interval(sb)
        if not ia or not ib:
            return []
        if ia[0] <= ib[1] and ib[0] <= ia[1]:
            return []  # compatible (overlapping) dates
        gap = min(abs((ia[0] - ib[1]).days), abs((ib[0] - ia[1]).days))
        if gap > self.max_date_gap_days:
            return []  # probably two different decisions, not one misdated
        conf = 0.45 + (0.15 if sa.get("granularity") == sb.get("granularity") == "day" else 0)
        conf += 0.1 if scope.story_id else 0
        return [Finding("date_mismatch", round(conf, 2),
                        f"'{sa['decision']}' dated {sa.get('timex')} ({sa['date']}) vs "
                        f"{sb.get('timex')} ({sb['date']})")]

    def _number(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        sa, sb = a["slots"], b["slots"]
        if sa.get("unit") != sb.get("unit"):
            return []
        va, vb = float(sa["value"]), float(sb["value"])
        hi, lo = max(va, vb), min(va, vb)
        if lo <= 0 or hi / lo - 1 <= self.number_tolerance:
            return []
        if (sa.get("approx") or sb.get("approx")) and hi / lo < 2:
            return []
        conf = 0.4 + (0.2 if scope.story_id else 0) + (0.1 if hi / lo >= 2 else 0)
        return [Finding("number_mismatch", round(conf, 2),
                        f"{sa['surface']} vs {sb['surface']} {sa['unit']}")]

    def _action(self, a: dict[str, Any], b: dict[str, Any], scope: Scope) -> list[Finding]:
        sa, sb = a["slots"], b["slots"]
        if scope.story_id is None or sa.get("action") != sb.get("action"):
            return []
        pols = {sa.get("polarity"), sb.get("polarity")}
        if pols == {"positive", "negative"}:
            return [Finding("negation", 0.6, f"'{sa.get('trigger')}' asserted vs negated")]
        return []
