"""Find the vocabulary of ``acled_cues.yaml`` in a parsed text.

Phrases are matched twice, on lemmas and on lower-cased words (the small
English model lemmatises some war words badly, e.g. plural compounds), and
overlapping matches are resolved longest first so that "air base" is a place,
not an air strike, and "suicide car bomb" is not also a car bomb.  Each kept
match becomes a :class:`Cue` carrying its *salience*: how central the phrase is
to what the text reports (lead sentence, main clause, not negated).  ACLED codes
an event by what the report is about, so central phrases decide and peripheral
ones only break ties.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rashomon import data as rdata

CUES_FILE = "acled_cues.yaml"
_SKIP_ENTS = {"DATE", "TIME", "PERSON"}


@dataclass(frozen=True)
class Cue:
    """One vocabulary match: its group (e.g. ``means.air``), token span and salience."""

    group: str
    start: int  # token index in the Doc
    end: int
    char_start: int
    char_end: int
    text: str
    salience: float
    root: Any  # spaCy Token: the syntactic head of the matched phrase


def vocabulary() -> dict[str, list[str]]:
    """Group name (``section.sub`` or ``section``) -> phrases, from the YAML file."""
    raw = rdata.load(CUES_FILE)
    groups: dict[str, list[str]] = {}
    for section, value in raw.items():
        if isinstance(value, dict):
            for sub, phrases in value.items():
                groups[f"{section}.{sub}"] = [str(p) for p in phrases]
        elif isinstance(value, list):
            groups[section] = [str(p) for p in value]
        else:
            raise rdata.DataError(f"{CUES_FILE}: section {section!r} must be a list or mapping")
    return groups


@lru_cache(maxsize=4)
def _matchers(nlp: Any) -> tuple[Any, Any]:
    """A lemma and a word PhraseMatcher over all groups, built once per pipeline.

    Both match on LOWER: the lemma matcher runs over a shadow Doc of lower-cased
    lemmas, so "Suicide bombers" at the start of a headline matches
    "suicide bomber" (spaCy keeps the case of lemmas), and the word matcher
    catches inflected phrases written out in the vocabulary ("blew themselves up").
    """
    from spacy.matcher import PhraseMatcher

    by_lemma = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    groups = vocabulary()
    for group, phrases in groups.items():
        # phrases are written in base form, so the same patterns serve both
        # matchers (lemmatising a lone word out of context is unreliable:
        # "molest" alone is tagged as an adjective)
        patterns = [nlp.make_doc(p) for p in phrases]
        by_lemma.add(group, patterns)
        by_lower.add(group, patterns)
    return by_lemma, by_lower


def _lemma_doc(span: Any) -> Any:
    """A Doc whose words are the lower-cased lemmas of ``span`` (token-aligned)."""
    from spacy.tokens import Doc

    return Doc(span.vocab, words=[_lemma(t) for t in span])


def _lemma(tok: Any) -> str:
    """Lower-cased lemma; a capitalised plural the tagger took for a name loses its -s
    ("Rockets slammed into..." at the start of a sentence)."""
    w = (tok.lemma_ or tok.text).lower()
    if tok.pos_ == "PROPN" and w == tok.lower_ and len(w) > 4 and w.endswith("s") \
            and not w.endswith("ss"):
        return w[:-1]
    return w


def _depth(tok: Any) -> int:
    d = 0
    while tok.head.i != tok.i and d < 40:
        tok = tok.head
        d += 1
    return d


def negated(tok: Any) -> bool:
    """The phrase's head, or the verb it hangs from, carries a negation."""
    for t in (tok, tok.head):
        if any(c.dep_ == "neg" for c in t.children):
            return True
    return False


def salience(root: Any, lead_end: int) -> float:
    """How central a phrase is: lead sentence, closeness to the clause root, negation.

    ``lead_end`` is the token index where the lead (first sentence) ends.
    """
    depth = _depth(root)
    s = (1.0, 0.9, 0.78, 0.66)[depth] if depth < 4 else 0.56
    if root.i >= lead_end:
        s *= 0.7
    if negated(root):
        s *= 0.3
    if unrealised(root):
        s *= 0.5
    return round(s, 4)


_MODALS = {"will", "would", "could", "might", "may", "shall", "should"}
_INTENT = {"plan", "prepare", "threaten", "vow", "wait", "intend", "aim", "seek", "try",
           "attempt", "want", "hope", "expect", "warn", "order", "call", "urge", "demand"}


def unrealised(tok: Any) -> bool:
    """The phrase reports something announced, intended or feared, not something that happened.

    ACLED codes events that took place: "will attack", "preparing to storm",
    "waiting for the order to launch the assault" are not (yet) events.
    """
    verb = tok
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children):
        return True
    t = verb
    for _ in range(3):  # "preparing to storm", "waiting for the order to launch the assault"
        if t.head.i == t.i:
            break
        t = t.head
        if t.lemma_ in _INTENT:
            return True
    return False


def find_cues(doc: Any, nlp: Any, start: int = 0, end: int | None = None) -> list[Cue]:
    """All cues in ``doc[start:end]``, overlaps resolved longest first.

    ``nlp`` is the pipeline that parsed ``doc`` (the matchers need its vocab).
    """
    end = len(doc) if end is None else end
    by_lemma, by_lower = _matchers(nlp)
    span = doc[start:end]
    names = doc.vocab.strings
    found: dict[tuple[int, int], set[str]] = {}
    # the lemma shadow Doc counts from the span's start; a PhraseMatcher run over a
    # Span answers in positions of the span's Doc
    for matcher, target, shift in ((by_lemma, _lemma_doc(span), start), (by_lower, span, 0)):
        for mid, s, e in matcher(target):
            if any(doc[i].ent_type_ in _SKIP_ENTS for i in range(s + shift, e + shift)):
                continue  # "March 21", a person's name: not a cue
            found.setdefault((s + shift, e + shift), set()).add(names[mid])
    # longest first; a match survives if no strictly longer kept match overlaps it
    kept: list[tuple[int, int, set[str]]] = []
    taken: dict[int, int] = {}  # token -> length of the kept match covering it
    for (s, e), groups in sorted(found.items(), key=lambda kv: (-(kv[0][1] - kv[0][0]), kv[0][0])):
        length = e - s
        if any(taken.get(i, 0) > length for i in range(s, e)):
            continue
        if any(i in taken for i in range(s, e)) and not all(taken.get(i) == length
                                                            for i in range(s, e)):
            continue
        for i in range(s, e):
            taken[i] = length
        kept.append((s, e, groups))
    sents = list(span.sents)
    lead_end = sents[0].end if sents else end
    cues: list[Cue] = []
    for s, e, groups in sorted(kept, key=lambda t: t[0]):
        if "ignore" in groups and len(groups) == 1:
            continue
        phrase = doc[s:e]
        sal = salience(phrase.root, lead_end)
        for g in sorted(groups - {"ignore"}):
            cues.append(Cue(g, s, e, phrase.start_char, phrase.end_char, phrase.text, sal,
                            phrase.root))
    return cues


def by_group(cues: list[Cue]) -> dict[str, list[Cue]]:
    """Cues keyed by their group, in text order (the rules ask by criterion)."""
    out: dict[str, list[Cue]] = {}
    for c in cues:
        out.setdefault(c.group, []).append(c)
    return out


def subtree_ids(tok: Any) -> set[int]:
    """Token indices of ``tok``'s subtree (what a phrase governs)."""
    return {t.i for t in tok.subtree}
