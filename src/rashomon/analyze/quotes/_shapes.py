"""Attribution shapes beyond "X said (that) …": the rules that widen recall.

Split from :mod:`rashomon.analyze.quotes._layer` (which pairs quote marks and merges
attributions) to keep both modules small.  Each generator reads the parse
already in the spaCy Doc (no re-parsing) and returns :class:`Attribution`
records with character offsets into the document text:

* speech-act nouns with a source or a that-clause ("his call for …",
  "claims that …"), see :func:`nominal_cues`;
* sources set by a prepositional phrase ("… in a new poll", "in her view, …");
* questions put to someone ("Asked whether …, X said");
* predicative cues ("called her “…”", "see X as Y") and two idioms
  ("made it clear that", "took aim at");
* a cue set off by commas inside its content ("The plan, she said, failed");
* raising verbs with no source ("X seemed to waver", "it appears that …"),
  see :func:`raising_cues`;
* content boundaries (datelines, ", in an interview", ", saying …", a closing
  ", which …" comment) and
  speaker spans widened to the description the text gives.

All rules are general English-news patterns learned from the PolNeAR train
split; none names a person, party or place.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from spacy.attrs import IDX

from rashomon import data as rdata
from rashomon.analyze.quotes._cues import CueLexicon
from rashomon.analyze.spans import doc_text
from rashomon.analyze.token_columns import token_columns
from rashomon.model import Actor, Span
from rashomon.text import dateline_end


def cue_span(start: int, end: int) -> Span:
    """A cue's span in the document under analysis (its Quote gives it the doc_id)."""
    return Span(doc_id="", start=start, end=end)


@dataclass
class Attribution:
    """One attribution under construction (turned into a Quote at the end)."""

    kind: str
    start: int
    end: int
    cue_tok: Any | None = None  # spaCy token of the cue (first token)
    cue: Span | None = None  # where the cue is (doc_id filled when the Quote is built)
    speaker_tok: Any | None = None
    speaker_span: Span | None = None  # the speaker phrase, when the shape gives it
    group: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)



def widen_speaker(actor: Actor, tok: Any, lex: CueLexicon) -> Actor:
    """The speaker's span with its comma-set apposition or relative clause.

    Resolution uses the bare name ("Jon Doe"); the provenance span covers the
    whole description the text gives ("Jon Doe, an analyst at X, who …"),
    except a clause that is itself a report ("…, who added that …").
    """
    doc = tok.doc
    if tok.i >= len(doc) or not (actor.start <= tok.idx < actor.end):
        return actor
    hi = None
    for c in tok.rights:
        if not (c.dep_ in ("relcl", "acl")
                or (c.dep_ == "appos" and doc[c.left_edge.i - 1].text == ",")):
            continue
        if any(lex.verbs.get(k.lemma_.lower()) and k.pos_ == "VERB"
               for k in doc[c.left_edge.i : c.right_edge.i + 1]):
            break
        hi = c.right_edge.i
    if hi is None:
        return actor
    while hi > tok.i and (doc[hi].is_punct or doc[hi].is_space) and doc[hi].text != ")":
        hi -= 1
    end = doc[hi].idx + len(doc[hi].text)
    if end <= actor.end or "\n" in doc_text(doc)[actor.end : end]:
        return actor
    return Actor(actor.name, actor.entity_id, actor.country, actor.sector, actor.start, end)


def quantified_start(actor: Actor, tok: Any) -> Actor:
    """"About 9 percent", "At least half": keep the quantity's own modifiers."""
    doc = tok.doc
    lo = tok.left_edge.i
    k = next((i for i in range(lo, tok.i + 1) if doc[i].idx >= actor.start), tok.i)
    if k == lo or not (doc[k].like_num or doc[k].lower_ in _QUANTITIES):
        return actor
    if any(doc[i].is_punct or doc[i].dep_ not in ("advmod", "quantmod", "nummod", "amod")
           and not doc[i].like_num for i in range(lo, k)):
        return actor
    return Actor(actor.name, actor.entity_id, actor.country, actor.sector, doc[lo].idx,
                 actor.end)


_QUANTITIES = frozenset(rdata.section("quotes.yaml", "quantities"))


def _clause_around(doc: Any, head: Any, lo: int) -> tuple[int, int]:
    """Token bounds of the clause a parenthetical cue interrupts, without edge punctuation
    and without an opening connective ("[So] it makes sense, they said, …": the
    connective is the writer's)."""
    a, b = head.left_edge.i, head.right_edge.i
    while b > a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    while a < lo and (doc[a].is_punct or doc[a].is_space or doc[a].dep_ == "cc"):
        a += 1
    return a, b


def parenthetical(text: str, t: Any, lex: CueLexicon
                   ) -> tuple[tuple[int, int] | None, list[list[int]] | None]:
    """"Many of the closures, he said, have involved …": a cue set off inside its content.

    The cue clause (subject, cue, adverbs) sits between two commas in the
    middle of the clause it reports ("It is hard to say, they said, because
    …" too: the clause runs on after the cue); the content is that clause
    around it, recorded as two pieces so the cue is not part of what was said.
    """
    doc = t.doc
    if t.dep_ != "parataxis" or lex.speaker_of(t) is None:
        return None, None
    lo = min([c.left_edge.i for c in t.children if c.dep_ != "punct"] + [t.i])
    hi = max([c.right_edge.i for c in t.children if c.dep_ != "punct"] + [t.i])
    if lo < 1 or hi + 1 >= len(doc) or doc[lo - 1].text != "," or doc[hi + 1].text != ",":
        return None, None
    a, b = _clause_around(doc, t.head, lo)
    if a >= lo - 1 or b <= hi + 1 or any("\n" in doc[k].text for k in range(a, b)):
        return None, None
    s, e = doc[a].idx, doc[b].idx + len(doc[b].text)
    return (s, e), [list(trim(text, s, doc[lo - 1].idx)), list(trim(text, doc[hi + 1].idx + 1, e))]


_SETTING_RX = re.compile(
    r",\s+(?:in|during|at)\s+(?:a|an|his|her|its|their|the|this|that)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:statement|interview|letter|speech|post|tweet|op-ed|email|e-mail|news conference|"
    r"press conference|briefing|appearance|call|memo|report|hearing|rally|debate)\b[^,;.!?—]*$")


def bound_content(text: str, sdoc: Any, cue: Any, s: int, e: int,
                   lex: CueLexicon) -> tuple[int, int]:
    """Cut what belongs to the report, not to the reported content.

    A dateline opening the sentence ("CITY, date (Agency) —"), a trailing
    setting of the speech act (", in an interview with …"), and a second
    report by the same voice (", saying …", "… and says …", ", according to …")
    are not part of what the cue attributes.
    """
    opened = dateline_end(text, s, e)
    if opened is not None and opened < e:
        s = opened
    starts = token_starts(sdoc)
    i, j = bisect.bisect_left(starts, s), bisect.bisect_left(starts, e)
    cols, verbs, cue_i = token_columns(sdoc), lex.verbs, cue.i
    orth, tag, lemma, dep, lower, pos = cols.orth, cols.tag, cols.lemma, cols.dep, cols.lower, \
        cols.pos
    for k in range(i + 1, min(j, len(sdoc))):
        if k == cue_i:
            continue
        comma = orth[k - 1] == ","
        if (comma and tag[k] == "VBG" and verbs.get(lemma[k]) == "speech"
                and dep[k] in ("advcl", "xcomp", "conj")) \
                or (comma and lower[k] == "according") \
                or (dep[k - 1] == "cc" and dep[k] == "conj" and pos[k] == "VERB"
                    and verbs.get(lemma[k]) == "speech"
                    and not any(c.dep_ == "nsubj" for c in sdoc[k].children)):
            e = starts[k - 1]
            break
    m = _SETTING_RX.search(text, s, e)
    if m and m.start() > s:
        e = m.start()
    return s, _cut_comment_tail(sdoc, cue, i, j, e)


def _cut_comment_tail(sdoc: Any, cue: Any, i: int, j: int, e: int) -> int:
    """Drop the writer's comma-set comment closing a content span.

    ", surpassing the old record", ", which funded the group early", ", the
    first time it has …": a participle, a which/who clause or an apposition
    set off by a comma at the very end of an indirect content is the
    narrator's gloss, not part of what the cue attributes.
    """
    orth = token_columns(sdoc).orth
    for k in range(i + 2, min(j, len(sdoc))):
        if orth[k - 1] != ",":
            continue
        t = sdoc[k]
        if t.head.i == cue.i or t.i == cue.i:
            continue
        head = None
        for c in (t, *t.ancestors):
            if c.left_edge.i == k and c.dep_ in _TAIL_DEPS:
                head = c
            if c.left_edge.i < k:
                break
        if head is None or head.right_edge.i + 1 < j and not all(
                sdoc[x].is_punct for x in range(head.right_edge.i + 1, j)):
            continue
        if head.dep_ == "advcl" and head.tag_ != "VBG" or head.dep_ == "relcl" and \
                t.lower_ not in ("which", "who", "whose", "whom"):
            continue
        return sdoc[k - 1].idx
    return e


_TAIL_DEPS = frozenset({"relcl"})


def token_starts(sdoc: Any) -> list[int]:
    starts = sdoc.user_data.get("rashomon_tok_starts")
    if starts is None or len(starts) != len(sdoc):
        # one array read instead of a Token object per token
        starts = sdoc.user_data["rashomon_tok_starts"] = sdoc.to_array(IDX).tolist()
    return starts


_NOMINAL_PREPS = tuple(rdata.section("quotes.yaml", "nominal_preps"))


def _noun_source(kids: list[Any]) -> Any | None:
    """Who a speech-act noun is by: its possessor, else the object of "from"/"by"."""
    src = next((c for c in kids if c.dep_ == "poss"), None)
    if src is None:
        by = next((c for c in kids if c.dep_ == "prep" and c.lower_ in ("from", "by")), None)
        src = next((g for g in by.children if g.dep_ == "pobj"), None) if by else None
    return src


def _noun_content(t: Any, kids: list[Any], has_source: bool) -> tuple[int, int] | None:
    """Token range of what a speech-act noun reports: a that-clause; with a source, also
    a to-infinitive or the object of the preposition right after it."""
    clause = next((c for c in kids if c.dep_ in ("acl", "ccomp", "relcl") and c.i > t.i
                   and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
    if clause is not None:
        return clause.left_edge.i, clause.right_edge.i
    return _noun_complement(t, kids) if has_source else None


def _noun_complement(t: Any, kids: list[Any]) -> tuple[int, int] | None:
    """A to-infinitive after the noun, else the object of of/for/against/… right after it."""
    inf = next((c for c in kids if c.dep_ in ("acl", "xcomp") and c.i > t.i and any(
        g.dep_ == "aux" and g.lower_ == "to" for g in c.children)), None)
    if inf is not None:
        return inf.left_edge.i, inf.right_edge.i
    prep = next((c for c in kids if c.dep_ == "prep" and c.i == t.i + 1
                 and c.lower_ in _NOMINAL_PREPS), None)
    if prep is not None:
        pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None:
            return pobj.left_edge.i, pobj.right_edge.i
    return None


def nominal_cues(text: str, sdoc: Any, lex: CueLexicon) -> list[Attribution]:
    """"His call for X", "criticism of X from Y", "claims that X": speech-act nouns.

    The noun counts when a source is in its phrase (a possessor, or the object
    of "from"/"by") and its content is a that-clause, a to-infinitive or the
    object of of/for/against/about/on; a that-clause alone also counts (the
    source may be unnamed: "claims that …").  Nouns inside a verb cue's own
    complement are left to the nesting rule in :func:`_merge`.
    """
    out = []
    cols = token_columns(sdoc)
    for i in [i for i in cols.with_lemma(lex.nominals) if cols.pos[i] == "NOUN"]:
        t = sdoc[i]
        kids = [c for c in t.children]
        src = _noun_source(kids)
        rng = _noun_content(t, kids, src is not None)
        if rng is None:
            continue
        a, b = rng
        while b > a and sdoc[b].is_punct:
            b -= 1
        s, e = trim(text, sdoc[a].idx, sdoc[b].idx + len(sdoc[b].text))
        s, e = trim(text, *bound_content(text, sdoc, t, s, e, lex))
        if e - s < 2 or "\n" in text[t.idx : e]:
            continue
        out.append(Attribution(kind="indirect", start=s, end=e, cue_tok=t,
                               cue=cue_span(t.idx, t.idx + len(t.text)),
                               speaker_tok=src, group="speech",
                               attrs={"cue_type": "noun"}))
    return out


_SETTING_NOUNS = frozenset(rdata.section("quotes.yaml", "setting_nouns"))


def _setting_source(p: Any) -> tuple[Any, bool] | None:
    """(source token, is a poll) of "in a new poll" / "in her view", else None."""
    src = next((c for c in p.children if c.dep_ == "pobj"), None)
    if src is None or src.lemma_.lower() not in _SETTING_NOUNS and src.lower_ not in \
            _SETTING_NOUNS:
        return None
    poll = src.lemma_.lower() in ("poll", "survey")
    if poll:
        return src, True
    owner = next((c for c in src.children if c.dep_ == "poss"), None)
    return (owner, False) if owner is not None else None


def _clause_without_setting(sdoc: Any, h: Any, p: Any) -> tuple[int, int]:
    """Token bounds of the clause headed by ``h`` on the other side of the setting phrase
    ``p``, without edge punctuation or an opening connective ("[But] he fell …")."""
    a, b = (h.left_edge.i, p.i - 1) if p.i > h.i else (p.right_edge.i + 1, h.right_edge.i)
    while b > a and (sdoc[b].is_punct or sdoc[b].is_space):
        b -= 1
    while a < b and (sdoc[a].is_punct or sdoc[a].is_space
                     or sdoc[a].dep_ in ("cc", "mark") and sdoc[a].head.i == h.i):
        a += 1
    return a, b


def setting_sources(text: str, sdoc: Any, lex: CueLexicon) -> list[Attribution]:
    """"X leads in a new poll" / "In her view, X": the source is set by a prepositional phrase.

    The clause the phrase modifies is the content (the phrase cut out); the
    phrase's noun is the source.  View-type nouns need a possessor ("in his
    words"), polls and surveys do not.
    """
    out = []
    cols = token_columns(sdoc)
    for i in [i for i in cols.where(cols.lower, "in") if cols.dep[i] == "prep"]:
        p = sdoc[i]
        if p.head.pos_ not in ("VERB", "AUX"):
            continue
        found = _setting_source(p)
        if found is None:
            continue
        src, poll = found
        h = p.head
        if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in h.children):
            continue
        a, b = _clause_without_setting(sdoc, h, p)
        if b - a < 2:
            continue
        s, e = trim(text, sdoc[a].idx, sdoc[b].idx + len(sdoc[b].text))
        if "\n" in text[s:e]:
            continue
        out.append(Attribution(kind="indirect", start=s, end=e, cue_tok=p,
                               cue=cue_span(p.idx, p.idx + len(p.text)),
                               speaker_tok=src,
                               group="report" if poll else "belief",
                               attrs={"cue_type": "setting"}))
    return out


def _question_range(kids: list[Any]) -> tuple[int, int] | None:
    """Token range of the question put: an if/whether/wh or to-clause, or "about" X."""
    for c in kids:
        if c.dep_ in ("ccomp", "xcomp") or (c.dep_ == "advcl" and any(
                g.dep_ in ("mark", "aux") and g.lower_ in ("if", "whether", "to")
                for g in c.children)):
            return c.left_edge.i, c.right_edge.i
        if c.dep_ == "prep" and c.lower_ == "about":
            return c.i + 1, c.right_edge.i
    return None


def questions_put(text: str, sdoc: Any) -> list[Attribution]:
    """"Asked whether …, X said" / "she was asked about …": the question is attributed too.

    The asker is usually unnamed (the reporter); it is the speaker only when
    given with "by".  The content is the question: an if/whether/wh clause,
    the object of "about", or a to-infinitive.
    """
    out = []
    cols = token_columns(sdoc)
    for i in [i for i in cols.with_lemma(("ask",)) if cols.tag[i] == "VBN"]:
        t = sdoc[i]
        if any(c.dep_ == "nsubj" for c in t.children):
            continue
        kids = [c for c in t.children if c.i > t.i]
        rng = _question_range(kids)
        if rng is None:
            continue
        span = _content_span(sdoc, text, rng, t.idx)
        if span is None:
            continue
        s, e = span
        agent = next((c for c in kids if c.dep_ == "agent"), None)
        asker = next((g for g in agent.children if g.dep_ == "pobj"), None) if agent else None
        cs = t.idx
        aux = [c for c in t.children if c.dep_ == "auxpass" and c.i == t.i - 1]
        if aux:
            cs = aux[0].idx
        out.append(Attribution(kind="indirect", start=s, end=e, cue_tok=t,
                               cue=cue_span(cs, t.idx + len(t.text)),
                               speaker_tok=asker, group="speech",
                               attrs={"cue_type": "question"}))
    return out


_NAMING = frozenset(rdata.section("quotes.yaml", "naming_verbs"))
_CASTING = frozenset(rdata.section("quotes.yaml", "casting_verbs"))
_PREDICATIVE = _NAMING | _CASTING | {"make", "take"}


Found = tuple[tuple[int, int], Any] | None  # (content token range, last cue token)


def _predicative_content(t: Any, lemma: str) -> Found:
    """The content of a predicative cue and where the cue ends, by the verb's kind."""
    kids = [c for c in t.children if c.i > t.i]
    obj = next((c for c in kids if c.dep_ == "dobj"), None)
    if lemma in _NAMING:
        return _named_as(t, kids, obj)
    if lemma in _CASTING and obj is not None:
        return _cast_as(t, kids, obj)
    if lemma == "make":
        return _made_clear(kids)
    if lemma == "take" and obj is not None and obj.lower_ == "aim":
        return _took_aim(kids, obj)
    return None


def _named_as(t: Any, kids: list[Any], obj: Any | None) -> Found:
    """"called her [“third-rate”]", "called [the plan a disgrace]"."""
    pred = next((c for c in kids if c.dep_ in ("oprd", "ccomp")), None)
    if pred is not None:
        lo = min(pred.left_edge.i, obj.left_edge.i if obj is not None else pred.i)
        return (lo, pred.right_edge.i), t
    if obj is not None and any(c.dep_ == "appos" for c in obj.children):
        return (obj.left_edge.i, obj.right_edge.i), t
    return None


def _cast_as(t: Any, kids: list[Any], obj: Any) -> Found:
    """"see [the campaign as unfair]", "cast [her rival as …]"."""
    as_ = next((c for c in kids if c.i > obj.i and (c.dep_ in ("prep", "advcl", "oprd"))
                and (c.lower_ == "as" or any(g.lower_ == "as" and g.i == c.left_edge.i
                                             for g in c.children))), None)
    return ((obj.left_edge.i, as_.right_edge.i), t) if as_ is not None else None


def _made_clear(kids: list[Any]) -> Found:
    """"made it clear [that …]": the cue runs to "clear"."""
    clear = next((c for c in kids if c.lower_ in ("clear", "plain")
                  and c.dep_ in ("ccomp", "oprd", "acomp")), None)
    clause = next((g for g in clear.children if g.dep_ in ("advcl", "ccomp")
                   and g.i > clear.i), None) if clear is not None else None
    return ((clause.left_edge.i, clause.right_edge.i), clear) if clause is not None else None


def _took_aim(kids: list[Any], obj: Any) -> Found:
    """"took aim at [X]": the cue runs to "at"."""
    at = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "at"), None)
    if at is not None and at.i == obj.i + 1 and at.right_edge.i > at.i:
        return (at.i + 1, at.right_edge.i), at
    return None


def predicative_cues(text: str, sdoc: Any, lex: CueLexicon,
                      taken: set[int]) -> list[Attribution]:
    """Cues whose content is an object with what is said of it, and two idioms.

    "called her [“third-rate”]", "see [the campaign as unfair]", "cast [her
    rival as …]"; "made it clear [that …]" and "took aim at [X]" (the cue is
    the whole idiom).  The verb needs a subject, which is the speaker.
    """
    out = []
    cols = token_columns(sdoc)
    # only these lemmas can yield a content below; the rest were skipped after the tests
    for i in [i for i in cols.with_lemma(_PREDICATIVE)
              if cols.pos[i] == "VERB" and i not in taken]:
        t = sdoc[i]
        lemma = cols.lemma[i]
        if lex.speaker_of(t) is None:
            continue
        found = _predicative_content(t, lemma)
        if found is None:
            continue
        rng, cue_end = found
        span = _content_span(sdoc, text, rng, t.idx)
        if span is None:
            continue
        s, e = span
        out.append(Attribution(kind="indirect", start=s, end=e, cue_tok=t,
                               cue=cue_span(t.idx, cue_end.idx + len(cue_end.text)),
                               speaker_tok=lex.speaker_of(t), group=lex.group_of(t)))
    return out


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip surrounding whitespace and trailing sentence punctuation."""
    while s < e and (text[s].isspace() or text[s] in ",;:—–"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:.—–"):
        e -= 1
    return s, e


def _content_span(sdoc: Any, text: str, rng: tuple[int, int], cue_idx: int) -> tuple[int, int] | None:
    """Character span of a content token range, trailing punctuation dropped.

    None when the content is too short or runs past the cue's paragraph.
    """
    a, b = rng
    while b > a and sdoc[b].is_punct:
        b -= 1
    s, e = trim(text, sdoc[a].idx, sdoc[b].idx + len(sdoc[b].text))
    if e - s < 2 or "\n" in text[cue_idx:e]:
        return None
    return s, e


_RAISING = frozenset({"seem", "appear"})


def _raised_clause(text: str, sdoc: Any, t: Any, subj: Any, comp: Any
                   ) -> tuple[tuple[int, int], list[list[int]]] | None:
    """"X seemed to waver": the clause "X … waver" with the cue (and "to") cut out."""
    if subj.lower_ == "it" or subj.left_edge.i < t.left_edge.i:
        return None
    span = _content_span(sdoc, text, (subj.left_edge.i, comp.right_edge.i), t.idx)
    if span is None or span[0] >= t.idx:
        return None
    s, e = span
    k = t.i + 1
    while k < comp.i and sdoc[k].dep_ in ("aux", "advmod") and sdoc[k].lower_ == "to":
        k += 1
    return span, [[s, sdoc[t.i - 1].idx + len(sdoc[t.i - 1].text)], [sdoc[k].idx, e]]


def raising_cues(text: str, sdoc: Any, taken: set[int]) -> list[Attribution]:
    """"X seemed to waver", "It appears (that) …": an appearance reported with no source.

    The verb's subject is no speaker: what is attributed (to the writer's
    impression) is the whole clause, "X … to waver", with the cue cut out
    (recorded as two pieces), or the that-clause after an empty "it".
    """
    out = []
    cols = token_columns(sdoc)
    for i in [i for i in cols.with_lemma(_RAISING) if cols.pos[i] == "VERB" and i not in taken]:
        t = sdoc[i]
        kids = list(t.children)
        subj = next((c for c in kids if c.dep_ in ("nsubj", "expl")), None)
        comp = next((c for c in kids if c.i > t.i and (
            c.dep_ == "ccomp" or c.dep_ in ("xcomp", "acomp", "oprd", "attr"))), None)
        if subj is None or comp is None or subj.lower_ in ("that", "which", "who"):
            continue
        cs, ce = t.idx, t.idx + len(t.text)
        if subj.lower_ == "it" and comp.dep_ == "ccomp":
            span = _content_span(sdoc, text, (comp.left_edge.i, comp.right_edge.i), t.idx)
            if span is None:
                continue
            (s, e), pieces, cs = span, None, subj.idx
        else:
            found = _raised_clause(text, sdoc, t, subj, comp)
            if found is None:
                continue
            (s, e), pieces = found
        out.append(Attribution(kind="indirect", start=s, end=e, cue_tok=t, cue=cue_span(cs, ce),
                               group="belief",
                               attrs={"cue_type": "raising", **({"pieces": pieces}
                                                                if pieces else {})}))
    return out


def passive_subject(text: str, t: Any, cue_start: int) -> tuple[int, int] | None:
    """"[X] is expected [to win]", "[who] was accused [of …]": the passive cue's subject.

    With a passive cue the subject is what the report is about and belongs
    to the content (PolNeAR's convention, and it keeps "to win" from
    standing alone); the content is then two pieces around the cue.  A
    question put to someone ("X was asked whether …") is the exception: the
    one asked is only the addressee.
    """
    if t.tag_ != "VBN" or t.lemma_.lower() == "ask" or not any(
            c.dep_ == "auxpass" for c in t.children):
        return None
    subj = next((c for c in t.children if c.dep_ == "nsubjpass" and c.i < t.i), None)
    if subj is None or subj.lower_ == "it":  # "it was reported that …": an empty subject
        return None
    doc = t.doc
    a, b = subj.left_edge.i, subj.right_edge.i
    while b > a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    s, e = trim(text, doc[a].idx, doc[b].idx + len(doc[b].text))
    if e - s < 1 or e > cue_start or "\n" in text[s:cue_start]:
        return None
    return s, e


def according_between(text: str, t: Any
                      ) -> tuple[tuple[int, int] | None, list[list[int]] | None]:
    """"Fundraising, according to the campaign, has surged": a source set off mid-clause.

    When "according to X" sits between commas inside the clause it
    qualifies (its head verb comes after it and the clause starts before
    it), the content is that clause in two pieces, the source phrase cut out.
    """
    doc = t.doc
    if t.i < 2 or doc[t.i - 1].text != "," or t.i + 1 >= len(doc):
        return None, None
    to = doc[t.i + 1]
    end = max(t.right_edge.i, to.right_edge.i)
    head = t.head
    if end + 2 >= len(doc) or doc[end + 1].text != "," or head.i <= end \
            or head.pos_ not in ("VERB", "AUX"):
        return None, None
    a, b = head.left_edge.i, head.right_edge.i
    while b > a and (doc[b].is_punct or doc[b].is_space):
        b -= 1
    while a < t.i - 1 and (doc[a].is_punct or doc[a].dep_ == "cc"):
        a += 1
    if a >= t.i - 1 or b <= end + 1:
        return None, None
    s, e = doc[a].idx, doc[b].idx + len(doc[b].text)
    if "\n" in text[s:e]:
        return None, None
    return (s, e), [list(trim(text, s, doc[t.i - 1].idx)),
                    list(trim(text, doc[end + 1].idx + 1, e))]


_RELATIVES = frozenset(rdata.section("quotes.yaml", "relatives"))


def relative_pieces(text: str, t: Any, s: int, e: int, cue_end: int
                    ) -> list[list[int]] | None:
    """"the changes, [which] officials said [will go into effect]": a cue in a relative clause.

    The relative pronoun opening the reported clause stands for its subject
    (or object) and is part of what is attributed; the cue clause between it
    and the rest is not.  Returns the two pieces, or None.
    """
    if t.dep_ not in ("relcl", "ccomp", "acl") or not s < t.idx < e:
        return None
    first = t.doc[t.left_edge.i] if t.left_edge.idx == s else None
    if first is None:
        k = next((w for w in t.doc[t.left_edge.i : t.i] if w.idx == s), None)
        first = k
    if first is None or first.lower_ not in _RELATIVES or first.i >= t.i:
        return None
    rest = cue_end
    while rest < e and text[rest] in " \t,":
        rest += 1
    if e - rest < 2:
        return None
    return [[s, first.idx + len(first.text)], [rest, e]]
