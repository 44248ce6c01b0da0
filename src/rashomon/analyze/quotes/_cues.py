"""The cue lexicon: which tokens are attribution cues, and where a cue's speaker
and complement sit in the dependency parse.

Loaded from ``rashomon/data/cues.yaml`` by :func:`load_cues`.  Kept apart from
:mod:`rashomon.analyze.quotes._speakers` (which resolves a speaker to an actor) because
the two change for different reasons: this one when the lexicon or the parse
rules for content change, that one when name resolution does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rashomon import data as rdata
from rashomon.analyze.quotes._complements import (
    ACT_PREPS,
    bare_complement,
    coordinated_end,
    skip_connective,
    stance_object,
    vp_tail,
    with_addressee,
)
from rashomon.analyze.spans import sent_of
from rashomon.analyze.token_columns import token_columns

CUES_PATH = rdata.path("cues.yaml")


# --- the cue lexicon ------------------------------------------------------------------

_REL_PRONOUNS = frozenset(rdata.section("quotes.yaml", "relative_pronouns"))


def _clause_or_infinitive(t: Any, kids: list[Any], parts: frozenset[str]
                          ) -> tuple[int, int] | None:
    """A clausal complement, else a to-infinitive after the cue ("urged [women to vote]")."""
    for c in kids:
        if c.dep_ == "ccomp":
            return c.left_edge.i, c.right_edge.i
    for c in kids:
        if c.dep_ in ("xcomp", "advcl") and c.i > t.i and any(
                g.lower_ == "to" and g.dep_ == "aux" for g in c.children):
            return with_addressee(t, c, parts), c.right_edge.i
    return None


def _verb_cue_form(t: Any) -> bool:
    """A verb used as a verb of its own clause: not an adjective or auxiliary, and not a
    subjectless participle ("when asked about ...": the speaker is not the one asked)."""
    if t.pos_ not in ("VERB", "AUX") or t.dep_ in ("amod", "aux", "auxpass"):
        return False
    return not (t.tag_ == "VBN" and t.dep_ in ("advcl", "acl") and not any(
        c.dep_ in ("nsubj", "aux", "auxpass") for c in t.children))


def _according_source(t: Any) -> Any | None:
    """The object of "according to" (the source), if the parse has one."""
    if t.i + 1 >= len(t.doc):
        return None  # "according" ends the text: no "to", no source
    to = t.doc[t.i + 1]
    return next((c for c in [*to.children, *t.children] if c.dep_ == "pobj"), None)


def _object_with_tail(obj: Any, kids: list[Any]) -> tuple[int, int]:
    """A direct object with the for/of/as phrases that complete it ("endorsed [X for Y]")."""
    end = obj.right_edge.i
    for c in kids:
        if c.i > obj.i and vp_tail(c):
            end = max(end, c.right_edge.i)
    return obj.left_edge.i, end


def _prep_object(kids: list[Any]) -> tuple[int, int] | None:
    """The object of the cue's first content preposition ("pointed to [X]")."""
    prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ not in ACT_PREPS), None)
    if prep is not None and any(g.dep_ in ("pobj", "pcomp") for g in prep.children):
        return prep.i + 1, prep.right_edge.i
    return None


def _past_apposition(doc: Any, after: tuple[int, int]) -> tuple[int, int]:
    """"according to X, Title of X, content": skip the comma-set apposition, when the
    part skipped leaves the clause its subject ("…, Mills asked")."""
    if doc[after[0]].text != "," or after[0] + 1 >= len(doc) \
            or not doc[after[0] + 1].text[:1].isupper():
        return after
    verbs = [k.i for k in doc[after[0] : after[1] + 1] if k.pos_ in ("VERB", "AUX")]
    commas = [k.i for k in doc[after[0] + 1 : verbs[0]] if k.text == ","] if verbs else []
    if commas and any(k.dep_ in ("nsubj", "nsubjpass")
                      for k in doc[commas[-1] + 1 : after[1] + 1]):
        return commas[-1] + 1, after[1]
    return after


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
    learned: dict[str, frozenset[str]] = field(default_factory=dict)  # lemma -> shapes
    nominals: frozenset[str] = frozenset()  # speech-act nouns ("claims that", "calls for")
    # verb + object idioms that are acts, not speech ("call attention", "call an election")
    idioms: dict[str, frozenset[str]] = field(default_factory=dict)

    def is_cue(self, t: Any, loose: bool = False) -> bool:
        """A cue token.  ``loose`` (next to a quote) waives the complement test."""
        if t.lower_ == "according":
            return t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to"
        lemma = t.lemma_.lower()
        if lemma not in self.verbs and lemma not in self.learned:
            return False  # what every later test concludes for a word outside the lexicon
        idiom = self.idioms.get(lemma)
        if idiom and any(c.dep_ == "dobj" and c.lemma_.lower() in idiom for c in t.children):
            return False
        group = self.verbs.get(lemma)
        if group is None and lemma in self.learned and t.pos_ == "VERB":
            return self.speaker_of(t) is not None and self._learned_complement(t) is not None
        if group is None or not _verb_cue_form(t):
            return False
        return self._has_content(t, lemma, loose)

    def _has_content(self, t: Any, lemma: str, loose: bool) -> bool:
        """Does the cue verb say something here: a clause for clause-only verbs, a
        complement for verbs that need one (``loose``: next to a quote, always)?"""
        if lemma in self.clause_only and not loose:
            return any(c.dep_ == "ccomp" for c in t.children)
        if loose or lemma not in self.needs_clause:
            return True
        if self._complement(t) is not None:
            return True
        # "mentioned [X]", "pointed to [X]": a shape the train lexicon learned for this verb
        return lemma in self.learned and self.speaker_of(t) is not None \
            and self._learned_complement(t) is not None

    def cue_candidates(self, sdoc: Any) -> list[int]:
        """Indices of the tokens :meth:`is_cue` may accept (all others it rejects)."""
        cols = token_columns(sdoc)
        verbs, learned = self.verbs, self.learned
        return sorted({*cols.with_lemma(verbs), *cols.with_lemma(learned),
                       *cols.where(cols.lower, "according")})

    def group_of(self, t: Any) -> str:
        if t.lower_ == "according":
            return "source"
        lemma = t.lemma_.lower()
        return self.verbs.get(lemma, "stance" if lemma in self.learned else "speech")

    def cue_extent(self, t: Any) -> tuple[int, int]:
        """Character span of the cue: the verb plus its particle, or "according to"."""
        end_tok = t
        if t.lower_ == "according" and t.i + 1 < len(t.doc):
            end_tok = t.doc[t.i + 1]
        elif t.lower_ != "according":
            parts = self.particles.get(t.lemma_.lower(), frozenset())
            for c in t.rights:
                if c.i == t.i + 1 and (c.dep_ == "prt" or c.lower_ in parts):
                    end_tok = c
        return t.idx, end_tok.idx + len(end_tok.text)

    def speaker_of(self, t: Any, depth: int = 0) -> Any | None:
        """The token heading the speaker: subject of the cue, or object of "according to"."""
        if t.lower_ == "according":
            return _according_source(t)
        for c in t.children:
            if c.dep_ == "nsubj":
                if c.lower_ in _REL_PRONOUNS and t.dep_ == "relcl":
                    return t.head
                return c
        if t.dep_ == "advcl" and t.tag_ == "VBG" and sent_of(t).root is not t and depth < 3:
            return self.speaker_of(sent_of(t).root, depth + 1)
        if c_agent := next((c for c in t.children if c.dep_ == "agent"), None):
            return next((g for g in c_agent.children if g.dep_ == "pobj"), None)
        if depth < 3 and t.dep_ in ("advcl", "xcomp", "conj", "pcomp") and t.head is not t:
            return self.speaker_of(t.head, depth + 1)
        return None

    def _complement(self, t: Any) -> tuple[int, int] | None:
        """The clause, infinitive or object a cue verb takes, as a token range."""
        kids = list(t.children)
        parts = self.particles.get(t.lemma_.lower(), frozenset())
        found = _clause_or_infinitive(t, kids, parts)
        if found is not None:
            return found
        oprd = next((c for c in kids if c.dep_ in ("oprd", "ccomp") and c.i > t.i), None)
        obj = next((c for c in kids if c.dep_ == "dobj" and c.i > t.i), None)
        if t.lemma_.lower() == "call" and obj is not None and oprd is not None:
            return obj.left_edge.i, oprd.right_edge.i  # called the plan "a disgrace"
        prep = next((c for c in kids if c.dep_ == "prep" and c.lower_ in parts and c.i > t.i),
                    None)
        if prep is not None:
            return prep.i + 1, prep.right_edge.i
        if t.lemma_.lower() in self.object_cues and obj is not None:
            return stance_object(obj) or _object_with_tail(obj, kids)
        return None

    def _learned_complement(self, t: Any) -> tuple[int, int] | None:
        """The complement of a cue learned from annotated news, in its learned shapes.

        Shapes: ``ccomp`` (a clause), ``xcomp`` (declined [to comment]),
        ``dobj`` (endorsed [Cruz], with a following for/of/as phrase), ``prep``
        (pointed to [X]: the object of the first preposition).
        """
        shapes = self.learned.get(t.lemma_.lower(), frozenset())
        kids = [c for c in t.children if c.i > t.i]
        for c in kids:
            if c.dep_ == "ccomp" and "ccomp" in shapes:
                return c.left_edge.i, c.right_edge.i
            if c.dep_ == "xcomp" and "xcomp" in shapes:
                return with_addressee(t, c), c.right_edge.i
        obj = next((c for c in kids if c.dep_ == "dobj"), None)
        if obj is not None and (inner := stance_object(obj)):
            return inner
        if obj is not None and "dobj" in shapes and obj.lower_ not in _REL_PRONOUNS:
            return _object_with_tail(obj, kids)
        if "prep" in shapes and obj is None:
            return _prep_object(kids)
        return None

    def content_of(self, t: Any) -> tuple[int, int] | None:
        """Character span of what the cue attributes (indirect reading), or None."""
        doc = t.doc
        if t.lower_ == "according":
            return self._according_content(t)
        rng = self._complement(t) if t.lemma_.lower() in self.verbs else None
        if rng is None and t.lemma_.lower() in self.learned:
            rng = self._learned_complement(t)
        if rng is None and t.lemma_.lower() in self.verbs and self.speaker_of(t) is not None:
            rng = bare_complement(t)
        if rng is None and t.dep_ in ("parataxis", "ccomp", "advcl") and t.head.i < t.i \
                and self.speaker_of(t) is not None:
            # "The talks failed, he said": only when a comma sets the cue clause off
            left = min([c.left_edge.i for c in t.lefts if c.dep_ != "punct"] + [t.i])
            start = t.head.left_edge.i
            if start < left - 1 and doc[left - 1].text == ",":
                rng = (start, left - 1)
        if rng is None:
            return None
        a, b = skip_connective(doc, *rng)
        b = coordinated_end(t, a, b, self.verbs)
        if b < a:
            return None
        return doc[a].idx, doc[b].idx + len(doc[b].text)

    def _according_content(self, t: Any) -> tuple[int, int] | None:
        doc, sent = t.doc, sent_of(t)
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
        if after:
            after = _past_apposition(doc, after)
        best = max([r for r in (before, after) if r and r[1] >= r[0]],
                   key=lambda r: r[1] - r[0], default=None)
        if best is None or best[1] - best[0] < 2:
            return None
        best = skip_connective(doc, *best)
        return doc[best[0]].idx, doc[best[1]].idx + len(doc[best[1]].text)


@lru_cache(maxsize=4)
def load_cues(path: str | None = None) -> CueLexicon:
    """Read the cue lexicon (bundled ``data/cues.yaml`` unless a path is given)."""
    data = rdata.read(path) if path else rdata.load("cues.yaml")
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
        learned={str(k).lower(): frozenset(v) for k, v in (data.get("learned") or {}).items()},
        nominals=frozenset(str(n).lower() for n in data.get("nominal_cues") or []),
        idioms={str(k).lower(): frozenset(str(x).lower() for x in v)
                for k, v in (data.get("not_cue_with_object") or {}).items()},
    )
