"""Evaluate the events layer on PLOVER gold records (JSON array, PLOVER GSR format).

Each gold record is one sentence with one event: ``event`` (PLOVER type; older
names such as DEMAND/FIGHT are mapped to the 2021 types), ``source``/``target``
lists of ``{actorText, code, sector}``.  The layer runs *entities-free* (no
profile, no mentions): actor countries come from the generic gazetteer only.

Because the lexicon was built while looking at some of these sentences, records
are split deterministically by a hash of their id into a ``dev`` half (may be
inspected while tuning) and a ``test`` half (never inspected); both are reported.

Metrics (each over the records where the gold has the field):

* ``type_accuracy``: the best predicted event (the trigger highest in the parse
  tree) has the gold type; ``type_recall_any``: any predicted event has it;
* ``source_country``/``target_country``: the best event's actor country is one
  of the gold actor codes; ``source_sector``/``target_sector`` likewise on the
  first three letters of the sector code;
* ``false_events_per_100``: predicted events beyond one per gold event, per 100
  sentences (plus all events in sentences whose gold has none).

Predicted events are the layer's *PLOVER events told as current*: an event
without a PLOVER category (CAMEO 01x statements, which the PLOVER export leaves
out) or marked as background (``modality["background"]``: history behind the
news, which PLOVER codes as "historical" rather than as a current event) is not
a PLOVER event of the sentence.  ``false_events_per_100_all_coded`` counts every
coded event instead, for comparison with figures before that rule.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from rashomon.analyze.events import normalize_plover
from rashomon.model import Document, Event


def split_of(record_id: str) -> str:
    """Deterministic half: 'dev' or 'test' from the id's hash."""
    return "dev" if int(hashlib.sha256(record_id.encode()).hexdigest()[:8], 16) % 2 == 0 else "test"


def load_records(data_path: str) -> list[dict[str, Any]]:
    with open(data_path, encoding="utf-8") as fh:
        data = json.load(fh)
    return [r for r in data if r.get("event") != "DOCUMENT" and r.get("text")]


def _actors(value: Any) -> list[dict[str, Any]]:
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def _depth(tok: Any) -> int:
    d = 0
    while tok.head.i != tok.i and d < 50:
        tok = tok.head
        d += 1
    return d


def best_event(events: list[Event], sdoc: Any) -> Event | None:
    """The event whose trigger is highest in the parse (the main clause's action)."""
    if not events:
        return None

    def key(e: Event) -> tuple[int, int]:
        trig = e.trigger_span
        assert trig is not None, "coded events carry their trigger span"
        span = sdoc.char_span(trig.start, trig.end, alignment_mode="expand")
        return (_depth(span.root) if span is not None else 99, trig.start)

    return min(events, key=key)


def predict(text: str, nlp: Any, doc_id: str = "eval", date: str | None = None) -> tuple[list[Event], Any]:
    from rashomon.analyze.events import events_layer
    from rashomon.layers import DocContext
    from rashomon.profiles import Profile

    sdoc = nlp(text)
    doc = Document(id=doc_id, source="eval", text=text, published=date)
    ctx = DocContext(doc=doc, sdoc=sdoc, profile=Profile(name="none", path=None, data={},
                                                         fingerprint="none"))
    ctx.results.update({"mentions": [], "timexes": [], "quotes": []})
    return events_layer(ctx)["events"], sdoc


class _Tally:
    def __init__(self) -> None:
        self.c: Counter[str] = Counter()

    def add(self, name: str, ok: bool) -> None:
        self.c[name + "_n"] += 1
        self.c[name + "_ok"] += int(ok)

    def rate(self, name: str) -> float | None:
        n = self.c[name + "_n"]
        return round(self.c[name + "_ok"] / n, 3) if n else None


def _tally_actors(t: _Tally, rec: dict[str, Any], best: Event | None) -> None:
    """Source and target country and sector of the best event against the gold actors."""
    for role, attr in (("source", "source_actor"), ("target", "target_actor")):
        gold_actors = _actors(rec.get(role))
        codes = {a.get("code") for a in gold_actors if a.get("code")}
        sectors = {str(a.get("sector"))[:3] for a in gold_actors if a.get("sector")}
        pred = getattr(best, attr) if best else None
        if codes:
            t.add(f"{role}_country", bool(pred and pred.country in codes))
        if sectors:
            t.add(f"{role}_sector", bool(pred and pred.sector in sectors))


def _prf(hits: int, predicted: int, golds: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of event-level matches."""
    prec = hits / predicted if predicted else 0.0
    rec = hits / golds if golds else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return prec, rec, f1


def counted(events: list[Event]) -> list[Event]:
    """The PLOVER events told as current (see module docstring)."""
    return [e for e in events if e.plover and not (e.modality or {}).get("background")]


def _score(records: list[dict[str, Any]], preds: list[tuple[list[Event], Any]]) -> dict[str, Any]:
    t = _Tally()
    false_events = predicted = hits = golds = false_all = 0
    confusion: Counter[str] = Counter()
    for rec, (all_events, sdoc) in zip(records, preds, strict=True):
        gold = normalize_plover(rec["event"])
        false_all += max(0, len(all_events) - (1 if gold else 0))
        events = counted(all_events)
        best = best_event(events, sdoc)
        pred_type = best.plover if best else None
        t.add("type", pred_type == gold)
        t.add("type_any", any(e.plover == gold for e in events))
        t.add("has_event", bool(events))
        confusion[f"{gold}->{pred_type}"] += int(pred_type != gold)
        false_events += max(0, len(events) - (1 if gold else 0))
        # Event-level counts: each gold record is one event; a sentence's events
        # can match it at most once, every other predicted event is a false one.
        predicted += len(events)
        golds += int(bool(gold))
        hits += int(bool(gold) and any(e.plover == gold for e in events))
        _tally_actors(t, rec, best)
    n = len(records)
    prec, rec, f1 = _prf(hits, predicted, golds)
    return {
        "n": n,
        "type_accuracy": t.rate("type"),
        "type_recall_any": t.rate("type_any"),
        "sentences_with_event": t.rate("has_event"),
        "source_country": t.rate("source_country"),
        "source_country_n": t.c["source_country_n"],
        "source_sector": t.rate("source_sector"),
        "source_sector_n": t.c["source_sector_n"],
        "target_country": t.rate("target_country"),
        "target_country_n": t.c["target_country_n"],
        "target_sector": t.rate("target_sector"),
        "target_sector_n": t.c["target_sector_n"],
        "false_events_per_100": round(100 * false_events / n, 1) if n else None,
        "false_events_per_100_all_coded": round(100 * false_all / n, 1) if n else None,
        "predicted_events": predicted,
        "event_precision": round(prec, 3),
        "event_recall": round(rec, 3),
        "event_f1": round(f1, 3),
        "top_confusions": [k for k, v in confusion.most_common(8) if v],
    }


def evaluate_events(data_path: str, limit: int | None = None,
                    progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None
                    ) -> dict[str, Any]:
    """Score the events layer on a PLOVER gold file; report dev and held-out test halves.

    :param limit: score only the first ``limit`` records (a smoke run).
    :param progress: wraps the record stream, given (iterable, total).
    """
    from rashomon.analyze.nlp import load_nlp

    nlp = load_nlp()
    records = load_records(data_path)
    if limit:
        records = records[:limit]
    stream: Iterable[dict[str, Any]] = records
    if progress:
        stream = progress(records, len(records))
    preds = [predict(r["text"], nlp, r.get("id", "eval"), r.get("date")) for r in stream]
    halves: dict[str, Any] = {}
    for half in ("dev", "test"):
        idx = [i for i, r in enumerate(records) if split_of(str(r.get("id", i))) == half]
        halves[half] = _score([records[i] for i in idx], [preds[i] for i in idx])
    return {"data": data_path, "all": _score(records, preds), **halves,
            "note": "dev = half inspected while building the lexicon; test = held-out half"}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="PLOVER gold JSON array")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    print(json.dumps(evaluate_events(args.data, args.limit), indent=2))


if __name__ == "__main__":
    main()
