"""The risk frameworks as data: the UN Framework of Analysis for Atrocity Crimes, and more.

The bundled file (``data/atrocity_framework.yaml``) holds the 14 risk factors
and their indicators as short paraphrases with page references.  A profile may
add frameworks (e.g. the Ten Stages of Genocide) or indicators under
``warnings: frameworks:`` in the same shape; they are merged by id, so an
analyst extends the list without editing the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rashomon import data as rdata

FRAMEWORK_FILE = "atrocity_framework.yaml"


@dataclass(frozen=True)
class Indicator:
    """One indicator (``8.7``) of a risk factor (``RF8``) of a framework."""

    id: str
    text: str
    risk_factor: str
    framework: str
    page: int | None = None


@dataclass
class Framework:
    """A framework: its risk factors in order, and every indicator by id."""

    id: str
    title: str
    risk_factors: list[dict[str, Any]] = field(default_factory=list)
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def risk_factor(self, rf_id: str) -> dict[str, Any] | None:
        return next((rf for rf in self.risk_factors if rf["id"] == rf_id), None)


def _build(raw: dict[str, Any]) -> Framework:
    fw = Framework(id=str(raw["id"]), title=str(raw.get("title") or raw["id"]))
    for rf in raw.get("risk_factors") or []:
        entry = {k: v for k, v in rf.items() if k != "indicators"}
        entry["indicators"] = []
        for ind in rf.get("indicators") or []:
            i = Indicator(id=str(ind["id"]), text=str(ind["text"]), risk_factor=str(rf["id"]),
                          framework=fw.id, page=ind.get("page", rf.get("page")))
            fw.indicators[i.id] = i
            entry["indicators"].append(i)
        fw.risk_factors.append(entry)
    return fw


def load_frameworks(extra: list[dict[str, Any]] | None = None) -> dict[str, Framework]:
    """The bundled framework plus any a profile adds (same id: its risk factors are added)."""
    raws = [rdata.load(FRAMEWORK_FILE), *(extra or [])]
    merged: dict[str, dict[str, Any]] = {}
    for raw in raws:
        if not isinstance(raw, dict) or not raw.get("id"):
            raise ValueError("a framework needs an `id` and `risk_factors`")
        if raw["id"] in merged:
            base = merged[raw["id"]]
            known = {rf["id"]: rf for rf in base["risk_factors"]}
            for rf in raw.get("risk_factors") or []:
                if rf["id"] in known:
                    known[rf["id"]]["indicators"] = [*known[rf["id"]].get("indicators", []),
                                                     *rf.get("indicators", [])]
                else:
                    base["risk_factors"].append(rf)
        else:
            merged[raw["id"]] = {**raw, "risk_factors": [dict(rf) for rf in
                                                         raw.get("risk_factors") or []]}
    return {fid: _build(raw) for fid, raw in merged.items()}


def rf_number(rf_id: str) -> int | None:
    """``RF8`` -> 8 (for ``--rf 8``)."""
    digits = "".join(ch for ch in rf_id if ch.isdigit())
    return int(digits) if digits else None
