"""Findings: evidence for framework indicators, grouped per indicator and period.

Who said what is kept with every piece of evidence:

* each span carries its **voice** (the quoted speaker, else the outlet), the
  outlet, the outlet's **camp** (the side the profile gives the document) and
  the speaker's own camp when the profile knows the speaker;
* one camp's report of an act is evidence that the act is *alleged*; outlets of
  several camps reporting it weigh more (``strength``), and nothing here ever
  says the act happened;
* a call to prevent a crime, a fear or a warning of it is not evidence of it
  (the modality guards of :mod:`rashomon.compare.slots`);
* voices are read from the quotes layer, sentences are split as the
  contradiction layer splits them (:func:`rashomon.compare.statements.sentence_spans`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from rashomon.compare.slots import load_lexicon
from rashomon.compare.statements import sentence_spans
from rashomon.model import WarningFinding, stable_id
from rashomon.warning.escalation import happened, period_of
from rashomon.warning.framework import Framework
from rashomon.warning.rules import Rules

UNKNOWN = "unknown"
STRENGTHS = ("single source", "several sources in one camp", "corroborated across camps")
_BASIS_ORDER = ("act", "context", "statement", "allegation")


def review_key(framework: str, indicator: str, scope: str) -> str:
    """What a review of a finding is about: the indicator and its period, not a generated id."""
    return json.dumps([framework, indicator, scope], separators=(",", ":"))


def _voice(pos: int, quotes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The quote whose content covers ``pos`` (its speaker speaks there), else None."""
    for q in quotes:
        if q["start"] <= pos < q["end"]:
            return q
    return None


def _speaker(q: dict[str, Any] | None) -> tuple[str | None, str | None]:
    sp = (q or {}).get("speaker") or {}
    return sp.get("name"), sp.get("entity_id")


def text_evidence(docs: Iterable[dict[str, Any]], quotes: dict[str, list[dict[str, Any]]],
                  rules: Rules, groups: re.Pattern[str] | None = None
                  ) -> Iterable[dict[str, Any]]:
    """Evidence spans from the words of each document (one per rule hit and sentence).

    ``docs``: dicts with ``id`` and ``text``; ``groups``: a profile's names of
    peoples (see :func:`rashomon.warning.rules.group_pattern`).  A document, then
    each sentence, is first checked for the rules' first words (set lookups), so
    most text never meets a rule's regex.
    """
    lex = load_lexicon()
    for doc in docs:
        text = doc.get("text") or ""
        if not rules.may_match(text):
            continue
        dq = sorted(quotes.get(doc["id"], []), key=lambda q: (q["start"], q["end"]))
        for s, e in sentence_spans(text):
            sent = text[s:e]
            for hit in rules.match_sentence(sent, lex, groups):
                q = _voice(s + hit.start, dq)
                name, entity = _speaker(q)
                for ind in hit.rule.indicators:
                    yield {"indicator": ind, "rule": hit.rule.id, "kind": hit.rule.kind,
                           "doc_id": doc["id"], "start": s, "end": e, "text": sent,
                           "match_start": s + hit.start, "match_end": s + hit.end,
                           "mode": hit.mode, "speaker": name, "speaker_id": entity,
                           "quoted": q is not None}


def event_evidence(events: Iterable[dict[str, Any]], rules: Rules) -> Iterable[dict[str, Any]]:
    """Evidence from coded events (only those the text says happened)."""
    for ev in events:
        code = str(ev.get("cameo") or "")
        if not code or not happened(ev):
            continue
        for rule in rules.events:
            if not any(code.startswith(c) for c in rule.cameo):
                continue
            if not rule.accepts_target(ev.get("target_actor")):
                continue
            by = (ev.get("modality") or {}).get("reported_by")
            quoted = bool(by and by != "outlet")
            for ind in rule.indicators:
                yield {"indicator": ind, "rule": rule.id, "kind": rule.kind,
                       "doc_id": ev["doc_id"], "start": ev["start"], "end": ev["end"],
                       "text": ev.get("sentence") or "", "match_start": None,
                       "match_end": None, "mode": "reported" if quoted else "asserted",
                       "speaker": by if quoted else None, "speaker_id": None,
                       "quoted": quoted, "event_id": ev["id"], "cameo": code}


def _camps_text(camps: list[str]) -> str:
    return ", ".join(camps) if camps else "an unclassified source"


def _not_proof(basis: str, strength: str, camps: list[str], speakers: list[str],
               templates: dict[str, str]) -> str:
    if basis == "act":
        key = {STRENGTHS[0]: "act_single", STRENGTHS[1]: "act_several"}.get(
            strength, "act_corroborated")
    else:
        key = basis
    tpl = templates.get(key) or templates.get("act_single") or (
        "Shows what the cited sources say; it does not establish that it happened.")
    who = ", ".join(speakers[:4]) + (" and others" if len(speakers) > 4 else "")
    return " ".join(tpl.format(camps=_camps_text(camps), speakers=who or "the outlets").split())


def build_findings(evidence: Iterable[dict[str, Any]], doc_meta: dict[str, dict[str, Any]],
                   side_of: Callable[[dict[str, Any]], str], speaker_camps: dict[str, str],
                   frameworks: dict[str, Framework], rules: Rules,
                   reviews: dict[str, dict[str, Any]] | None = None,
                   story_of_span: Callable[[str, int, int], list[str]] | None = None,
                   granularity: str = "week", max_evidence: int = 25) -> list[WarningFinding]:
    """Group evidence per indicator and period into findings, with strength and ``not_proof``.

    Duplicate documents never count as sources.  A span found twice (by a word
    rule and by a coded event) is one piece of evidence.
    """
    reviews = reviews or {}
    indicator_fw = {i: fw for fw in frameworks.values() for i in fw.indicators}
    groups: dict[tuple[str, str], dict[tuple[str, int, int], dict[str, Any]]] = defaultdict(dict)
    for ev in evidence:
        meta = doc_meta.get(ev["doc_id"]) or {}
        if meta.get("duplicate_of") or ev["indicator"] not in indicator_fw:
            continue
        scope = period_of(meta.get("published"), granularity)
        scope = f"period:{scope}" if scope else "undated"
        key = (ev["doc_id"], ev["start"], ev["end"])
        slot = groups[(ev["indicator"], scope)]
        if key in slot:
            slot[key].setdefault("rules", []).append(ev["rule"])
            continue
        camp = side_of(meta) or UNKNOWN
        outlet = meta.get("publisher") or meta.get("source") or ev["doc_id"]
        slot[key] = {**ev, "rules": [ev["rule"]], "outlet": outlet, "camp": camp,
                     "speaker_camp": speaker_camps.get(ev.get("speaker_id") or ""),
                     "published": meta.get("published")}
    out: list[WarningFinding] = []
    for (ind, scope), spans in sorted(groups.items()):
        fw = indicator_fw[ind]
        indicator = fw.indicators[ind]
        items = sorted(spans.values(), key=lambda x: (x.get("published") or "", x["doc_id"],
                                                      x["start"]))
        outlets = sorted({x["outlet"] for x in items})
        camps = sorted({x["camp"] for x in items if x["camp"] != UNKNOWN})
        strength = (STRENGTHS[2] if len(camps) >= 2 else
                    STRENGTHS[1] if len(outlets) >= 2 else STRENGTHS[0])
        kinds = {x["kind"] for x in items}
        basis = next(k for k in _BASIS_ORDER if k in kinds)
        speakers = sorted({x["speaker"] or f"{x['outlet']} (outlet)" for x in items})
        dates = sorted(x["published"][:10] for x in items if x.get("published"))
        rkey = review_key(fw.id, ind, scope)
        wid = stable_id(fw.id, ind, scope, prefix="w_")
        # the CLI reviews under the key, the web app by id ("id:<id>"): the later one counts
        both = [r for r in (reviews.get(rkey), reviews.get(f"id:{wid}")) if r]
        rev = max(both, key=lambda r: r.get("id") or 0) if both else {}
        stories = sorted({s for x in items for s in (story_of_span(x["doc_id"], x["start"],
                                                                   x["end"])
                                                     if story_of_span else [])})
        evidence = [{k: x.get(k) for k in ("doc_id", "start", "end", "text", "match_start",
                                           "match_end", "speaker", "outlet", "camp",
                                           "speaker_camp", "mode", "quoted", "rules",
                                           "event_id", "published")}
                    for x in items[:max_evidence]]
        out.append(WarningFinding(
            id=wid, framework=fw.id,
            risk_factor=indicator.risk_factor, indicator=ind, scope=scope, evidence=evidence,
            sources=len(outlets), camps=camps, speakers=speakers,
            first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
            strength=strength, basis=basis,
            not_proof=_not_proof(basis, strength, camps, speakers, rules.not_proof),
            review_key=rkey, status=rev.get("status") or "new", note=rev.get("note"),
            story_ids=stories,
            attrs={"indicator_text": indicator.text, "page": indicator.page,
                   "evidence_total": len(items),
                   "allegation_only": all(x["quoted"] or x["mode"] == "reported"
                                          for x in items),
                   "rules": sorted({r for x in items for r in x["rules"]})}))
    return out
