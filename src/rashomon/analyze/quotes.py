"""Quotes and attributions: who said what, with the cue that says so.

Three shapes are found, each with character offsets into ``Document.text``:

* **direct**: a quoted passage tied to a cue next to it (“…,” X said / X said: “…”),
  including quotes that run over several paragraphs (news convention: the
  opening mark is repeated at each new paragraph, the closing mark only at the
  end) and stand-alone quoted sentences that continue the previous speaker;
* **indirect**: a cue verb with a clausal or object complement (X said that …,
  X urged Y to …, X blamed Y for …) or "according to X, …";
* **mixed**: an indirect report whose content holds quoted words.

Quote marks are paired by :func:`find_quote_segments` from the raw text, because
parsers often split sentences at quote marks; cues, speakers and complements
come from the dependency parse already in ``ctx.sdoc`` (no re-parsing).
Short quoted phrases with no cue of their own are scare quotes: they are kept
only in ``attrs["quoted"]`` of the attribution that contains them.

Speakers are the subject of the cue (or the object of "according to"),
expanded to their noun phrase; pronouns, role nouns ("the minister") and
acronyms ("the MoD") are resolved to an earlier speaker or name in the document
by :class:`SpeakerResolver`, then mapped to a canonical entity through
the ``mentions`` of the entity layer.  The cue lexicon is data
(``rashomon/data/cues.yaml``).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from rashomon.layers import DocContext
from rashomon.model import Actor, Document, Mention, Quote, stable_id

CUES_PATH = Path(__file__).resolve().parents[1] / "data" / "cues.yaml"

OPEN_MARKS = "“«„"
CLOSE_MARKS = "”»"
STRAIGHT = '"'
SCARE_MAX_WORDS = 4
SENT_END = {".", "!", "?"}


@dataclass
class QuoteSegment:
    """A stretch of text between quote marks; ``start``/``end`` include the marks."""

    start: int
    end: int
    cstart: int  # content, marks excluded
    cend: int
    closed: bool = True
    paragraphs: int = 1

    def words(self, text: str) -> int:
        return len(text[self.cstart : self.cend].split())


@dataclass
class Attribution:
    """One attribution under construction (turned into a Quote at the end)."""

    kind: str
    start: int
    end: int
    cue_tok: Any | None = None  # spaCy token of the cue (first token)
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_tok: Any | None = None
    group: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


def find_quote_segments(text: str) -> list[QuoteSegment]:
    """Pair quote marks paragraph by paragraph (curly and straight marks).

    An opening mark left open at a paragraph's end continues into the next
    paragraph when that one starts with an opening mark; otherwise the segment
    ends, unclosed, at the paragraph end.  Stray closing marks are ignored.
    """
    segs: list[QuoteSegment] = []
    paras: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            paras.append((pos, pos + len(line)))
        pos += len(line) + 1
    open_at: int | None = None
    n_par = 1
    for pi, (ps, pe) in enumerate(paras):
        i = ps
        if open_at is not None:  # continuation paragraph: skip its opening mark
            while i < pe and text[i].isspace():
                i += 1
            i += 1
        while i < pe:
            ch = text[i]
            if ch in OPEN_MARKS or (ch == STRAIGHT and open_at is None and _opens(text, i)):
                if open_at is None:
                    open_at, n_par = i, 1
                elif ch in OPEN_MARKS:
                    open_at, n_par = i, 1  # a second opening: the first was never closed
            elif (ch in CLOSE_MARKS or ch == STRAIGHT) and open_at is not None:
                segs.append(_segment(text, open_at, i + 1, True, n_par))
                open_at = None
            i += 1
        if open_at is not None:
            nxt = paras[pi + 1] if pi + 1 < len(paras) else None
            if nxt and text[nxt[0] : nxt[1]].lstrip()[:1] in OPEN_MARKS + STRAIGHT:
                n_par += 1
                continue
            segs.append(_segment(text, open_at, pe, False, n_par))
            open_at = None
    return segs


def _opens(text: str, i: int) -> bool:
    """A straight mark opens when it follows start, space or an opening bracket."""
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-"


def _segment(text: str, s: int, e: int, closed: bool, n_par: int) -> QuoteSegment:
    cs, ce = s + 1, (e - 1 if closed else e)
    while cs < ce and text[cs].isspace():
        cs += 1
    while ce > cs and text[ce - 1].isspace():
        ce -= 1
    return QuoteSegment(s, e, cs, ce, closed, n_par)


class _Tokens:
    """Character offset → token lookups over one spaCy Doc."""

    def __init__(self, sdoc: Any) -> None:
        self.sdoc = sdoc
        self.starts = [t.idx for t in sdoc]

    def first_at_or_after(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char)

    def last_before(self, char: int) -> int:
        return bisect.bisect_left(self.starts, char) - 1


def quotes_layer(ctx: DocContext) -> dict[str, list[Quote]]:
    """Document layer: the quotes and attributions of one document."""
    mentions = [m for m in ctx.results.get("mentions", []) if isinstance(m, Mention)]
    return {"quotes": extract_quotes(ctx.doc, ctx.sdoc, mentions)}


def extract_quotes(doc: Document, sdoc: Any, mentions: list[Mention] | None = None,
                   lexicon: CueLexicon | None = None) -> list[Quote]:
    """All attributions of ``doc`` (``sdoc`` is the spaCy parse of ``doc.text``)."""
    lex = lexicon or load_cues()
    text = doc.text
    toks = _Tokens(sdoc)
    segs = find_quote_segments(text)
    direct = _direct_quotes(text, sdoc, toks, segs, lex)
    indirect = _indirect(text, sdoc, lex)
    attributions = _merge(text, direct, indirect, segs)
    attributions = _continuations(text, sdoc, toks, segs, attributions)
    resolver = SpeakerResolver(doc, sdoc, mentions or [], lex)
    quotes: list[Quote] = []
    last_actor: tuple[Actor | None, dict[str, Any]] = (None, {})
    for a in sorted(attributions, key=lambda a: (a.start, a.end)):
        if a.attrs.get("speaker_via") == "previous_quote":
            actor, info = last_actor
            info = {**info, "speaker_via": "previous_quote"}
        elif a.speaker_tok is not None:
            actor, info = resolver.resolve(a.speaker_tok, a.cue_tok)
        else:
            actor, info = None, {}
        if actor is not None:
            last_actor = (actor, info)
        attrs = {**a.attrs, **info}
        if a.group:
            attrs["cue_group"] = a.group
        quotes.append(Quote(
            id=stable_id(doc.id, a.start, a.end), doc_id=doc.id, start=a.start, end=a.end,
            text=text[a.start : a.end], kind=a.kind, speaker=actor,
            cue=text[a.cue_start : a.cue_end] if a.cue_start is not None else None,
            cue_start=a.cue_start, cue_end=a.cue_end, attrs=attrs))
    return quotes


# --- direct quotes -------------------------------------------------------------------


def _direct_quotes(text: str, sdoc: Any, toks: _Tokens, segs: list[QuoteSegment],
                   lex: CueLexicon) -> list[Attribution]:
    out = []
    for seg in segs:
        n_words = seg.words(text)
        if n_words == 0:
            continue
        cue = _cue_after(text, sdoc, toks, seg, lex)
        how = "after"
        if cue is None and n_words > SCARE_MAX_WORDS:
            cue, how = _cue_before(text, sdoc, toks, seg, lex), "before"
        if cue is None:
            continue
        if n_words <= SCARE_MAX_WORDS and not _starts_sentence(text, seg.start):
            continue  # a short quoted phrase inside a sentence is a scare quote
        cs, ce = lex.cue_extent(cue)
        out.append(Attribution(
            kind="direct", start=seg.cstart, end=seg.cend, cue_tok=cue, cue_start=cs,
            cue_end=ce, speaker_tok=lex.speaker_of(cue), group=lex.group_of(cue),
            attrs={"cue_position": how, "paragraphs": seg.paragraphs,
                   "closed": seg.closed}))
    return out


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in "\n.!?:;" or before.endswith(("—", "–"))


def _cue_after(text: str, sdoc: Any, toks: _Tokens, seg: QuoteSegment,
               lex: CueLexicon) -> Any | None:
    """“…,” he said / “…,” said X: a cue right after the closing mark."""
    i = toks.first_at_or_after(seg.end)
    if i < len(sdoc) and text[seg.cend - 1 : seg.cend] in SENT_END and sdoc[i].text[:1].isupper():
        return None  # “… end.” He urged …: a new sentence, not this quote's cue
    seen = 0
    while i < len(sdoc) and seen < 10:
        t = sdoc[i]
        if "\n" in text[seg.end : t.idx]:
            return None
        if lex.is_cue(t, loose=True):
            subj = lex.speaker_of(t)
            ok_between = all(
                sdoc[j].is_punct or sdoc[j].is_space
                or (subj is not None and subj.left_edge.i <= j <= subj.i)
                or (sdoc[j].head.i == t.i and sdoc[j].dep_ in ("aux", "advmod", "neg"))
                for j in range(toks.first_at_or_after(seg.end), i))
            return t if ok_between else None
        if not (t.is_punct or t.is_space):
            seen += 1
        elif t.text in SENT_END or t.text in OPEN_MARKS:
            return None
        i += 1
    return None


def _cue_before(text: str, sdoc: Any, toks: _Tokens, seg: QuoteSegment,
                lex: CueLexicon) -> Any | None:
    """X said: “…” / X said, “…” / according to X, “…”: the nearest cue before."""
    i = toks.last_before(seg.start)
    if i < 0:
        return None
    prev = sdoc[i]
    if "\n" in text[prev.idx : seg.start]:
        return None
    if not (prev.text in (":", ",") or lex.is_cue(prev, loose=True)):
        return None
    j = i
    while j >= 0 and i - j < 25:
        t = sdoc[j]
        if "\n" in text[t.idx : seg.start] or (t.text in SENT_END and j != i):
            return None
        if t.text in CLOSE_MARKS:
            return None
        if lex.is_cue(t, loose=True) and (lex.speaker_of(t) is not None or t.lower_ == "according"):
            return t
        j -= 1
    return None


# --- indirect attributions ------------------------------------------------------------


def _indirect(text: str, sdoc: Any, lex: CueLexicon) -> list[Attribution]:
    out = []
    for t in sdoc:
        if not lex.is_cue(t):
            continue
        span = lex.content_of(t)
        if span is None:
            continue
        cs, ce = lex.cue_extent(t)
        s, e = span
        s = max(s, text.rfind("\n", 0, cs) + 1)
        nl = text.find("\n", ce)
        e = min(e, nl) if nl != -1 else e
        s, e = _trim(text, s, e)
        if e - s < 2:
            continue
        if s <= cs < e:
            continue
        out.append(Attribution(kind="indirect", start=s, end=e, cue_tok=t, cue_start=cs,
                               cue_end=ce, speaker_tok=lex.speaker_of(t),
                               group=lex.group_of(t)))
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip surrounding whitespace and trailing sentence punctuation."""
    while s < e and (text[s].isspace() or text[s] in ",;:—–"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:.—–"):
        e -= 1
    return s, e


def _merge(text: str, direct: list[Attribution], indirect: list[Attribution],
           segs: list[QuoteSegment]) -> list[Attribution]:
    """Direct quotes win over an indirect reading of the same cue; nested cues go.

    An indirect content that holds quoted words becomes *mixed*, keeping the
    quoted stretches (scare quotes included) in ``attrs["quoted"]``.
    """
    direct_cues = {a.cue_tok.i for a in direct}
    long_segs = [sg for sg in segs if sg.words(text) > SCARE_MAX_WORDS]
    direct_spans = [(a.start, a.end) for a in direct]
    kept: list[Attribution] = list(direct)
    for a in indirect:
        inner = [sg for sg in segs if a.start <= sg.cstart < a.end]
        if inner and inner[-1].cend > a.end and "\n" not in text[a.end : inner[-1].cend]:
            a.end = inner[-1].cend  # a quote opened inside the content runs to its close
        if a.cue_tok.i in direct_cues:
            continue
        if any(sg.cstart <= a.cue_start < sg.cend for sg in long_segs):
            continue  # "I think …" inside someone's quoted words is part of that quote
        if any(s < a.end and a.start < e for s, e in direct_spans):
            continue
        if inner:
            a.kind = "mixed"
            a.attrs["quoted"] = [[sg.cstart, sg.cend] for sg in inner]
        kept.append(a)
    # drop attributions whose cue sits inside another attribution's content
    out = []
    for a in kept:
        nested = any(b is not a and b.start <= a.cue_start and a.cue_end <= b.end
                     for b in kept)
        if not nested:
            out.append(a)
    return out


def _continuations(text: str, sdoc: Any, toks: _Tokens, segs: list[QuoteSegment],
                   atts: list[Attribution]) -> list[Attribution]:
    """Stand-alone quoted sentences with no cue continue the previous direct speaker.

    Only segments that start a sentence, hold a verb and are at least
    ``SCARE_MAX_WORDS + 1`` words long count; titles and phrases do not.
    """
    claimed = [(a.start, a.end) for a in atts]
    out = list(atts)
    for seg in segs:
        if seg.words(text) <= SCARE_MAX_WORDS or not _starts_sentence(text, seg.start):
            continue
        if any(s <= seg.cstart < e or seg.cstart <= s < seg.cend for s, e in claimed):
            continue
        i, j = toks.first_at_or_after(seg.cstart), toks.first_at_or_after(seg.cend)
        if not any(sdoc[k].pos_ in ("VERB", "AUX") for k in range(i, min(j, len(sdoc)))):
            continue
        prev = [a for a in atts if a.kind == "direct" and a.end <= seg.start]
        if not prev or text.count("\n", prev[-1].end, seg.start) > 2:
            continue  # no speaker in sight: a title, slogan or unattributed text
        out.append(Attribution(
            kind="direct", start=seg.cstart, end=seg.cend,
            attrs={"paragraphs": seg.paragraphs, "closed": seg.closed,
                   "speaker_via": "previous_quote"}))
    return out


# --- the cue lexicon ------------------------------------------------------------------

_REL_PRONOUNS = {"who", "which", "that", "whom"}


@dataclass(frozen=True)
class CueLexicon:
    """Cue words from ``cues.yaml`` and the parse rules that read them."""

    verbs: dict[str, str]  # lemma -> group (speech, belief, report)
    needs_clause: frozenset[str]
    clause_only: frozenset[str]
    particles: dict[str, frozenset[str]]
    object_cues: frozenset[str]
    nouns: frozenset[str]
    roles: frozenset[str]
    bodies: frozenset[str]

    def is_cue(self, t: Any, loose: bool = False) -> bool:
        """A cue token.  ``loose`` (next to a quote) waives the complement test."""
        if t.lower_ == "according":
            return t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"
        group = self.verbs.get(t.lemma_.lower())
        if group is None or t.pos_ not in ("VERB", "AUX") or t.dep_ in ("amod", "aux", "auxpass"):
            return False
        if t.tag_ == "VBN" and t.dep_ in ("advcl", "acl") and not any(
                c.dep_ in ("nsubj", "aux", "auxpass") for c in t.children):
            return False  # "when asked about ...": the speaker is not the one asked
        if t.lemma_.lower() in self.clause_only and not loose:
            return any(c.dep_ == "ccomp" for c in t.children)
        if loose or t.lemma_.lower() not in self.needs_clause:
            return True
        return self._complement(t) is not None

    def group_of(self, t: Any) -> str:
        return "source" if t.lower_ == "according" else self.verbs.get(t.lemma_.lower(), "speech")

    def cue_extent(self, t: Any) -> tuple[int, int]:
        """Character span of the cue: the verb plus its particle, or "according to"."""
        end_tok = t
        if t.lower_ == "according":
            end_tok = t.doc[t.i + 1]
        else:
            parts = self.particles.get(t.lemma_.lower(), frozenset())
            for c in t.rights:
                if c.i == t.i + 1 and (c.dep_ == "prt" or c.lower_ in parts):
                    end_tok = c
        return t.idx, end_tok.idx + len(end_tok.text)

    def speaker_of(self, t: Any, depth: int = 0) -> Any | None:
        """The token heading the speaker: subject of the cue, or object of "according to"."""
        if t.lower_ == "according":
            to = t.doc[t.i + 1]
            for c in [*to.children, *t.children]:
                if c.dep_ == "pobj":
                    return c
            return None
        for c in t.children:
            if c.dep_ == "nsubj":
                if c.lower_ in _REL_PRONOUNS and t.dep_ == "relcl":
                    return t.head
                return c
        if t.dep_ == "advcl" and t.tag_ == "VBG" and t.sent.root is not t and depth < 3:
            return self.speaker_of(t.sent.root, depth + 1)
        if c_agent := next((c for c in t.children if c.dep_ == "agent"), None):
            return next((g for g in c_agent.children if g.dep_ == "pobj"), None)
        if depth < 3 and t.dep_ in ("advcl", "xcomp", "conj", "pcomp") and t.head is not t:
            return self.speaker_of(t.head, depth + 1)
        return None

    def _complement(self, t: Any) -> tuple[int, int] | None:
        """The clause, infinitive or object a cue verb takes, as a token range."""
        kids = list(t.children)
        for c in kids:
            if c.dep_ == "ccomp":
                return c.left_edge.i, c.right_edge.i
        parts = self.particles.get(t.lemma_.lower(), frozenset())
        for c in kids:
            if c.dep_ in ("xcomp", "advcl") and c.i > t.i and any(
                    g.lower_ == "to" and g.dep_ == "aux" for g in c.children):
                return c.left_edge.i, c.right_edge.i  # "urged women [to vote]"
        oprd = next((c for c in kids if c.dep_ in ("oprd", "ccomp") and c.i > t.i), None)
        obj = next((c for c in kids if c.dep_ == "dobj" and c.i > t.i), None)
        if t.lemma_.lower() == "call" and obj is not None and oprd is not None:
            return obj.left_edge.i, oprd.right_edge.i  # called the plan "a disgrace"
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in parts and c.i > t.i:
                return c.i + 1, c.right_edge.i
        if t.lemma_.lower() in self.object_cues:
            obj = next((c for c in kids if c.dep_ == "dobj" and c.i > t.i), None)
            if obj is not None:
                end = obj.right_edge.i
                for c in kids:
                    if c.dep_ == "prep" and c.i > obj.i and c.lower_ in ("for", "of", "as"):
                        end = max(end, c.right_edge.i)
                return obj.left_edge.i, end
        return None

    def content_of(self, t: Any) -> tuple[int, int] | None:
        """Character span of what the cue attributes (indirect reading), or None."""
        doc = t.doc
        if t.lower_ == "according":
            return self._according_content(t)
        rng = self._complement(t)
        if rng is None and t.dep_ in ("parataxis", "ccomp", "advcl") and t.head.i < t.i \
                and self.speaker_of(t) is not None:
            # "The talks failed, he said": only when a comma sets the cue clause off
            left = min([c.left_edge.i for c in t.lefts] + [t.i])
            start = t.head.left_edge.i
            if start < left - 1 and doc[left - 1].text == ",":
                rng = (start, left - 1)
        if rng is None:
            return None
        a, b = _skip_connective(doc, *rng)
        if b < a:
            return None
        return doc[a].idx, doc[b].idx + len(doc[b].text)

    def _according_content(self, t: Any) -> tuple[int, int] | None:
        doc, sent = t.doc, t.sent
        speaker = self.speaker_of(t)
        if speaker is None:
            return None
        phrase_end = speaker.right_edge.i
        while phrase_end > speaker.i and doc[phrase_end].is_punct:
            phrase_end -= 1
        words = [k for k in sent if not (k.is_punct or k.is_space)]
        if not words:
            return None
        before = (words[0].i, t.i - 1) if t.i > words[0].i else None
        after = (phrase_end + 1, words[-1].i) if phrase_end < words[-1].i else None
        if after and doc[after[0]].text == "," and after[0] + 1 < len(doc) \
                and doc[after[0] + 1].text[:1].isupper():
            # "according to X, Title of X, content": skip the comma-set apposition
            verbs = [k.i for k in doc[after[0] : after[1] + 1] if k.pos_ in ("VERB", "AUX")]
            commas = [k.i for k in doc[after[0] + 1 : verbs[0]] if k.text == ","] if verbs else []
            if commas:
                after = (commas[-1] + 1, after[1])
        best = max([r for r in (before, after) if r and r[1] >= r[0]],
                   key=lambda r: r[1] - r[0], default=None)
        if best is None or best[1] - best[0] < 2:
            return None
        best = _skip_connective(doc, *best)
        return doc[best[0]].idx, doc[best[1]].idx + len(doc[best[1]].text)


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> CueLexicon:
    """Read the cue lexicon (bundled ``data/cues.yaml`` unless a path is given)."""
    data = yaml.safe_load(Path(path or CUES_PATH).read_text(encoding="utf-8"))
    verbs: dict[str, str] = {}
    for group, lemmas in (data.get("verbs") or {}).items():
        for lemma in lemmas:
            verbs.setdefault(str(lemma).lower(), group)
    return CueLexicon(
        verbs=verbs,
        needs_clause=frozenset(data.get("needs_clause") or []),
        clause_only=frozenset(data.get("clause_only") or []),
        particles={k: frozenset(v) for k, v in (data.get("particles") or {}).items()},
        object_cues=frozenset(data.get("object_cues") or []),
        nouns=frozenset(data.get("nouns") or []),
        roles=frozenset(data.get("roles") or []),
        bodies=frozenset(data.get("bodies") or []),
    )


# --- speakers ---------------------------------------------------------------------------

_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_OTHER_PRONOUNS = {"they", "it", "them"}
_FIRST_PERSON = {"i", "we", "me", "us"}
_KIND_RANK = {"person": 0, "organisation": 1, "organization": 1, "armed_group": 1, "state": 2}


def np_span(t: Any) -> tuple[int, int]:
    """Character span of the noun phrase headed by ``t``, without trailing clauses.

    Relative clauses, participial modifiers and comma-set appositions are cut
    ("Hikmet Hajiyev, Assistant to the President" → "Hikmet Hajiyev"); a
    parenthesised acronym stays ("the Ministry of Defense (MoD) of Azerbaijan").
    """
    doc = t.doc
    lo, hi = t.left_edge.i, t.right_edge.i
    for c in t.rights:
        comma_set = c.i > 0 and doc[c.left_edge.i - 1].text == ","
        if c.dep_ in ("relcl", "acl", "advcl") or (c.dep_ == "appos" and comma_set):
            hi = min(hi, c.left_edge.i - 1)
            break
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space) and doc[hi].text != ")":
        hi -= 1
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


@dataclass
class _Said:
    start: int
    actor: Actor
    person: bool


_ACRONYM_RX = re.compile(
    r"(?P<name>(?:[A-Z][\w’'-]*\s+(?:(?:of|for|and|on|the|in)\s+)*)*[A-Z][\w’'-]*)"
    r"\s*\((?P<acro>[A-Z][A-Za-z]{1,9})\)(?P<ext>\s+of\s+(?:the\s+)?[A-Z][\w-]*)?")


class SpeakerResolver:
    """Turns a speaker token into an Actor, resolving pronouns, roles and acronyms.

    Called in document order, so each resolution can use the speakers before it.
    """

    def __init__(self, doc: Document, sdoc: Any, mentions: list[Mention],
                 lex: CueLexicon) -> None:
        self.text, self.sdoc, self.lex = doc.text, sdoc, lex
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.history: list[_Said] = []
        self.persons = sorted(
            [(e.start_char, e.end_char) for e in sdoc.ents if e.label_ == "PERSON"]
            + [(m.start, m.end) for m in self.mentions if _kind(m) == "person"])
        self.acronyms = self._acronyms()

    def _acronyms(self) -> dict[str, list[tuple[int, int, int]]]:
        """``Full Name (FN)`` definitions: acronym -> spans of the full name."""
        out: dict[str, list[tuple[int, int]]] = {}
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

    def resolve(self, tok: Any, cue: Any | None) -> tuple[Actor, dict[str, Any]]:
        s, e = np_span(tok)
        surface = self.text[s:e]
        info: dict[str, Any] = {"speaker_text": surface, "speaker_via": "subject"}
        low, lemma = tok.lower_, tok.lemma_.lower()
        has_person = any(ps < e and s < pe for ps, pe in self.persons)
        found: tuple[Actor, bool] | None = None
        if low in _PERSON_PRONOUNS:
            found = self._previous(s, person=True)
            info["speaker_via"] = "pronoun"
        elif low in _OTHER_PRONOUNS:
            found = self._previous(s, person=False)
            info["speaker_via"] = "pronoun"
        elif low in _FIRST_PERSON:
            info["speaker_via"] = "first_person"
        elif tok.text in self.acronyms and self.acronyms[tok.text][0][0] < s:
            as_, acro_end, ext_end = [d for d in self.acronyms[tok.text] if d[0] < s][-1]
            own = re.sub(r"^(the|The)\s+", "", surface)
            full = _strip_acronym(self.text[as_:acro_end])
            if own == tok.text:  # bare "the MoD": the definition, with its "of X"
                name, ae = _strip_acronym(self.text[as_:ext_end]), ext_end
            else:  # "the MoFA of Armenia": the writer's own qualifier wins
                name, ae = own.replace(tok.text, full, 1), acro_end
            found = (self._actor(as_, ae, name), False)
            info["speaker_via"], info["antecedent"] = "acronym", [as_, ae]
        elif lemma in self.lex.roles and (named := _trailing_name(tok, self.lex)):
            ns, ne = named
            found = (self._actor(ns, ne, self.text[ns:ne]), True)
        elif lemma in self.lex.roles and not has_person and _nominal(tok) \
                and tok.tag_ not in ("NNS", "NNPS"):
            found = self._role(s, lemma)
            info["speaker_via"] = "role"
        elif lemma in self.lex.nouns and _nominal(tok):
            found = self._author_of(tok)
            info["speaker_via"] = "document"
        elif lemma in self.lex.bodies and e - s < 40 and not any(
                c.dep_ in ("prep", "poss") for c in tok.children):
            found = self._body(s, lemma)
            info["speaker_via"] = "body" if found else "subject"
        if found is not None:
            actor, person = found
            actor = Actor(actor.name, actor.entity_id, actor.country, actor.sector, s, e)
        else:
            if info["speaker_via"] not in ("subject", "first_person"):
                info["speaker_unresolved"] = True
            actor = self._actor(s, e, self._name(s, e, tok))
            person = (has_person and tok.ent_type_ in ("PERSON", "")) \
                or self._mention_kind(s, e) == "person" or _titled(tok, s, e, self.lex)
        if info["speaker_via"] != "first_person":
            self.history.append(_Said(s, actor, person))
        return actor, info

    def _name(self, s: int, e: int, head: Any | None = None) -> str:
        inside = [(ps, pe) for ps, pe in self.persons if s <= ps and pe <= e]
        if head is not None:
            inside.sort(key=lambda p: not (p[0] <= head.idx < p[1]))
        if inside:
            return self.text[inside[0][0] : inside[0][1]]
        return _strip_acronym(self.text[s:e])

    def _previous(self, before: int, person: bool) -> tuple[Actor, bool] | None:
        for said in reversed(self.history):
            if said.start < before and (said.person or not person):
                return said.actor, said.person
        if person:  # no earlier speaker: the nearest person named as a subject
            prior = [p for p in self.persons if p[1] <= before]
            subjects = [p for p in prior if self._is_subject(*p)]
            if subjects or prior:
                ps, pe = (subjects or prior)[-1]
                return self._actor(ps, pe, self.text[ps:pe]), True
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
            window = self.sdoc[max(span.sent.start, span.start - 10) : span.start]
            if any(w.lemma_.lower() == lemma or w.lower_ == lemma for w in window):
                return self._actor(ps, pe, self.text[ps:pe]), True
        return self._previous(before, person=True)

    def _body(self, before: int, lemma: str) -> tuple[Actor, bool] | None:
        for said in reversed(self.history):
            if said.start < before and lemma in said.actor.name.lower():
                return said.actor, False
        return None

    def _author_of(self, tok: Any) -> tuple[Actor, bool] | None:
        """"The letter said": the subject of the earlier sentence that introduced the letter."""
        lemma = tok.lemma_.lower()
        for prev in reversed(self.sdoc[: tok.i]):
            if prev.lemma_.lower() != lemma or prev.sent == tok.sent:
                continue
            root = prev.sent.root
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
        cands = [m for m in self.mentions if m.start < e and s < m.end]
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


def _skip_connective(doc: Any, a: int, b: int) -> tuple[int, int]:
    """Drop a leading "But", "Still," or "Even so," that belongs to the narrative."""
    if a < b and doc[a].dep_ == "cc":
        a += 1
    k = a
    while k < min(b, a + 3) and doc[k].dep_ in ("advmod", "cc", "prep", "pobj") \
            and doc[k].text != ",":
        k += 1
    if k < b and doc[k].text == "," and k > a and all(
            doc[j].dep_ in ("advmod", "cc", "prep", "pobj", "amod") for j in range(a, k)):
        a = k + 1
    return a, b


def _trailing_name(tok: Any, lex: CueLexicon) -> tuple[int, int] | None:
    """"Spokesperson for the Ministry … Leyla Abdullayeva": the name closing a role phrase."""
    doc = tok.doc
    end = tok.right_edge.i
    run = []
    k = end
    while k > tok.i and doc[k].tag_ == "NNP" and doc[k].lemma_.lower() not in lex.roles \
            and doc[k].lemma_.lower() not in lex.bodies:
        run.append(doc[k])
        k -= 1
    if not run or k == tok.i and len(run) < 2 or doc[k].text in (")", "("):
        return None
    run = run[:2][::-1]
    return run[0].idx, run[-1].idx + len(run[-1].text)


def _titled(tok: Any, s: int, e: int, lex: CueLexicon) -> bool:
    """A proper name preceded by a role word in its phrase ("Secretary … Armen Grigoryan")."""
    if tok.tag_ != "NNP" or tok.lemma_.lower() in lex.bodies:
        return False
    return any(w.lemma_.lower() in lex.roles for w in tok.doc[tok.left_edge.i : tok.i])


def _strip_acronym(name: str) -> str:
    name = re.sub(r"\s*\([A-Z][A-Za-z]{1,9}\)", "", name)
    return re.sub(r"^(the|The)\s+", "", name)
