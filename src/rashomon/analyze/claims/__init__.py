"""Check-worthy assertions, attributed to speaker and outlet separately.

Public face of the claims stage: the ``claims`` layer and the qualifier
matcher that contradiction detection shares.
"""

from rashomon.analyze.claims._layer import claims_layer, matcher_for

__all__ = ["claims_layer", "matcher_for"]
