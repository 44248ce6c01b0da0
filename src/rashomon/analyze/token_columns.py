"""Per-document token columns: every token's text, lemma, tags and dependency
label, read from the parse's arrays once and shared by the layers.

Touching ``doc[i]`` builds a new Token object each time; rules that scan a
whole document for a few candidates (cue verbs, event triggers) are faster
picking them by index from these lists.  Cached in ``Doc.user_data``, so the
quotes and events layers of one document share one read.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import Any

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, ORTH, POS, TAG

_COLS_KEY = "rashomon_token_cols"


@dataclass(frozen=True)
class TokenColumns:
    """The strings the rules test on every token, read once per parse.

    Walking a spaCy Doc creates a Token object per token per walk; the
    attribution rules walk each document several times only to find the few
    tokens worth a closer look.  These columns (one array read, strings
    looked up once per distinct value) let them pick candidates by index.
    ``lemma`` is lower-cased, as every rule compares it.
    """

    orth: list[str]  # Token.text
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    _lemma_codes: Any  # per token, a code of its lemma (an index into the distinct values)
    _lemmas: list[tuple[int, str]]  # (code, lower-cased lemma) of the distinct lemmas
    _n_codes: int

    def with_lemma(self, lemmas: Container[str]) -> list[int]:
        """Indices of the tokens whose lemma is in ``lemmas``, in document order."""
        want = [k for k, x in self._lemmas if x in lemmas]
        if not want:
            return []
        table = numpy.zeros(self._n_codes, dtype=bool)
        table[want] = True
        return numpy.flatnonzero(table[self._lemma_codes]).tolist()

    def where(self, column: list[str], value: str) -> list[int]:
        """Indices ``i`` with ``column[i] == value``, in order (a C-speed scan)."""
        out, i = [], -1
        try:
            while True:
                i = column.index(value, i + 1)
                out.append(i)
        except ValueError:
            return out


def token_columns(sdoc: Any) -> TokenColumns:
    """The :class:`TokenColumns` of ``sdoc`` (cached in ``sdoc.user_data``)."""
    cols = sdoc.user_data.get(_COLS_KEY)
    if cols is not None and len(cols.lower) == len(sdoc):
        return cols
    strings = sdoc.vocab.strings
    arr = sdoc.to_array([ORTH, LOWER, LEMMA, POS, TAG, DEP]).reshape(len(sdoc), 6)
    uniq, inv = numpy.unique(arr, return_inverse=True)
    inv = inv.reshape(arr.shape)
    names = [strings[h] for h in uniq.tolist()]
    lowered = [x.lower() for x in names]
    orth, lower, _, pos, tag, dep = numpy.array(names, dtype=object)[inv].T.tolist() \
        if len(sdoc) else [[]] * 6
    lemma = numpy.array(lowered, dtype=object)[inv[:, 2]].tolist()
    codes = inv[:, 2]
    cols = TokenColumns(orth, lower, lemma, pos, tag, dep, codes,
                        [(k, lowered[k]) for k in numpy.unique(codes).tolist()], len(names))
    sdoc.user_data[_COLS_KEY] = cols
    return cols


__all__ = ["TokenColumns", "token_columns"]
