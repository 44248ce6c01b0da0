"""ACLED sub-event typing from what a text says about means, participants and outcomes.

ACLED's codebook types an event by *how* violence was done (air strike,
shelling, grenade, suicide bomb, remote explosive, chemical weapon), *who*
took part (protesters, rioters, mobs, state forces, rebels, militias,
civilians) and *what came of it* (territory taken or regained, a base
set up, arrests, abductions, sexual violence, looting, weapons seized), with
non-violent strategic developments (agreements, changes to a group,
non-violent transfers of territory) alongside.  This module reads those
criteria from the text:

* the vocabulary lives in ``rashomon/data/acled_cues.yaml`` and the taxonomy in
  ``rashomon/data/acled_types.yaml`` (both data, not code);
* ``_cues`` matches the vocabulary on lemmas and weighs each match by how
  central it is (lead sentence, main clause, negation);
* ``_rules`` combines the matches through the dependency parse (see its
  docstring) and proposes candidate types; the best-scoring one wins.

Texts that are not ACLED events are recognised as such (diplomacy, claims or
denials of responsibility, organised crime, natural and man-made disasters):
they get a typing with ``acled=False`` so exports can leave them out.

The public entry point is :func:`type_acled` (a parsed ``Doc`` or ``Span``);
:func:`type_text` parses a string first.  Evidence offsets are character
offsets into the ``Doc``'s text, so a span of a longer document yields offsets
into that document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rashomon import data as rdata
from rashomon.analyze.acled._cues import Cue, find_cues, negated, unrealised
from rashomon.analyze.acled._rules import candidates
from rashomon.analyze.acled.fatalities import FatalityReport, extract_fatalities, fatalities

__all__ = ["AcledTyping", "EvidenceSpan", "FatalityReport", "SubEventInfo", "extract_fatalities",
           "fatalities", "sub_event_info", "sub_event_types", "code_to_label", "type_acled",
           "type_text", "taxonomy"]

TYPES_FILE = "acled_types.yaml"


@dataclass(frozen=True)
class EvidenceSpan:
    """A piece of evidence: its role, character offsets into the Doc text, and the text."""

    role: str  # trigger, means, participants, outcome
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SubEventInfo:
    """Where a sub-event type sits in ACLED's taxonomy."""

    sub_event_type: str
    event_type: str
    disorder_type: str
    code: str  # the short code of the CASE 2021 task (e.g. AIR_STRIKE)


@dataclass
class AcledTyping:
    """The ACLED reading of a text.

    ``acled`` is False for recognised non-ACLED classes (then ``event_type``
    and ``disorder_type`` are None and ``sub_event_type`` names the class).
    ``confidence`` is the winner's share of the two best candidate scores
    (0.5 = a coin toss between two types, 1.0 = no rival).
    """

    code: str
    sub_event_type: str
    event_type: str | None
    disorder_type: str | None
    acled: bool
    confidence: float
    evidence: list[EvidenceSpan] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    #: False when the deciding phrase is negated, threatened or intended ("will attack")
    realised: bool = True

    def spans(self, role: str) -> list[EvidenceSpan]:
        return [e for e in self.evidence if e.role == role]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "sub_event_type": self.sub_event_type,
                "event_type": self.event_type, "disorder_type": self.disorder_type,
                "acled": self.acled, "confidence": self.confidence, "realised": self.realised,
                "evidence": [e.__dict__ for e in self.evidence]}


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Any]:
    """The parsed ``acled_types.yaml``."""
    return rdata.load(TYPES_FILE)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, SubEventInfo | str]:
    tax = taxonomy()
    out: dict[str, SubEventInfo | str] = {}
    for name, spec in rdata.section(TYPES_FILE, "sub_event_types").items():
        event_type = spec["event_type"]
        disorder = spec.get("disorder_type") or tax["event_types"][event_type]
        out[spec["code"]] = SubEventInfo(name, event_type, disorder, spec["code"])
    for name, code in rdata.section(TYPES_FILE, "non_acled").items():
        out[code] = name
    return out


def sub_event_types() -> list[SubEventInfo]:
    """ACLED's 25 sub-event types in codebook order."""
    return [v for v in _by_code().values() if isinstance(v, SubEventInfo)]


def sub_event_info(name_or_code: str) -> SubEventInfo | None:
    """Taxonomy entry for a sub-event type name ("Air/drone strike") or code (AIR_STRIKE)."""
    for info in sub_event_types():
        if name_or_code in (info.sub_event_type, info.code):
            return info
    return None


def code_to_label(code: str) -> str:
    """Human label of a code: the ACLED sub-event type or the non-ACLED class name."""
    v = _by_code().get(code)
    if v is None:
        raise rdata.DataError(f"{TYPES_FILE}: unknown code {code!r}")
    return v.sub_event_type if isinstance(v, SubEventInfo) else v


def _span_bounds(sdoc_or_span: Any) -> tuple[Any, int, int]:
    doc = getattr(sdoc_or_span, "doc", sdoc_or_span)
    if doc is sdoc_or_span:
        return doc, 0, len(doc)
    return doc, sdoc_or_span.start, sdoc_or_span.end


def _evidence(role: str, cues: list[Cue]) -> list[EvidenceSpan]:
    seen: set[tuple[int, int]] = set()
    out = []
    for c in cues:
        if (c.char_start, c.char_end) in seen:
            continue
        seen.add((c.char_start, c.char_end))
        out.append(EvidenceSpan(role, c.char_start, c.char_end, c.text))
    return out


def type_acled(sdoc_or_span: Any, nlp: Any = None, min_score: float = 0.0
               ) -> AcledTyping | None:
    """Type a parsed text (spaCy ``Doc`` or ``Span``) as an ACLED sub-event, or None.

    None means no criterion of the codebook (nor a recognised non-ACLED class)
    was found.  ``nlp`` must be the pipeline that parsed the text (default: the
    project's :func:`rashomon.analyze.nlp.load_nlp`).  ``min_score`` drops
    typings whose best candidate scores below it (a stricter coverage).
    """
    if nlp is None:
        from rashomon.analyze.nlp import load_nlp

        nlp = load_nlp()
    doc, start, end = _span_bounds(sdoc_or_span)
    cues = find_cues(doc, nlp, start, end)
    cands = candidates(cues, doc)
    if not cands:
        return None
    best_by_code: dict[str, Any] = {}
    for c in cands:
        if c.code not in best_by_code or c.score > best_by_code[c.code].score:
            best_by_code[c.code] = c
    ranked = sorted(best_by_code.values(), key=lambda c: (-c.score, c.trigger.start))
    best = ranked[0]
    if best.score < min_score:
        return None
    second = ranked[1].score if len(ranked) > 1 else 0.0
    conf = round(best.score / (best.score + max(second, 0.0)), 3) if best.score > 0 else 0.0
    evidence: list[EvidenceSpan] = []
    for role in ("trigger", "means", "participants", "outcome"):
        evidence += _evidence(role, best.evidence.get(role, []))
    entry = _by_code()[best.code]
    scores = {c.code: c.score for c in ranked}
    realised = not (unrealised(best.trigger.root) or negated(best.trigger.root))
    if isinstance(entry, SubEventInfo):
        return AcledTyping(best.code, entry.sub_event_type, entry.event_type,
                           entry.disorder_type, True, conf, evidence, scores, realised)
    return AcledTyping(best.code, entry, None, None, False, conf, evidence, scores, realised)


def type_text(text: str, nlp: Any = None) -> AcledTyping | None:
    """Parse ``text`` and type it (convenience for callers without a Doc)."""
    if nlp is None:
        from rashomon.analyze.nlp import load_nlp

        nlp = load_nlp()
    return type_acled(nlp(text), nlp)
