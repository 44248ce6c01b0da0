"""The numeric knobs of the events stage, in one frozen dataclass (as ``StoryParams``).

Word lists and code tables are data (``data/event_words.yaml``,
``data/event_lexicon.yaml``); what is left in code is grammar and these numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventParams:
    """Distances and depths of the events stage; every number is documented here.

    coref_lookback_sents: earlier sentences searched for a pronoun's antecedent.
    coref_max_gap: characters between a pronoun and its antecedent beyond which the
        antecedent is too risky to take.
    place_gap_factor: a definite place noun ("the road") may refer back this many
        ``coref_max_gap`` lengths (places are named once and referred to for long).
    place_word_window: characters either side of a place mention searched for the
        place noun itself ("a checkpoint at X Bridge" ... "at the checkpoint").
    legacy_pronoun_gap: without coreference, "he"/"she" takes a person mentioned at
        most this many characters before.
    relative_depth: heads climbed from a relative pronoun to its relative clause.
    condition_depth: heads climbed looking for an enclosing if/unless clause.
    """

    coref_lookback_sents: int = 3
    coref_max_gap: int = 1200
    place_gap_factor: int = 4
    place_word_window: int = 80
    legacy_pronoun_gap: int = 400
    relative_depth: int = 4
    condition_depth: int = 8


DEFAULT_PARAMS = EventParams()
