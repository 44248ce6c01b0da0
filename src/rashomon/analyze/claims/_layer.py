"""Claims: check-worthy assertions, attributed to their speaker and, separately, to the outlet.

A claim is one sentence-level assertion with slots that make it comparable
across sources:

* ``action``: a coded event (who did what to whom, when, where);
* ``qualification``: a legal or moral qualifier ("illegal", "genocide",
  "self-defence"...) from the profile's qualifier pairs or the generic list in
  ``data/qualifiers.yaml``, with the pair and pole it belongs to and the thing
  qualified (the noun it modifies, or the profile's ``about`` patterns);
* ``number``: a count with its unit ("120,000 people");
* ``date``: a dated decision, statement or order ("the order of the court of
  22 February 2023").

The speaker is the quote's speaker when the sentence lies in a quote, else
the claim is the outlet's own assertion (``speaker`` None).  The outlet and
its side are kept apart from the speaker, so a quoted official is never
conflated with the outlet that prints them.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.attrs import LEMMA

from rashomon import data as rdata
from rashomon.analyze.spans import doc_text, sent_of
from rashomon.layers import DocContext
from rashomon.model import Actor, Claim, Event, Mention, Quote, Span, TimeExpr, stable_id
from rashomon.profiles import Profile

_NUMBER_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:[\s-](thousand|million|billion))?(?!\w)",
    re.I,
)
_APPROX = re.compile(
    r"\b(about|around|over|more than|almost|nearly|some|up to|at least|roughly|approximately)\b",
    re.I)
_MULT = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


@lru_cache(maxsize=1)
def generic_lexicon() -> dict[str, Any]:
    """Conflict-independent qualifiers and decision nouns (``data/qualifiers.yaml``)."""
    return rdata.load("qualifiers.yaml")


# Characters that case-insensitive matching equates with an ASCII letter although
# str.lower() does not map them onto it (Python re documentation, IGNORECASE).
_FOLD = str.maketrans({"\u017f": "s", "\u212a": "k", "\u0130": "i", "\u0131": "i"})
_LETTERS = re.compile(r"[a-z]+")


def _lead(term: str) -> str | None:
    """The longest run of ASCII letters of an ASCII term, lowercased: any match contains it.

    The term's pattern keeps each run of letters contiguous, and a
    case-insensitive match pairs each letter with a character that folds
    (``_FOLD``, then ``lower``) to exactly that letter, so the folded text
    contains the run.  None when there is no such run (no shortcut).
    """
    if not term.isascii():
        return None
    runs = _LETTERS.findall(term.lower())
    return max(runs, key=len) if runs else None


def _pattern(term: str) -> str:
    """Profile pattern syntax: literal phrase, ``*`` suffix = any word ending."""
    star = term.endswith("*")
    core = re.escape(term.rstrip("*")).replace(r"\ ", r"[\s\-‑–]+")
    return r"(?<!\w)" + core + (r"\w*" if star else r"(?!\w)")


class QualifierMatcher:
    """Compiled qualifier pairs: finds (pair, pole, term) occurrences in text."""

    # How close an ``about`` term must be to the qualifier (characters), so that
    # in "illegal activities were halted after the checkpoint was set up" the
    # word "illegal" is not read as qualifying the checkpoint.
    NEAR_BEFORE, NEAR_AFTER = 40, 60

    def __init__(self, pairs: list[dict[str, Any]]) -> None:
        self.pairs = pairs
        self.compiled: list[tuple[str, str, str, re.Pattern[str], re.Pattern[str] | None]] = []
        self.about_in = {p["name"]: p.get("about_in", "near") for p in pairs}
        for pair in pairs:
            about = pair.get("about") or []
            about_re = re.compile("|".join(_pattern(a) for a in about), re.I) if about else None
            for pole in ("a", "b"):
                for term in pair.get(pole) or []:
                    self.compiled.append(
                        (pair["name"], pole, term, re.compile(_pattern(term), re.I), about_re))
        terms = sorted({t for _n, _p, t, _r, _a in self.compiled}, key=len, reverse=True)
        self.any_rx = re.compile("|".join(_pattern(t) for t in terms), re.I) if terms else None
        # Substring pre-checks: a term cannot match a text whose folded form lacks
        # its longest run of letters (``_lead``); a term without one is always tried.
        self.leads = [_lead(t) for _n, _p, t, _r, _a in self.compiled]
        # one case-sensitive literal scan of the folded text finds whether any lead occurs
        self.any_lead = None if None in self.leads or not self.leads else re.compile(
            "|".join(re.escape(w) for w in sorted(set(self.leads))))  # type: ignore[arg-type]

    def _about(self, name: str, about_re: re.Pattern[str], text: str, m: re.Match[str],
               context: str) -> str | None:
        """The ``about`` term this hit is about, or None.

        ``about_in: near`` (default): in the hit itself or close to it;
        ``about_in: context``: anywhere in the sentence or the one before it.
        """
        inside = about_re.search(m.group(0))
        if inside:
            return inside.group(0).lower()
        if self.about_in.get(name) == "context":
            a = about_re.search(text) or about_re.search(context)
            return a.group(0).lower() if a else None
        lo, hi = max(0, m.start() - self.NEAR_BEFORE), m.end() + self.NEAR_AFTER
        best = None
        for a in about_re.finditer(text, lo, min(len(text), hi)):
            dist = abs(a.start() - m.start())
            if best is None or dist < best[0]:
                best = (dist, a.group(0).lower())
        return best[1] if best else None

    def find(self, text: str, context: str = "") -> list[dict[str, Any]]:
        if self.any_rx is None:
            return []
        # A term whose letter run is missing from the folded text cannot match there,
        # so most sentences cost one literal scan.  (The combined regex ``any_rx``
        # is not run: it matches exactly when some term does, which the loop finds.)
        folded = text.translate(_FOLD).lower()
        if self.any_lead is not None and self.any_lead.search(folded) is None:
            return []
        hits = []
        for (name, pole, term, rx, about_re), lead in zip(self.compiled, self.leads, strict=True):
            if lead is not None and lead not in folded:
                continue
            for m in rx.finditer(text):
                about = None
                if about_re is not None:
                    about = self._about(name, about_re, text, m, context)
                    if about is None:
                        continue
                hits.append({"pair": name, "pole": pole, "term": term, "start": m.start(),
                             "end": m.end(), "about": about})
        # Drop a hit contained in a longer hit ("illegally" vs "illegal"), and a
        # generic pair's hit on a span a profile pair (listed first) already took.
        order: dict[str, int] = {}
        for i, (name, *_rest) in enumerate(self.compiled):
            order.setdefault(name, i)
        hits.sort(key=lambda h: (h["start"], -(h["end"] - h["start"]), order[h["pair"]]))
        kept: list[dict[str, Any]] = []
        for h in hits:
            if any(k["start"] <= h["start"] and h["end"] <= k["end"]
                   and (k["pair"] == h["pair"] or (k["start"], k["end"]) == (h["start"], h["end"]))
                   for k in kept):
                continue
            kept.append(h)
        return kept


_MATCHERS: dict[str, QualifierMatcher] = {}


def matcher_for(profile: Profile) -> QualifierMatcher:
    """One compiled matcher per profile (profile pairs first, then generic ones)."""
    m = _MATCHERS.get(profile.fingerprint)
    if m is None:
        pairs = list(profile.lexicon.get("qualifier_pairs") or [])
        names = {p["name"] for p in pairs}
        pairs += [p for p in generic_lexicon().get("qualifier_pairs", []) if p["name"] not in names]
        m = _MATCHERS[profile.fingerprint] = QualifierMatcher(pairs)
    return m


def _speaker_for(quotes: list[Quote], start: int, end: int) -> tuple[Actor | None, str | None]:
    for q in quotes:
        if q.start <= start < q.end or start <= q.start < end:
            return q.speaker, q.id
    return None, None


def _qualified_object(sent: Any, start_char: int, end_char: int) -> str | None:
    """The noun a qualifier modifies ("illegal *checkpoint*"), via the parse."""
    tokens = [t for t in sent if t.idx >= start_char and t.idx < end_char]
    if not tokens:
        return None
    tok = tokens[-1]
    if tok.dep_ in ("amod", "compound", "advmod") and tok.head.pos_ in ("NOUN", "PROPN", "VERB"):
        return tok.head.lemma_.lower()
    if tok.pos_ in ("NOUN", "PROPN"):
        return tok.lemma_.lower()
    if tok.dep_ == "acomp":
        subj = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0].lemma_.lower()
    return tok.head.lemma_.lower() if tok.head is not tok else None


def _number_value(text: str) -> tuple[float, str] | None:
    m = _NUMBER_RE.search(text)
    if not m:
        return None
    value = float(m.group(1).replace(",", ""))
    if m.group(2):
        value *= _MULT[m.group(2).lower()]
    return value, m.group(0)


_NEGATORS = frozenset(rdata.section("claims.yaml", "negators"))


def _negated(sent: Any, start_char: int, end_char: int) -> bool:
    """Is the qualifier itself negated ("is not illegal", "no blockade", "did not seal off")?

    Only predicates, objects and the qualifier's own modifiers count: in
    "the blockade is not an isolated incident" the negation is about
    "incident", not about "blockade".
    """
    tokens = [t for t in sent if start_char <= t.idx < end_char]
    if not tokens:
        return False
    tok = tokens[-1]
    if any(_negates(child) for t in _negation_scope(tok) for child in t.children):
        return True
    if tok.pos_ == "ADJ":
        # a negated verb before a predicative adjective, even when the parse
        # attaches the adjective oddly ("did not call the post at X illegal")
        verb = next((a for a in tok.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if verb is not None and verb.i < tok.i and any(
                c.dep_ == "neg" for c in verb.children):
            return True
    return False


def _negation_scope(tok: Any) -> list[Any]:
    """The qualifier, the word it modifies and the predicate it completes."""
    scope = [tok]
    node = tok
    if node.dep_ in ("amod", "compound", "prt") and node.head is not node:
        node = node.head  # "an illegal checkpoint" -> checkpoint; "sealed off" -> sealed
        scope.append(node)
    predicative = ("acomp", "attr", "oprd", "dobj")
    if node.pos_ == "ADJ":  # "did not find it unlawful", "did not call it illegal"
        predicative += ("xcomp", "ccomp")
    if node.dep_ in predicative and node.head is not node:
        scope.append(node.head)
    return scope


def _negates(child: Any) -> bool:
    """A negating dependent: "not", "never", "no ...", or a subject "no one"."""
    if child.dep_ == "neg" or child.lower_ in _NEGATORS:
        return True
    return child.dep_ in ("nsubj", "nsubjpass") and any(
        g.lower_ == "no" for g in child.children)  # "no one was expelled"


def _decision_for(sdoc: Any, start: int, end: int, deciders: list[Any]) -> Any | None:
    """The decision word a date expression dates, if it is attached to one.

    Walking up from the date, the first verb or decision word met must be the
    decision itself (or a participle such as "dated"/"issued" modifying it):
    in "ordered ..., in a case brought last month" the date belongs to
    "brought", not to "ordered".
    """
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    ids = {d.i for d in deciders}
    for anc in tok.ancestors:
        if anc.i in ids:
            return anc
        if anc.pos_ in ("VERB", "AUX"):
            if anc.dep_ == "acl" and anc.head.i in ids:
                return anc.head  # "the decision dated 22 February"
            for child in anc.children:  # "issued its order on 22 February"
                if child.i in ids and child.dep_ in ("dobj", "nsubjpass", "nsubj"):
                    return child
            return None
    return None


def _lemma_positions(sdoc: Any, words: set[str]) -> list[int]:
    """Sorted indices of the tokens whose lowercased lemma is in ``words``.

    Read from the lemma array once per document, so the sentence loop does not
    build a Token object for every token of every sentence.
    """
    lemmas = sdoc.to_array(LEMMA).tolist()
    strings = sdoc.vocab.strings
    # a string's hash is fixed (not per vocabulary), so the verdict per hash is kept
    seen = _LEMMA_VERDICTS.setdefault(frozenset(words), {})
    if len(seen) > 100_000:  # bounded: memory stays flat over a long corpus
        seen.clear()
    wanted = set()
    for h in set(lemmas):
        ok = seen.get(h)
        if ok is None:
            ok = seen[h] = strings[h].lower() in words
        if ok:
            wanted.add(h)
    return [i for i, h in enumerate(lemmas) if h in wanted]


_LEMMA_VERDICTS: dict[frozenset[str], dict[int, bool]] = {}


@dataclass
class _Sentence:
    """One sentence as the claim finders see it."""

    sent: Any
    n: int  # position in the document
    start: int
    end: int
    text: str
    entity_ids: list[str]


AddClaim = Callable[..., None]


def _polarity(ev: Event) -> str:
    if ev.modality.get("negated"):
        return "negative"
    return "hypothetical" if ev.modality.get("hypothetical") else "positive"


def _action_claims(events: list[Event], add: AddClaim) -> None:
    """Every coded event is an action claim: who did what to whom, when and where."""
    for ev in events:
        add("action", ev.start, ev.end, {
            "actor": (ev.source_actor.entity_id or ev.source_actor.name) if ev.source_actor else None,
            "action": ev.plover, "cameo": ev.cameo, "trigger": ev.trigger,
            "object": (ev.target_actor.entity_id or ev.target_actor.name) if ev.target_actor else None,
            "date": ev.date, "polarity": _polarity(ev),
            "place": (ev.place or {}).get("entity_id"),
        }, event_id=ev.id, key=ev.id)


def _qualification_claims(st: _Sentence, hits: list[dict[str, Any]], two_poled: set[str],
                          doc_id: str, full: str, add: AddClaim) -> None:
    """A loaded qualifier ("illegal", "blockade") with its pole, object and negation."""
    s = st.start
    for hit in hits:
        negated = _negated(st.sent, s + hit["start"], s + hit["end"])
        if negated and hit["pair"] in two_poled:  # "not illegal" takes the other pole
            hit["pole"] = "b" if hit["pole"] == "a" else "a"
        hit["negated"] = negated
    poles: dict[str, set[str]] = {}
    for hit in hits:
        poles.setdefault(hit["pair"], set()).add(hit["pole"])
    for hit in hits:
        qualifier = Span(doc_id=doc_id, start=s + hit["start"], end=s + hit["end"])
        obj = _qualified_object(st.sent, qualifier.start, qualifier.end)
        add("qualification", s, st.end, {
            "qualifier": qualifier.text_in(full), "pair": hit["pair"],
            "pole": hit["pole"], "term": hit["term"], "object": obj, "about": hit["about"],
            "entities": st.entity_ids, **qualifier.to_keys("q"),
            "negated": hit["negated"], "mixed": len(poles[hit["pair"]]) > 1,
        }, key=f"{hit['pair']}:{hit['start']}")


_COUNT_LABELS = ("CARDINAL", "QUANTITY", "PERCENT", "MONEY")


def _number_unit(ent: Any, st: _Sentence,
                 last_unit: tuple[str, int] | None) -> tuple[str, bool] | None:
    """What a number counts, and whether the unit was taken from a sentence before."""
    head = ent.root.head if ent.root.dep_ in ("nummod", "quantmod") else ent.root
    if ent.label_ == "PERCENT":
        return "percent", False
    if head.pos_ in ("NOUN", "PROPN") and head.i >= ent.end - 1:
        return head.lemma_.lower(), False
    if last_unit and st.n - last_unit[1] <= 2:
        # "12,000 people have left ... others put the number at 3,000"
        return last_unit[0], True
    return None  # a bare number counts nothing we can compare


def _number_claims(st: _Sentence, ents: Iterable[Any], last_unit: tuple[str, int] | None,
                   add: AddClaim) -> tuple[str, int] | None:
    """Counted things ("12,000 people"); returns the unit later sentences may inherit."""
    s = st.start
    for ent in ents:
        if ent.label_ not in _COUNT_LABELS:
            continue
        parsed = _number_value(ent.text)
        if parsed is None:
            continue
        found = _number_unit(ent, st, last_unit)
        if found is None:
            continue
        unit, inherited = found
        if parsed[0] < 2 and unit != "percent":
            continue
        context = st.text[max(0, ent.start_char - s - 15):ent.end_char - s]
        add("number", s, st.end, {"value": parsed[0], "surface": ent.text, "unit": unit,
                                  "unit_inherited": inherited, "entities": st.entity_ids,
                                  "approx": bool(_APPROX.search(context))},
            key=f"n:{ent.start_char}")
        if not inherited:
            last_unit = (unit, st.n)
    return last_unit


def _date_claims(st: _Sentence, sdoc: Any, deciders: list[Any], timexes: list[TimeExpr],
                 family_of: dict[str, str], add: AddClaim) -> None:
    """A date tied to a decision ("the court ruled on 3 May"): when something was decided."""
    s, e = st.start, st.end
    for tx in timexes:
        if not (s <= tx.start < e and tx.value_start and "implausible" not in tx.flags
                and tx.granularity in ("day", "month")):
            continue
        decider = _decision_for(sdoc, tx.start, tx.end, deciders)
        if decider is None:
            continue
        add("date", s, e, {"date": tx.value_start, "date_end": tx.value_end,
                           "granularity": tx.granularity,
                           "decision": family_of[decider.lemma_.lower()],
                           "decision_word": decider.lemma_.lower(),
                           "entities": st.entity_ids, "timex": tx.text},
            key=f"d:{tx.start}")


def claims_layer(ctx: DocContext) -> dict[str, list[Claim]]:
    """Extract claims sentence by sentence, reusing events, quotes, mentions and dates."""
    doc, sdoc = ctx.doc, ctx.sdoc
    quotes: list[Quote] = ctx.results.get("quotes", [])  # type: ignore[assignment]
    events: list[Event] = ctx.results.get("events", [])  # type: ignore[assignment]
    mentions: list[Mention] = ctx.results.get("mentions", [])  # type: ignore[assignment]
    timexes: list[TimeExpr] = ctx.results.get("timexes", [])  # type: ignore[assignment]
    outlet = doc.publisher
    side = ctx.profile.side_of(doc)
    matcher = matcher_for(ctx.profile)
    families = generic_lexicon().get("decision_families", {})
    family_of = {w: fam for fam, words in families.items() for w in words}
    claims: list[Claim] = []

    def add(kind: str, s: int, e: int, slots: dict[str, Any], event_id: str | None = None,
            key: str = "") -> None:
        speaker, qid = _speaker_for(quotes, s, e)
        claims.append(Claim(
            id=stable_id(doc.id, s, e, kind, key, prefix="c"), doc_id=doc.id, start=s, end=e,
            text=doc.text[s:e], kind=kind, speaker=speaker, outlet=outlet, side=side,
            slots=slots, event_id=event_id, quote_id=qid,
        ))

    _action_claims(events, add)
    if sdoc is None:
        return {"claims": claims}
    previous = ""
    last_unit: tuple[str, int] | None = None
    # Span.ents rescans the whole document each time; bucket the entities once
    ents_by_sent: dict[int, list[Any]] = {}
    for ent in sdoc.ents:
        ents_by_sent.setdefault(sent_of(ent).start, []).append(ent)
    decider_ix = _lemma_positions(sdoc, set(family_of))
    two_poled = {p["name"] for p in matcher.pairs if p.get("a") and p.get("b")}
    # mentions by start offset, so each sentence takes its own with two bisections
    by_start = sorted((m.start, m.entity_id) for m in mentions)
    mention_starts = [st for st, _eid in by_start]
    full = doc_text(sdoc)  # Span.text rebuilds the sentence token by token; slice once-built text
    for n_sent, sent in enumerate(sdoc.sents):
        s, e = sent.start_char, sent.end_char
        lo, hi = bisect_left(mention_starts, s), bisect_left(mention_starts, e)
        st = _Sentence(sent, n_sent, s, e, full[s:e],
                       sorted({eid for _st, eid in by_start[lo:hi]}))
        # a question asserts nothing ("Changes in Blockade?")
        hits = [] if st.text.rstrip().rstrip("”\"'’").endswith("?") \
            else matcher.find(st.text, previous)
        previous = st.text
        _qualification_claims(st, hits, two_poled, doc.id, full, add)
        last_unit = _number_claims(st, ents_by_sent.get(sent.start, ()), last_unit, add)
        lo, hi = bisect_left(decider_ix, sent.start), bisect_left(decider_ix, sent.end)
        deciders = [sdoc[i] for i in decider_ix[lo:hi]]
        if deciders:
            _date_claims(st, sdoc, deciders, timexes, family_of, add)
    return {"claims": claims}
