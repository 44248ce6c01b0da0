"""Speakers: the resolver that turns a cue's subject into an Actor.

:class:`SpeakerResolver` expands the speaker to its noun phrase
(:func:`np_span`) and resolves pronouns, role nouns ("the minister"), acronyms
("the MoD") and first-person writers to an earlier name in the document, then
maps it to a canonical entity through the entity layer's ``mentions``.  Which
tokens are cues, and where their speaker and content are, is the business of
:mod:`rashomon.analyze.quotes._cues` (re-exported here for older imports).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from rashomon import data as rdata
from rashomon.analyze.quotes._cues import CUES_PATH, CueLexicon, load_cues
from rashomon.analyze.quotes._speaker_names import (
    appositive_person,
    strip_acronym,
    titled,
    trailing_name,
)
from rashomon.analyze.spans import sent_of
from rashomon.analyze.token_columns import token_columns
from rashomon.model import Actor, Document, Mention, Span
from rashomon.text import is_dateline

__all__ = ["CUES_PATH", "CueLexicon", "SpeakerResolver", "load_cues", "np_span"]


# --- speakers ---------------------------------------------------------------------------

_PERSON_PRONOUNS = frozenset(rdata.section("quotes.yaml", "person_pronouns"))
_OTHER_PRONOUNS = frozenset(rdata.section("quotes.yaml", "other_pronouns"))
_FIRST_PERSON = frozenset(rdata.section("quotes.yaml", "first_person"))
_WRITER_VIA = ("first_person", "signer", "author")
_NAME = r"[A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){1,3}"
_SELF_NAMED_RX = re.compile(rf"\b(?:I|We),[ \t]+(?P<name>{_NAME})[ \t]*,")
_SIGNATURE_RX = re.compile(rf"(?m)^[ \t]*(?P<name>{_NAME})[ \t]*$")
_KIND_RANK = dict(rdata.section("quotes.yaml", "speaker_kind_rank"))


def _after_dateline(tok: Any) -> tuple[Any, Span] | None:
    """The name that opens the sentence after a dateline, as (head token, span)."""
    doc = tok.doc
    dash = next((k for k in range(tok.i, min(len(doc), tok.i + 25))
                 if doc[k].text in ("—", "–", "--")), None)
    if dash is None:
        return None
    k = dash + 1
    while k < len(doc) and (doc[k].is_space or doc[k].pos_ in ("DET", "PUNCT")):
        k += 1
    first = k
    while k < len(doc) and doc[k].pos_ in ("PROPN", "NOUN"):
        k += 1
    if k == first:
        return None
    head = doc[k - 1]
    return head, Span(doc_id="", start=doc[first].idx, end=head.idx + len(head.text))


def np_span(t: Any) -> tuple[int, int]:
    """Character span of the noun phrase headed by ``t``, without trailing clauses.

    Relative clauses, participial modifiers and comma-set appositions are cut
    ("Hikmet Hajiyev, Assistant to the President" → "Hikmet Hajiyev"); a
    parenthesised acronym stays ("the Ministry of Defense (MoD) of Azerbaijan").
    """
    doc = t.doc
    orth = token_columns(doc).orth
    lo, hi = t.left_edge.i, t.right_edge.i
    for c in t.rights:
        comma_set = c.i > 0 and orth[c.left_edge.i - 1] == ","
        if c.dep_ in ("relcl", "acl", "advcl") or (c.dep_ == "appos" and comma_set):
            hi = min(hi, c.left_edge.i - 1)
            break
    dashes = [k for k in range(lo, t.i) if orth[k] in ("—", "–")
              and doc[k - 1].whitespace_ and doc[k].whitespace_]
    if dashes:  # "CITY (Agency) — The court": a dateline is not part of the subject
        lo = dashes[-1] + 1
    lo, hi = _trim_np(doc, t, lo, hi)
    lo, hi = _whole_hyphenated(doc, lo, hi)
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _trim_np(doc: Any, t: Any, lo: int, hi: int) -> tuple[int, int]:
    """Edge punctuation off (a closing parenthesis stays), and a leading focus adverb
    or connective ("Even Prime Minister X": the adverb is not part of the name)."""
    while hi > lo:
        w = doc[hi]
        if not ((w.is_punct or w.is_space) and w.text != ")"):
            break
        hi -= 1
    while lo < hi:
        w = doc[lo]
        if not (w.is_punct or w.is_space
                or (w.dep_ in ("advmod", "cc", "preconj") and lo != t.i)):
            break
        lo += 1
    return lo, hi


def _whole_hyphenated(doc: Any, lo: int, hi: int) -> tuple[int, int]:
    """Widen to whole hyphenated words the tokenizer split ("co-chairs")."""
    while hi + 2 < len(doc) and doc[hi].whitespace_ == "" and doc[hi + 1].text in "-–" \
            and doc[hi + 1].whitespace_ == "" and doc[hi + 2].is_alpha:
        hi += 2
    while lo >= 2 and doc[lo - 1].text in "-–" and doc[lo - 1].whitespace_ == "" \
            and doc[lo - 2].whitespace_ == "" and doc[lo - 2].is_alpha:
        lo = min(lo - 2, doc[lo - 2].left_edge.i)
    return lo, hi


@dataclass
class _Said:
    start: int
    actor: Actor
    person: bool


_ACRONYM_RX = re.compile(
    r"(?P<name>(?:[A-Z][\w’'-]*\s+(?:(?:of|for|and|on|the|in)\s+)*)*[A-Z][\w’'-]*)"
    r"\s*\((?P<acro>[A-Z][A-Za-z]{1,9})\)(?P<ext>\s+of\s+(?:the\s+)?[A-Z][\w-]*)?")

_ACRONYM_OPEN_RX = re.compile(r"\([A-Z]")


class SpeakerResolver:
    """Turns a speaker token into an Actor, resolving pronouns, roles and acronyms.

    Called in document order, so each resolution can use the speakers before it.
    """

    def __init__(self, doc: Document, sdoc: Any, mentions: list[Mention],
                 lex: CueLexicon) -> None:
        self.text, self.sdoc, self.lex = doc.text, sdoc, lex
        self.author = (doc.author or "").strip() or None
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]
        self._longest = max((m.end - m.start for m in self.mentions), default=0)
        self.history: list[_Said] = []
        self.ents = sdoc.ents  # spaCy builds a Span per entity on every access
        self.persons = sorted(
            [(e.start_char, e.end_char) for e in self.ents if e.label_ == "PERSON"]
            + [(m.start, m.end) for m in self.mentions if _kind(m) == "person"])
        self.acronyms = self._acronyms()

    def _acronyms(self) -> dict[str, list[tuple[int, int, int]]]:
        """``Full Name (FN)`` definitions: acronym -> spans of the full name."""
        out: dict[str, list[tuple[int, int]]] = {}
        if not _ACRONYM_OPEN_RX.search(self.text):
            return out  # every definition has "(" and a capital
        for m in _ACRONYM_RX.finditer(self.text):
            acro = m.group("acro")
            caps = [ch for ch in acro if ch.isupper()]
            if len(caps) < 2:
                continue
            words = list(re.finditer(r"\S+", m.group("name")))
            for k in range(len(words) - 1, -1, -1):  # shortest suffix spelling the acronym
                initials = [w.group()[0] for w in words[k:] if w.group()[0].isupper()]
                if initials == caps and words[k].group()[0].isupper():
                    s = m.start("name") + words[k].start()
                    out.setdefault(acro, []).append((s, m.end("acro") + 1, m.end()))
                    break
        return out

    def resolve(self, tok: Any, cue: Any | None,
                span: Span | None = None) -> tuple[Actor, dict[str, Any]]:
        """The Actor for speaker token ``tok`` (``span``: its phrase, if known)."""
        if is_dateline(tok):  # the parser took "CITY, date —" for the subject
            moved = _after_dateline(tok)
            if moved is not None:
                tok, span = moved
        s, e = (span.start, span.end) if span is not None else np_span(tok)
        surface = self.text[s:e]
        info: dict[str, Any] = {"speaker_text": surface, "speaker_via": "subject"}
        has_person = any(ps < e and s < pe for ps, pe in self.persons)
        matched, found = self._by_form(tok, s, surface, info)
        if not matched:
            found = self._by_word(tok, s, e, has_person, info)
        if found is not None:
            actor, person = found
            actor = Actor(actor.name, actor.entity_id, actor.country, actor.sector, s, e)
        else:
            if info["speaker_via"] not in ("subject", "first_person"):
                info["speaker_unresolved"] = True
            actor = self._actor(s, e, self._name(s, e, tok))
            person = (has_person and tok.ent_type_ in ("PERSON", "")) \
                or self._mention_kind(s, e) == "person" or titled(tok, s, e, self.lex)
        if info["speaker_via"] not in _WRITER_VIA:
            self.history.append(_Said(s, actor, person))
        return actor, info

    def _by_form(self, tok: Any, s: int, surface: str, info: dict[str, Any]
                 ) -> tuple[bool, tuple[Actor, bool] | None]:
        """Pronouns and defined acronyms: (the form applies, what it resolves to)."""
        low = tok.lower_
        if low in _PERSON_PRONOUNS:
            info["speaker_via"] = "pronoun"
            return True, self._previous(s, person=True)
        if low in _OTHER_PRONOUNS:
            info["speaker_via"] = "pronoun"
            return True, self._previous(s, person=False, plural=low in ("they", "them"))
        if low in _FIRST_PERSON:
            found, via = self._first_person(s)
            info["speaker_via"] = via
            return True, found
        if tok.text in self.acronyms and self.acronyms[tok.text][0][0] < s:
            return True, self._by_acronym(tok, s, surface, info)
        return False, None

    def _by_acronym(self, tok: Any, s: int, surface: str,
                    info: dict[str, Any]) -> tuple[Actor, bool]:
        """"The MoD said": the full name defined earlier ("Ministry of Defense (MoD)")."""
        as_, acro_end, ext_end = [d for d in self.acronyms[tok.text] if d[0] < s][-1]
        own = re.sub(r"^(the|The)\s+", "", surface)
        full = strip_acronym(self.text[as_:acro_end])
        if own == tok.text:  # bare "the MoD": the definition, with its "of X"
            name, ae = strip_acronym(self.text[as_:ext_end]), ext_end
        else:  # "the MoFA of Armenia": the writer's own qualifier wins
            name, ae = own.replace(tok.text, full, 1), acro_end
        info["speaker_via"], info["antecedent"] = "acronym", [as_, ae]
        return self._actor(as_, ae, name), False

    def _by_word(self, tok: Any, s: int, e: int, has_person: bool,
                 info: dict[str, Any]) -> tuple[Actor, bool] | None:
        """Role words ("the minister"), document nouns ("the letter") and bodies
        ("the ministry") resolved to a name given before."""
        lemma, roles = tok.lemma_.lower(), self.lex.roles
        if lemma in roles and (named := appositive_person(tok, self.ents)):
            ns, ne = named
            info["speaker_via"] = "apposition"
            return self._actor(ns, ne, self.text[ns:ne]), True
        if lemma in roles and (named := trailing_name(tok, self.lex)):
            ns, ne = named
            return self._actor(ns, ne, self.text[ns:ne]), True
        if lemma in roles and not has_person and _nominal(tok) \
                and tok.tag_ not in ("NNS", "NNPS"):
            info["speaker_via"] = "role"
            return self._role(s, lemma)
        if lemma in self.lex.nouns and _nominal(tok):
            info["speaker_via"] = "document"
            return self._author_of(tok)
        if lemma in self.lex.bodies and e - s < 40 and not any(
                c.dep_ in ("prep", "poss") for c in tok.children):
            found = self._body(s, lemma, tuple(
                w.lower_ for w in tok.lefts if w.dep_ in ("amod", "compound", "nmod")))
            info["speaker_via"] = "body" if found else "subject"
            return found
        return None

    def _appositive_signer(self, at: int) -> Actor | None:
        """The nearest "I, NAME, …" / "We, NAME, …" before ``at``, parsed as apposition."""
        cols = token_columns(self.sdoc)
        for k in range(self._tok_at(at) - 1, -1, -1):
            if cols.lower[k] not in ("i", "we") or cols.pos[k] != "PRON":
                continue
            t = self.sdoc[k]
            appos = next((c for c in t.rights if c.dep_ == "appos"), None)
            if appos is not None and t.i + 1 < len(self.sdoc) and self.sdoc[t.i + 1].text == ",":
                ns, ne = np_span(appos)
                name = self._name(ns, ne, appos)
                own = [m for m in self.mentions if m.start <= appos.idx < m.end]
                return self._actor(ns, ne, name) if own or name != self.text[ns:ne] \
                    else Actor(name=name, start=ns, end=ne)  # "residents of X" are not X
        return None

    def _first_person(self, at: int) -> tuple[tuple[Actor, bool] | None, str]:
        """"I"/"we" outside quotes is the writer: a self-named signer, else the author.

        A letter or appeal names its writer either in the text ("I, NAME, the
        President of …") — the nearest such self-identification before the cue
        wins — or on a signature line after it (a paragraph that is only a
        person's name).  Failing both, ``Document.author`` is the writer.
        """
        actor = self._appositive_signer(at)
        if actor is not None:
            return (actor, True), "signer"
        selfnamed = [m for m in _SELF_NAMED_RX.finditer(self.text) if m.start() < at]
        if selfnamed:
            ns, ne = selfnamed[-1].span("name")
            return (self._actor(ns, ne, self.text[ns:ne]), True), "signer"
        for m in _SIGNATURE_RX.finditer(self.text, at):
            ns, ne = m.span("name")
            if any(ps <= ns and ne <= pe or ns <= ps and pe <= ne for ps, pe in self.persons):
                return (self._actor(ns, ne, self.text[ns:ne]), True), "signer"
        if self.author:
            return (Actor(name=self.author), True), "author"
        return None, "first_person"

    def _name(self, s: int, e: int, head: Any | None = None) -> str:
        """A person's name inside the speaker phrase, else the phrase itself.

        A name inside a prepositional phrase of the head ("the President of
        X") names something else, not the speaker.
        """
        inside = [(ps, pe) for ps, pe in self.persons if s <= ps and pe <= e
                  and not (head is not None and self._under_prep(ps, pe, head))]
        if head is not None:
            inside.sort(key=lambda p: not (p[0] <= head.idx < p[1]))
        if inside:
            return self.text[inside[0][0] : inside[0][1]]
        return strip_acronym(self.text[s:e])

    def _tok_at(self, char: int) -> int:
        span = self.sdoc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None else len(self.sdoc)

    def _under_prep(self, ps: int, pe: int, head: Any) -> bool:
        span = self.sdoc.char_span(ps, pe, alignment_mode="expand")
        if span is None or head.i in range(span.start, span.end):
            return False
        t = span.root
        while t.i != head.i and t.head.i != t.i:
            if t.dep_ in ("pobj", "poss"):
                return True
            t = t.head
        return False

    def _previous(self, before: int, person: bool,
                  plural: bool = False) -> tuple[Actor, bool] | None:
        """The latest earlier speaker that fits; "they" prefers a nearer plural subject."""
        for said in reversed(self.history):
            if said.start < before and (said.person or not person):
                if plural and not person:
                    nearer = self._plural_subject(said.start, before)
                    if nearer is not None:
                        return nearer, False
                return said.actor, said.person
        if plural:
            found = self._plural_subject(0, before)
            if found is not None:
                return found, False
        if person:  # no earlier speaker: the nearest person named as a subject
            prior = [p for p in self.persons if p[1] <= before]
            subjects = [p for p in prior if self._is_subject(*p)]
            if subjects or prior:
                ps, pe = (subjects or prior)[-1]
                return self._actor(ps, pe, self.text[ps:pe]), True
        return None

    def _plural_subject(self, after: int, before: int) -> Actor | None:
        """The nearest plural noun subject of an earlier sentence between two offsets."""
        here = self.sdoc.char_span(before, before + 1, alignment_mode="expand")
        if here is None:
            return None
        first = sent_of(here).start
        start = max(0, sent_of(self.sdoc[max(0, first - 1)]).start - 1)
        start = max(start, 0)
        for t in reversed(self.sdoc[start:first]):
            if t.idx < after:
                break
            if t.dep_ == "nsubj" and t.tag_ in ("NNS", "NNPS"):
                s, e = np_span(t)
                return self._actor(s, e, self._name(s, e, t))
        return None

    def _is_subject(self, s: int, e: int) -> bool:
        span = self.sdoc.char_span(s, e, alignment_mode="expand")
        return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")

    def _role(self, before: int, lemma: str) -> tuple[Actor, bool] | None:
        """Nearest earlier person introduced with this role word just before the name."""
        for ps, pe in reversed([p for p in self.persons if p[1] <= before]):
            span = self.sdoc.char_span(ps, pe, alignment_mode="expand")
            if span is None:
                continue
            window = self.sdoc[max(sent_of(span[0]).start, span.start - 10) : span.start]
            if any(w.lemma_.lower() == lemma or w.lower_ == lemma for w in window):
                return self._actor(ps, pe, self.text[ps:pe]), True
        return self._previous(before, person=True)

    def _body(self, before: int, lemma: str,
              words: tuple[str, ...] = ()) -> tuple[Actor, bool] | None:
        """"The ministry" → the latest earlier speaker whose name holds the phrase's words."""
        need = {lemma, *words}
        for said in reversed(self.history):
            name = said.actor.name.lower()
            if said.start < before and all(w in name for w in need):
                return said.actor, False
        return None

    def _author_of(self, tok: Any) -> tuple[Actor, bool] | None:
        """"The letter said": the subject of the earlier sentence that introduced the letter."""
        lemma = tok.lemma_.lower()
        for prev in reversed(self.sdoc[: tok.i]):
            if prev.lemma_.lower() != lemma or sent_of(prev) == sent_of(tok):
                continue
            root = sent_of(prev).root
            subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
            if subj is not None and subj.i != prev.i:
                s, e = np_span(subj)
                name = self._name(s, e)
                return self._actor(s, e, name), any(
                    ps < e and s < pe for ps, pe in self.persons)
        return None

    def _mention_kind(self, s: int, e: int) -> str | None:
        m = self._best_mention(s, e)
        return _kind(m) if m else None

    def _best_mention(self, s: int, e: int) -> Mention | None:
        # only mentions starting before ``e`` and after ``s - longest`` can overlap
        lo = bisect.bisect_right(self._starts, s - self._longest)
        hi = bisect.bisect_left(self._starts, e)
        cands = [m for m in self.mentions[lo:hi] if m.start < e and s < m.end]
        if not cands:
            return None
        return min(cands, key=lambda m: (_KIND_RANK.get(_kind(m), 3), -(m.end - m.start)))

    def _actor(self, s: int, e: int, name: str) -> Actor:
        m = self._best_mention(s, e)
        if m is None:
            return Actor(name=name, start=s, end=e)
        attrs = m.attrs or {}
        return Actor(name=attrs.get("name") or m.surface, entity_id=m.entity_id,
                     country=attrs.get("country"), sector=attrs.get("sector"), start=s, end=e)


def _kind(m: Mention) -> str:
    return (m.kind or (m.attrs or {}).get("kind") or "").lower()


def _nominal(tok: Any) -> bool:
    """A common-noun speaker ("the minister"), not a name that contains a role word."""
    return not any(c.dep_ in ("compound", "appos") and c.ent_type_ == "PERSON"
                   for c in tok.children)
