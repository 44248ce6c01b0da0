"""Reported fatalities in a sentence or snippet, by ACLED's rules.

The codebook's conventions, paraphrased:

* the figure is the number of people reported killed (the wounded do not count);
* vague quantities get fixed conservative values: "several"/"many"/"a number of"
  deaths count as 10, "dozens" as 12, "hundreds" as 100;
* when reports conflict, the lowest figure is used; a toll that is *updated*
  ("the toll rose to four") replaces the earlier figure rather than conflicting;
* no reported deaths is 0 (ACLED's column is never empty).

The extractor is a handful of regular expressions around death words, which is
what the task needs: the figures sit in stereotyped phrases ("killing two",
"four dead", "the death toll rose to four", "left 12 people dead").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNITS = {"one": 1, "a": 1, "an": 1, "him": 1, "her": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5,
          "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
          "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
          "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
          "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
          "dozen": 12, "couple": 2, "both": 2}
_VAGUE = {"several": 10, "many": 10, "scores": 10, "dozens": 12, "hundreds": 100,
          "thousands": 1000, "tens": 10, "some": 10, "numerous": 10, "multiple": 10}
_NUM_WORD = "|".join(sorted(set(_UNITS) | set(_VAGUE), key=len, reverse=True))
NUM = (r"(?P<num>\d[\d,]*|(?:(?:" + _NUM_WORD + r")(?:[\s-](?:" + _NUM_WORD + r"))?))")
_HEDGE = r"(?:(?:at least|at most|some|about|around|nearly|almost|more than|over|up to|as many as|" \
         r"an estimated|a total of|roughly|approximately)\s+)?"
_NOUN = r"(?:\s+(?!(?:were|was|are|have|had|and|but)\b)[A-Za-z'-]+){0,3}?"
_DEATH = r"(?:killed|dead|died|slain|murdered|executed|massacred|shot dead|lost their lives|" \
         r"perished|beheaded|lynched|gunned down)"
_PATTERNS = [
    # "four people were killed", "two soldiers died", "12 dead"
    ("count", re.compile(r"\b" + _HEDGE + NUM + _NOUN +
                         r"\s+(?:(?:were|was|are|have been|had been|has been|have|has|had|being|reportedly)\s+)*"
                         + _DEATH + r"\b", re.I)),
    # "killing two", "killed at least 12 people", "left four dead"
    ("count", re.compile(r"\b(?:killing|killed|kills|kill|massacring|executing|executed|"
                         r"murdering|murdered|claiming the lives of|claimed the lives of|"
                         r"taking the lives of)\s+" + _HEDGE + NUM + r"\b(?!\s+(?:and\s+)?"
                         r"(?:injured|wounded|hurt))", re.I)),
    ("count", re.compile(r"\b(?:left|leaving)\s+" + _HEDGE + NUM + _NOUN + r"\s+dead\b", re.I)),
    # "12 deaths", "four fatalities", "claimed 20 lives"
    ("count", re.compile(r"\b" + _HEDGE + NUM + r"\s+(?:deaths|fatalities|lives|bodies|"
                         r"casualties dead)\b", re.I)),
    # "the (death) toll rose to four", "toll stood at 30"
    ("update", re.compile(r"\b(?:death toll|toll|number of (?:the )?dead|number of deaths)"
                          r"(?:\s+[a-z]+){0,3}?\s+(?:rose|climbed|jumped|increased|risen|climbs|"
                          r"rises|has risen|has climbed|reached|reaches|hit)\s+(?:to\s+)?"
                          + _HEDGE + NUM + r"\b", re.I)),
    ("count", re.compile(r"\b(?:death toll|toll)(?:\s+[a-z]+){0,3}?\s+(?:of|at|is|was|stands at|"
                         r"stood at)\s+" + _HEDGE + NUM + r"\b", re.I)),
    # "they shot him dead", "beat her to death", "killed him": one person
    ("count", re.compile(r"\b(?:shot|shoot|shoots|beat|beaten|stabbed|hacked|killed|kills|kill|"
                         r"murdered|executed|strangled)\s+(?P<num>him|her)\b"
                         r"(?:\s+(?:dead|to death))?", re.I)),
    # "a policeman was killed": one person
    ("count", re.compile(r"\b(?P<num>a|an|one)\s+(?:[A-Za-z'-]+\s+){1,2}"
                         r"(?:was|has been|had been)\s+" + _DEATH + r"\b", re.I)),
]


@dataclass(frozen=True)
class FatalityReport:
    """One figure found in the text: value, character offsets, and whether it updates a toll."""

    value: int
    start: int
    end: int
    update: bool


def _number(token: str) -> int | None:
    t = token.lower().replace(",", "").strip()
    if t.isdigit():
        return int(t)
    if t in _VAGUE:
        return _VAGUE[t]
    total = 0
    for part in re.split(r"[\s-]+", t):
        if part in _VAGUE:
            return _VAGUE[part]
        if part not in _UNITS:
            return None
        v = _UNITS[part]
        total = total * v if v == 100 and total else total + v
    return total or None


def extract_fatalities(text: str) -> list[FatalityReport]:
    """Every fatality figure in ``text``, in order of appearance (overlaps kept once)."""
    found: dict[tuple[int, int], FatalityReport] = {}
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            value = _number(m.group("num"))
            if value is None or (m.group("num").isdigit() and len(m.group("num")) == 4
                                 and 1900 <= value <= 2100):
                continue  # a year, not a count
            key = (m.start("num"), m.end("num"))
            prev = found.get(key)
            if prev is None or (kind == "update" and not prev.update):
                found[key] = FatalityReport(value, key[0], key[1], kind == "update")
    return sorted(found.values(), key=lambda r: r.start)


def fatalities(text: str) -> int:
    """ACLED's fatality figure for ``text``: latest updated toll, else the lowest report, else 0."""
    reports = extract_fatalities(text)
    if not reports:
        return 0
    updates = [r for r in reports if r.update]
    if updates:
        return updates[-1].value
    return min(r.value for r in reports)
