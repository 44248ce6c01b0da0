"""CAMEO / PLOVER code tables and the event lexicon, loaded once from ``rashomon/data``.

The tables are data (public code lists and our own trigger lexicon), so adding a
trigger or correcting a score never touches code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from rashomon import data as rdata

EVENT_WORDS = "event_words.yaml"
EVENT_LEXICON = "event_lexicon.yaml"


@dataclass(frozen=True)
class CodeInfo:
    """What one CAMEO code means: its name, Goldstein value and PLOVER coding."""

    code: str
    name: str
    goldstein: float | None
    plover: str | None
    mode: str | None
    context: tuple[str, ...] = ()
    intensity: float | None = None

    @property
    def root(self) -> str:
        return self.code[:2]


def _load_yaml(name: str) -> dict[str, Any]:
    return rdata.load(name)


@lru_cache(maxsize=1)
def cameo_table() -> dict[str, Any]:
    data = _load_yaml("cameo.yaml")
    data["codes"] = {str(k).zfill(2) if len(str(k)) < 2 else str(k): v
                     for k, v in data["codes"].items()}
    return data


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    return _load_yaml(EVENT_LEXICON)


@cache
def word_set(key: str) -> frozenset[str]:
    """The word list ``key`` of ``data/event_words.yaml`` as a lower-case set.

    Grammar words (pronouns, prepositions, markers) are data like the trigger
    lexicon; they are looked up per token, so each set is built once.
    """
    raw = rdata.section(EVENT_WORDS, key)
    if not isinstance(raw, list) or not all(isinstance(w, str) for w in raw):
        raise rdata.DataError(f"{EVENT_WORDS}: {key!r} must be a list of words")
    return frozenset(w.lower() for w in raw)


@cache
def code_set(key: str) -> frozenset[str]:
    """A list of codes (CAMEO roots, sectors, PLOVER types) of the event lexicon."""
    raw = rdata.section(EVENT_LEXICON, key)
    if not isinstance(raw, list):
        raise rdata.DataError(f"{EVENT_LEXICON}: {key!r} must be a list of codes")
    return frozenset(str(c) for c in raw)


@cache
def code_table(key: str) -> dict[str, Any]:
    """A code table of the event lexicon (``future_intent``, ``embedded_refine``, ...)."""
    raw = rdata.section(EVENT_LEXICON, key)
    if not isinstance(raw, dict):
        raise rdata.DataError(f"{EVENT_LEXICON}: {key!r} must be a mapping")
    return raw


def plover_types() -> tuple[str, ...]:
    """The 2021 PLOVER event types, in the manual's order (``cameo.yaml``)."""
    return tuple(cameo_table()["plover_types"])



def plover_intensity(plover: str | None, mode: str | None) -> float | None:
    """PLOVER conflict-cooperation score of a type (and mode, when the manual scores it)."""
    if not plover:
        return None
    info = cameo_table()["plover_types"].get(plover)
    if not info:
        return None
    if mode and mode in (info.get("modes") or {}):
        return float(info["modes"][mode])
    return info.get("score")


@lru_cache(maxsize=512)
def code_info(code: str) -> CodeInfo:
    """Look up a CAMEO code; an unknown sub-code falls back to its parent, then its root."""
    codes = cameo_table()["codes"]
    probe = code
    while probe and probe not in codes:
        probe = probe[:-1]
    if not probe:
        raise KeyError(f"unknown CAMEO code {code!r}")
    d = codes[probe]
    plover = d.get("plover")
    mode = d.get("mode")
    return CodeInfo(code=code, name=d.get("name", ""), goldstein=d.get("goldstein"),
                    plover=plover, mode=mode, context=tuple(d.get("context") or ()),
                    intensity=plover_intensity(plover, mode))


def normalize_plover(name: str | None) -> str | None:
    """Map older PLOVER type names (DEMAND, FIGHT, ...) onto the 2021 types."""
    if not name:
        return None
    up = name.upper()
    return cameo_table().get("legacy_types", {}).get(up, up)
