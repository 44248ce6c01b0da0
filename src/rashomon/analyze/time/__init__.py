"""Time expressions resolved to absolute intervals, anchored on the document date.

Public face of the time stage: the ``time`` layer.
"""

from rashomon.analyze.time._layer import time_layer

__all__ = ["time_layer"]
