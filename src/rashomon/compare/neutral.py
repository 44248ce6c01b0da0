"""Name-blind keys for ordering, so that exchanging parties' names changes nothing.

Clustering and "keep the best of several" steps break ties by item order.  If
that order came from ids (content hashes) or names, swapping the parties'
names in a corpus could change the result; ordering by these keys cannot.
"""

from __future__ import annotations

import re

_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*")


def text_shape(text: str | None) -> str:
    """Text with every capitalised word replaced by one placeholder."""
    return _CAPITALISED.sub("X", text or "")
