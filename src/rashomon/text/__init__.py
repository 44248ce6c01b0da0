"""Text machinery shared by ingest and analyze: one of each thing.

This package sits below both stages (it imports only ``rashomon.model`` and
``rashomon.data``), so publication-date inference and time expressions read
dates by the same grammar, and entities and event actors consult the same
gazetteer.

* dates: :data:`MONTHS`, :func:`month_number`, :func:`safe_date`,
  :func:`month_end`, :func:`add_months`, :func:`shift` (always date, amount,
  unit), :func:`full_year` and the numeric reading rule :func:`read_numeric`;
* datelines: :data:`DATELINE_RE`, :func:`dateline_end`, :func:`is_dateline`;
* the gazetteer: :func:`resolve_place`, :func:`lookup_country`,
  :func:`country_entity`, :func:`region_country`, :func:`is_acronym`,
  :func:`normalize_name` (places, ranked by the text's countries: :data:`PLACE_PARAMS`), :func:`gazetteer`
  (phrase matching for actors), and the one place test :func:`is_place`;
* :func:`doc_text` / :func:`seed_text`: a parsed Doc's text, read once.
"""

from rashomon.text._dateline import DATELINE_RE, dateline_end, is_dateline
from rashomon.text._dates import (
    MONTHS,
    NumericReading,
    add_months,
    full_year,
    month_end,
    month_number,
    read_numeric,
    safe_date,
    shift,
)
from rashomon.text._doc import doc_text, seed_text
from rashomon.text._gazetteer import (
    PLACE_PARAMS,
    City,
    Gazetteer,
    PlaceParams,
    cache_dir,
    city_candidates,
    country_entity,
    gazetteer,
    is_acronym,
    is_place,
    lookup_country,
    normalize_name,
    region_country,
    resolve_place,
)

__all__ = [
    "DATELINE_RE", "MONTHS", "PLACE_PARAMS", "City", "PlaceParams", "is_acronym", "region_country", "Gazetteer", "NumericReading", "add_months", "cache_dir",
    "city_candidates", "country_entity", "dateline_end", "doc_text", "full_year", "gazetteer",
    "is_dateline", "is_place", "lookup_country", "month_end", "month_number", "normalize_name",
    "read_numeric", "resolve_place", "safe_date", "seed_text", "shift",
]
