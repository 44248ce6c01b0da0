"""Pronoun and definite-description resolution for event arguments.

An event whose source is "which", "he" or "they" cannot be compared with the
same happening told by another outlet, so before an argument is coded it is
resolved, cheaply and conservatively:

* relative pronouns (who/which/that/whom/whose) take the noun their relative
  clause modifies ("the government, which denies it" -> the government);
* he/she take the nearest earlier person, it the nearest earlier organisation or
  state, they the nearest earlier group or plural actor; candidates are the
  entity mentions (``kind`` person/state/organisation/...) and actor-like noun
  phrases of the parse (a sector noun, a person noun, a named entity, a country
  or demonym).  Inside the sentence the nearest compatible candidate wins; in up
  to three earlier sentences only a subject or a named mention is taken;
* I/we take the speaker of the quote they sit in, else the self-introduced
  writer of a letter ("I, <Name>, ..." / "We, <group>, ...") from that point on;
  you takes the addressee of an inline "To <addressee>: ..." paragraph;
* "nobody", "no one", "none", "neither" resolve to :data:`NOBODY`: the caller
  marks the event negated instead of naming an actor;
* a definite place noun ("the road", "the bridge") is resolved to the place
  mention it refers back to, for event places.

An unresolvable pronoun is returned as ``None``; the caller keeps its text with
no entity.  Nothing here is specific to any conflict or language variety beyond
general English news usage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from spacy.attrs import DEP, HEAD, LOWER, POS
from spacy.parts_of_speech import IDS

from rashomon.analyze.events._codes import lexicon, word_set
from rashomon.analyze.events._params import DEFAULT_PARAMS, EventParams
from rashomon.analyze.events._phrase import semantic_head
from rashomon.analyze.spans import doc_text, sent_of
from rashomon.model import Actor, Mention, Quote
from rashomon.text import is_dateline, is_place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_ARG_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "poss", "attr", "dative", "agent"}


@lru_cache(maxsize=1)
def pronouns() -> frozenset[str]:
    """Every personal pronoun coreference resolves (not the relative ones)."""
    return (word_set("personal_pronouns") | word_set("neuter_pronouns") | word_set("plural_pronouns")
            | word_set("first_person_pronouns") | word_set("second_person_pronouns"))


class NameMatcher(Protocol):
    """What coreference needs of a gazetteer (``rashomon.text.Gazetteer``): its name matches
    over tokens.  A protocol, so the resolver does not import the actor coder that uses it."""

    def matches(self, tokens: list[Token]) -> list[tuple[int, int, str, str]]: ...


class _Nobody:
    """Sentinel for a negative quantifier argument ("nobody", "no one")."""

    def __repr__(self) -> str:
        return "NOBODY"


NOBODY = _Nobody()


@dataclass
class Antecedent:
    """A possible antecedent: an actor-like phrase that precedes the pronoun."""

    start: int
    end: int
    cls: str  # person, org, group
    plural: bool
    subject: bool
    named: bool
    sent_start: int
    head: Token
    mention: Mention | None = None


@dataclass
class Resolution:
    """What a pronoun stands for: a parse token, a mention or a ready actor."""

    head: Token | None = None
    mention: Mention | None = None
    actor: Actor | None = None
    via: str = ""


# what :meth:`Coref.resolve` answers: a resolution, NOBODY, or nothing
Resolved = Resolution | _Nobody | None


@lru_cache(maxsize=1)
def person_nouns() -> frozenset[str]:
    return frozenset(str(w).lower() for w in lexicon().get("person_nouns") or [])


@lru_cache(maxsize=1)
def _place_nouns() -> dict[str, tuple[str, ...]]:
    raw = lexicon().get("place_nouns") or {}
    return {str(k).lower(): tuple(v) for k, v in raw.items()}


def is_negative_quantifier(tok: Token) -> bool:
    """"nobody", "none", "neither", "no one", or a noun under the determiner "no"."""
    low = tok.lower_
    if low in word_set("negative_quantifiers"):
        return True
    if low == "one" and tok.i > 0 and tok.doc[tok.i - 1].lower_ == "no":
        return True
    return tok.pos_ in ("NOUN", "PROPN") and any(
        c.dep_ == "det" and c.lower_ == "no" for c in tok.children)


def _mention_class(m: Mention) -> str | None:
    kind = (m.kind or (m.attrs or {}).get("kind") or "").lower()
    if kind == "person":
        return "person"
    if kind in word_set("organisation_kinds"):
        return "org"
    if kind in word_set("group_kinds"):
        return "group"
    return None


def _token_class(tok: Token, gaz: NameMatcher | None, sectors: dict[str, str]) -> str | None:
    lemma = tok.lemma_.lower()
    proper = tok.pos_ == "PROPN"  # the tagger's entity labels on common nouns are noise
    if lemma in person_nouns() or (proper and tok.ent_type_ == "PERSON"):
        return "person"
    if (proper and tok.ent_type_ in ("ORG", "GPE", "NORP")) or lemma in sectors \
            or tok.lower_ in sectors:
        return "org"
    if gaz is not None and gaz.matches([tok]):
        return "org"
    return None


class Coref:
    """Resolves pronouns of one document against its mentions and parse."""

    def __init__(self, sdoc: Doc, mentions: list[Mention], quotes: list[Quote] | None = None,
                 author: Actor | None = None, author_start: int | None = None,
                 addressees: list[tuple[int, int, Actor]] | None = None,
                 gaz: NameMatcher | None = None, sectors: dict[str, str] | None = None,
                 params: EventParams = DEFAULT_PARAMS) -> None:
        self.sdoc = sdoc
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.quotes = quotes or []
        self.author = author
        self.author_start = author_start
        self.addressees = addressees or []
        self.gaz = gaz
        self.sectors = sectors or {}
        self.params = params
        self._cands: list[Antecedent] | None = None

    # -- candidates ------------------------------------------------------------
    def candidates(self) -> list[Antecedent]:
        if self._cands is None:
            self._cands = self._build()
        return self._cands

    def _build(self) -> list[Antecedent]:
        by_head, inner = self._mention_heads()
        # the tests are pure, so the cheap ones run first (same candidates, same order);
        # part of speech and dependency label are read from the Doc's arrays, so only the
        # nouns that pass become Token objects
        keep = _noun_heads(self.sdoc)
        no_heads = _no_determined(self.sdoc)
        out: list[Antecedent] = []
        k = 0
        for sent in self.sdoc.sents:
            while k < len(keep) and keep[k] < sent.start:
                k += 1
            while k < len(keep) and keep[k] < sent.end:
                cand = self._candidate_at(keep[k], sent, by_head, inner, no_heads)
                k += 1
                if cand is not None:
                    out.append(cand)
        return out

    def _mention_heads(self) -> tuple[dict[int, Mention], set[int]]:
        """Mentions by the index of their head token, and the other tokens of names
        ("of Dravenia")."""
        by_head: dict[int, Mention] = {}
        inner: set[int] = set()
        for m in self.mentions:
            span = self.sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            root = span.root.i  # (Span.root walks the span: once per mention)
            by_head[root] = m
            inner.update(i for i in range(span.start, span.end) if i != root)
        return by_head, inner

    def _candidate_at(self, i: int, sent: Span, by_head: dict[int, Mention], inner: set[int],
                      no_heads: set[int]) -> Antecedent | None:
        """The antecedent candidate headed by noun ``i``, or None."""
        tok = self.sdoc[i]
        m = by_head.get(i)
        if m is None and i in inner:
            return None
        # a place mention has no actor class: not an actor antecedent
        cls = _mention_class(m) if m is not None else _token_class(tok, self.gaz, self.sectors)
        if cls is None or self._negative_noun(tok, no_heads) or is_dateline(tok):
            return None
        plural = tok.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in tok.children)
        start = tok.left_edge.idx if m is None else m.start
        return Antecedent(
            start=start, end=tok.idx + len(tok.text), cls=cls, plural=plural,
            subject=tok.dep_ in ("nsubj", "nsubjpass"),
            named=m is not None or tok.pos_ == "PROPN", sent_start=sent.start_char,
            head=tok, mention=m)

    def _negative_noun(self, tok: Token, no_heads: set[int]) -> bool:
        """:func:`is_negative_quantifier` for a noun, with the "no" determiners indexed."""
        low, i = tok.lower_, tok.i
        return low in word_set("negative_quantifiers") or i in no_heads or (
            low == "one" and i > 0 and self.sdoc[i - 1].lower_ == "no")

    # -- resolution ------------------------------------------------------------
    def resolve(self, tok: Token) -> Resolved:
        """What ``tok`` (an argument head) refers to, :data:`NOBODY`, or None."""
        low = tok.lower_
        if is_negative_quantifier(tok) and tok.pos_ in ("PRON", "NOUN", "NUM"):
            return NOBODY
        if low in word_set("relative_pronouns") and tok.tag_ in ("WDT", "WP", "WP$") \
                and tok.dep_ in _ARG_DEPS:
            return self._relative(tok)
        if tok.pos_ != "PRON" and low not in pronouns():
            return None
        return self._personal(tok, low)

    def _personal(self, tok: Token, low: str) -> Resolution | None:
        """A personal pronoun by person and number (see module docstring)."""
        if low in word_set("first_person_pronouns"):
            return self._first_person(tok)
        if low in word_set("second_person_pronouns"):
            return self._second_person(tok)
        if low in word_set("personal_pronouns"):
            return self._antecedent(tok, {"person"}, plural=False)
        if low in word_set("neuter_pronouns"):
            if is_propositional(tok):
                return None
            return self._antecedent(tok, {"org", "group"}, plural=False)
        if low in word_set("plural_pronouns"):
            return (self._antecedent(tok, {"person", "org", "group"}, plural=True)
                    or self._antecedent(tok, {"group"}, plural=None))
        return None

    def _relative(self, tok: Token) -> Resolution | None:
        t = tok
        for _ in range(self.params.relative_depth):
            if t.dep_ == "relcl" and t.head.i != t.i:
                head = t.head
                if head.pos_ == "PRON":
                    return None
                return Resolution(head=head, via="relative")
            if t.head.i == t.i:
                break
            t = t.head
        return None

    def _first_person(self, tok: Token) -> Resolution | None:
        for q in self.quotes:
            if q.start <= tok.idx < q.end and getattr(q, "speaker", None):
                return Resolution(actor=q.speaker, via="quote_speaker")
        if self.author is not None and (self.author_start is None
                                        or tok.idx >= self.author_start):
            return Resolution(actor=self.author, via="letter_author")
        return None

    def _second_person(self, tok: Token) -> Resolution | None:
        for start, end, actor in self.addressees:
            if start <= tok.idx < end:
                return Resolution(actor=actor, via="addressee")
        return None

    def _antecedent(self, tok: Token, classes: set[str], plural: bool | None,
                    depth: int = 0) -> Resolution | None:
        sent = sent_of(tok)
        # "It does not ..., and it rejected ...": the same pronoun earlier as a subject
        if depth < 2:
            same = next((t for t in sent if t.i < tok.i and t.lower_ == tok.lower_
                         and t.dep_ in ("nsubj", "nsubjpass")), None)
            if same is not None:
                return self._antecedent(same, classes, plural, depth + 1)
        near, earlier = self._scan(tok, sent, classes, plural)
        if near is not None:
            return self._as_resolution(near, "same_sentence")
        for s_start in sorted(earlier, reverse=True)[:self.params.coref_lookback_sents]:
            res = self._in_earlier_sentence(tok, s_start, earlier[s_start])
            if res is not None:
                return res
        return None

    def _scan(self, tok: Token, sent: Span, classes: set[str], plural: bool | None
              ) -> tuple[Antecedent | None, dict[int, list[Antecedent]]]:
        """The nearest accessible candidate of the pronoun's sentence (else the nearest
        one inside a clause the pronoun is not part of) and the earlier candidates by
        sentence start."""
        verb = _clause_verb(tok)
        pron_scope = {t.i for t in tok.ancestors} | {tok.i}
        best: Antecedent | None = None
        demoted: Antecedent | None = None
        earlier: dict[int, list[Antecedent]] = {}
        for c in self.candidates():
            if c.end > tok.idx:
                break
            if tok.idx - c.end > self.params.coref_max_gap or c.cls not in classes \
                    or (plural is not None and c.plural != plural):
                continue
            if c.sent_start != sent.start_char:
                earlier.setdefault(c.sent_start, []).append(c)
            # a co-argument of the same verb is never the antecedent ("he shot him")
            elif (verb is not None and _clause_verb(c.head) is verb and tok.dep_ != "poss") \
                    or c.head.i in pron_scope:
                continue
            elif all(b in pron_scope for b in _clause_bounds(c.head)):
                best = c  # nearest accessible so far
            else:
                demoted = c  # inside a clause the pronoun is not part of
        return best or demoted, earlier

    def _in_earlier_sentence(self, tok: Token, s_start: int, cands: list[Antecedent]
                             ) -> Resolution | None:
        """The antecedent in an earlier sentence: its main subject, else its last name."""
        main = _main_subject(sent_of(self.sdoc.char_span(s_start, s_start + 1,
                                                         alignment_mode="expand")[0]))
        if main is not None:
            hit = next((c for c in cands if c.head.i == main.i), None)
            if hit is not None:
                return self._as_resolution(hit, "previous_subject")
            # "The order ... It does not ...", "The nationalists ... They started ...":
            # the previous main subject, actor-like or not, agreeing in number
            if _agrees_in_number(tok, main):
                return Resolution(head=main, via="previous_subject")
        named = [c for c in cands if c.mention is not None and not _clause_bounds(c.head)]
        if named:
            return self._as_resolution(named[-1], "previous_name")
        return None

    @staticmethod
    def _as_resolution(c: Antecedent, via: str) -> Resolution:
        return Resolution(head=c.head, mention=c.mention, via=via)

    # -- places ------------------------------------------------------------------
    def place_for_noun(self, tok: Token) -> Mention | None:
        """The place a definite noun ("the road", "the bridge") refers back to.

        Earlier place mentions of a compatible kind (a road -> a route) are
        preferred when the same noun stood next to them ("a checkpoint at X
        Bridge" ... "at the checkpoint"), then the nearest compatible one.
        """
        kinds = _place_nouns().get(tok.lemma_.lower())
        if not kinds or not any(c.dep_ == "det" and c.lower_ in word_set("definite_determiners")
                                for c in tok.children):
            return None
        lemma = tok.lemma_.lower()
        reach = self.params.place_gap_factor * self.params.coref_max_gap
        window = self.params.place_word_window
        places = [m for m in self.mentions if is_place(m) and m.end <= tok.idx
                  and tok.idx - m.end < reach]

        def near_word(m: Mention) -> bool:
            text = doc_text(self.sdoc)[max(0, m.start - window): m.end + window].lower()
            return re.search(rf"\b{re.escape(lemma)}", text) is not None

        def kind_ok(m: Mention) -> bool:
            return ((m.attrs or {}).get("place_kind") or "place") in kinds

        for test in (lambda m: kind_ok(m) and near_word(m), kind_ok):
            for m in reversed(places):
                if test(m):
                    return m
        return None

    def place_for_pronoun(self, tok: Token) -> Mention | None:
        """"on it" after "The road has been blocked.": the place noun of the previous sentence."""
        if tok.lower_ != "it":
            return None
        sent = sent_of(tok)
        if sent.start == 0:
            return None
        prev = sent_of(self.sdoc[sent.start - 1])
        for t in prev:
            if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN":
                return self.place_for_noun(t)
        return None


def _agrees_in_number(tok: Token, main: Token) -> bool:
    """Can "it"/"they" stand for an earlier main subject that is no person noun?"""
    if main.pos_ not in ("NOUN", "PROPN") or main.lemma_.lower() in person_nouns():
        return False
    plural_main = main.tag_ in ("NNS", "NNPS")
    return (tok.lower_ in word_set("neuter_pronouns") and not plural_main) or (
        tok.lower_ in word_set("plural_pronouns") and plural_main)


def _noun_heads(sdoc: Doc) -> list[int]:
    """Indices of the nouns and proper nouns that are no compound, amod or npadvmod."""
    if not len(sdoc):
        return []
    strings = sdoc.vocab.strings
    arr = sdoc.to_array([POS, DEP])
    pos, dep = arr[:, 0], arr[:, 1]
    nominal = (pos == IDS["NOUN"]) | (pos == IDS["PROPN"])
    for label in ("compound", "amod", "npadvmod"):
        nominal &= dep != strings[label]
    return [int(i) for i in nominal.nonzero()[0]]


def _no_determined(sdoc: Doc) -> set[int]:
    """Indices of the tokens with a child "no" labelled det ("no one", "no soldiers")."""
    if not len(sdoc):
        return set()
    strings = sdoc.vocab.strings
    arr = sdoc.to_array([LOWER, DEP, HEAD])
    hit = ((arr[:, 0] == strings["no"]) & (arr[:, 1] == strings["det"])).nonzero()[0]
    offsets = arr[:, 2].view("int64")
    return {int(i) + int(offsets[i]) for i in hit if offsets[i] != 0}


_BOUNDS = {"relcl", "advcl", "ccomp", "acl", "csubj", "parataxis"}


def _clause_bounds(tok: Token) -> list[int]:
    """Indices of the clause heads (relative, adverbial, complement) above a token."""
    return [t.i for t in [tok, *tok.ancestors] if t.dep_ in _BOUNDS]


def _main_subject(sent: Span) -> Token | None:
    root = sent.root
    for c in root.children:
        if c.dep_ in ("nsubj", "nsubjpass") and not is_dateline(c):
            return semantic_head(c)
    return None


def _clause_verb(tok: Token) -> Token | None:
    t = tok
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def is_propositional(tok: Token) -> bool:
    """"it" standing for a statement: the object of deny/reject/say/confirm/... ."""
    if tok.lower_ not in word_set("propositional_pronouns") or tok.dep_ not in ("dobj", "nsubjpass"):
        return False
    words = set(lexicon().get("propositional_verbs") or []) | set(
        lexicon().get("reporting_verbs") or [])
    return tok.head.lemma_.lower() in words
