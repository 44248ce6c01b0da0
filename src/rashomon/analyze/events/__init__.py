"""CAMEO/PLOVER event coding over the dependency parse.

Public face of the events stage: the ``events`` layer and the code tables that
exporters and evaluations read (CAMEO code → name, Goldstein, PLOVER).
"""

from rashomon.analyze.events._codes import code_info, normalize_plover
from rashomon.analyze.events._layer import events_layer

__all__ = ["code_info", "events_layer", "normalize_plover"]
