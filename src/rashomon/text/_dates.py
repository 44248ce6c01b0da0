"""The date grammar shared by publication dates (ingest) and time expressions (analyze).

One table of month names, one calendar arithmetic and one reading rule for
numeric dates, so that "01/10/2023" means the same thing wherever it is read.

The numeric reading rule (:func:`read_numeric`), in order:

1. a part above 12 can only be the day ("13/05/2023" is 13 May, "05/13/2023"
   is 13 May too);
2. otherwise both parts could be the month, and the reading is *ambiguous*:
   a dotted date ("01.10.2023") is day-first, the convention wherever dots are
   written; else a caller's hint (``day_first``, e.g. what the rest of the
   document or its language shows) decides; with no hint the reading is
   month-first and its ``basis`` says it rests on that default alone.

Callers decide what to do with a reading that rests on the default: the time
layer keeps it and flags it "ambiguous"; publication-date inference declines it
(a guessed month would misdate every relative date in the document).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

#: month name or abbreviation (lower case, no trailing dot) -> month number
MONTHS: dict[str, int] = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9


def month_number(name: str | None) -> int | None:
    """The month a name or abbreviation stands for ("Sept." -> 9), else None."""
    return MONTHS.get(name.lower().rstrip(".")) if name else None


def safe_date(y: int, m: int, d: int) -> date | None:
    """``date(y, m, d)``, or None when there is no such day (31 June, month 13)."""
    try:
        return date(y, m, d)
    except ValueError:
        return None


def month_end(y: int, m: int) -> date:
    """The last day of month ``m`` of year ``y``."""
    return date(y, m, calendar.monthrange(y, m)[1])


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` calendar months, the day clipped to the target month's end."""
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def shift(d: date, n: int, unit: str) -> date:
    """``d`` moved by ``n`` units ("day", "week", "fortnight", "month", "decade", else years).

    Always (date, amount, unit), as ``timedelta`` reads.  Raises ``ValueError`` or
    ``OverflowError`` past the calendar's ends; callers that read untrusted counts
    catch them.
    """
    unit = unit.lower()
    if unit == "day":
        return d + timedelta(days=n)
    if unit in ("week", "fortnight"):
        return d + timedelta(weeks=n * (2 if unit == "fortnight" else 1))
    if unit == "month":
        return add_months(d, n)
    if unit == "decade":
        return add_months(d, 120 * n)
    return add_months(d, 12 * n)


@dataclass(frozen=True)
class NumericReading:
    """How a numeric date ("a/b/y", "a.b.y") was read.

    ``basis`` is why: "value" (a part above 12 can only be a day), "same" (both
    parts equal), "dots" (dotted dates are day-first), "hint" (the caller's
    ``day_first``) or "default" (month-first, with nothing else to go on).
    ``ambiguous``: both parts could have been the month.
    """

    day: int
    month: int
    ambiguous: bool
    basis: str
    day_first: bool  # the first written part is the day


def read_numeric(first: int, second: int, sep: str,
                 day_first: bool | None = None) -> NumericReading:
    """Day and month of a numeric date from its two leading parts (see the module rule)."""
    if first > 12 or second > 12:
        first_is_day = first > 12
        basis, ambiguous = "value", False
    elif first == second:
        first_is_day, basis, ambiguous = True, "same", True
    elif sep == ".":
        first_is_day, basis, ambiguous = True, "dots", True
    elif day_first is not None:
        first_is_day, basis, ambiguous = day_first, "hint", True
    else:
        first_is_day, basis, ambiguous = False, "default", True
    day, month = (first, second) if first_is_day else (second, first)
    return NumericReading(day, month, ambiguous, basis, first_is_day)


def full_year(y: str) -> int:
    """A written year as a number: four digits as is, two digits in this century."""
    return int(y) if len(y) == 4 else 2000 + int(y)
