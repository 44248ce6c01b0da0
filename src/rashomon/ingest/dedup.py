"""Near-duplicate detection: MinHash over word 5-shingles with LSH lookup.

Outlets republish each other's articles (wire copy, syndication, reposts with
a new headline or a comment section).  Such copies must stay separate
documents (each outlet's choice to publish is itself evidence) but be linked,
so counts of "sources reporting X" are not inflated.

Identical normalised text (case, whitespace and punctuation ignored) is found
by an exact hash and scores 1.0.  Anything else is estimated from MinHash
signatures and capped at 0.99, so 1.0 always means "same body".
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np
from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+", re.UNICODE)
SHINGLE = 5
NUM_PERM = 128
SEED = 1
NEAR_CAP = 0.99
SCHEME = "affine32"


_MASK = np.uint64(0xFFFFFFFF)
_MULT = np.uint64(0x01000193)  # FNV prime: mixes word hashes into a shingle hash


_WORD_CACHE: dict[str, int] = {}
_WORD_CACHE_MAX = 500_000


def _word_hashes(words: list[str]) -> np.ndarray:
    """Stable 32-bit hash per word; crc32 results are cached (news vocabulary repeats)."""
    cache = _WORD_CACHE
    missing = [w for w in set(words) if w not in cache]
    if missing:
        if len(cache) + len(missing) > _WORD_CACHE_MAX:
            cache.clear()
        for w in missing:
            cache[w] = zlib.crc32(w.encode("utf-8"))
    return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


def shingle_hashes(words: list[str]) -> list[int]:
    """32-bit hashes of the distinct word 5-shingles, computed with numpy.

    Hashing each joined 5-word string in Python was the slowest part of
    ingest; combining per-word hashes positionally gives the same shingle
    identity (up to 32-bit collisions) at a fraction of the cost.
    """
    if not words:
        return []
    wh = _word_hashes(words)
    n = len(words) - SHINGLE + 1
    if n <= 0:
        acc = np.zeros(1, dtype=np.uint64)
        for h in wh:
            acc = (acc * _MULT + h) & _MASK
        return [int(acc[0])]
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE):
        acc = (acc * _MULT + wh[k:k + n]) & _MASK
    return np.unique(acc).tolist()


class NearDupIndex:
    """In-memory index of document bodies for near-duplicate queries.

    threshold (float): minimum estimated Jaccard similarity of word 5-shingle
        sets for a document to be reported by :meth:`query`.
    """

    def __init__(self, threshold: float = 0.8, num_perm: int = NUM_PERM) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._sigs: dict[str, np.ndarray] = {}
        self._exact: dict[str, list[str]] = {}
        # Permutations are drawn once: MinHash() would redraw them per document.
        self._perms = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations
        self._last: tuple[str, MinHash] | None = None

    def __len__(self) -> int:
        return len(self._sigs)

    @staticmethod
    def _words(text: str) -> list[str]:
        return WORD.findall(text.lower())

    def _minhash(self, words: list[str]) -> MinHash:
        key = self._exact_key(words)
        if self._last is not None and self._last[0] == key:
            return self._last[1]  # ingest queries a body, then adds the same body
        m = MinHash(num_perm=self.num_perm, seed=SEED, hashfunc=int, permutations=self._perms,
                    scheme=SCHEME)
        m.update_batch(shingle_hashes(words))
        self._last = (key, m)
        return m

    @staticmethod
    def _exact_key(words: list[str]) -> str:
        return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()

    def add(self, doc_id: str, text: str) -> None:
        """Index one document body; adding an id twice is a no-op."""
        if doc_id in self._sigs:
            return
        words = self._words(text)
        if not words:
            return
        self._exact.setdefault(self._exact_key(words), []).append(doc_id)
        m = self._minhash(words)
        self._lsh.insert(doc_id, m, check_duplication=False)
        self._sigs[doc_id] = m.hashvalues

    def query(self, text: str) -> list[tuple[str, float]]:
        """Indexed documents similar to ``text``: ``[(doc_id, similarity)]``, best first.

        Exact (normalised) copies score 1.0; others are MinHash estimates of the
        Jaccard similarity, at least ``threshold`` and at most 0.99.
        """
        words = self._words(text)
        if not words:
            return []
        exact = self._exact.get(self._exact_key(words), [])
        found = {d: 1.0 for d in exact}
        m = self._minhash(words)
        for cand in self._lsh.query(m):
            if cand in found:
                continue
            sim = float(np.count_nonzero(self._sigs[cand] == m.hashvalues)) / self.num_perm
            if sim >= self.threshold:
                found[cand] = min(sim, NEAR_CAP)
        return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
