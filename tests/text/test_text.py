"""The shared text machinery: one date reading rule, one dateline rule, one place test.

Ingest (publication dates) and analyze (time expressions) must read the same
numeric date the same way; these tests pin the rule and both callers to it.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rashomon.ingest.metadata import find_dates
from rashomon.model import Mention
from rashomon.text import (
    DATELINE_RE,
    add_months,
    dateline_end,
    is_place,
    month_number,
    read_numeric,
    shift,
)


@pytest.mark.parametrize(
    ("first", "second", "sep", "hint", "day", "month", "basis"),
    [
        (13, 5, "/", None, 13, 5, "value"),      # a part above 12 is the day ...
        (5, 13, "/", None, 13, 5, "value"),      # ... whichever side it is on
        (5, 13, ".", True, 13, 5, "value"),      # and it beats a hint
        (1, 10, ".", None, 1, 10, "dots"),       # dotted dates are day-first
        (1, 10, "/", True, 1, 10, "hint"),       # the caller's evidence decides
        (1, 10, "/", False, 10, 1, "hint"),
        (1, 10, "/", None, 10, 1, "default"),    # else month-first, marked as a default
        (4, 4, "/", None, 4, 4, "same"),
    ],
)
def test_numeric_reading_rule(first, second, sep, hint, day, month, basis):
    r = read_numeric(first, second, sep, hint)
    assert (r.day, r.month, r.basis) == (day, month, basis)
    assert r.ambiguous == (basis != "value")
    assert r.day_first == (r.day == first)


def test_publication_dates_follow_the_shared_rule():
    """Metadata reads what the rule reads and declines a reading resting on the default."""
    got = {r.text: r.date for r in find_dates(
        "Filed 13/05/2023. Signed 01.10.2022. Sent 01/10/2021. Seen 5.13.2020.")}
    assert got["13/05/2023"] == dt.date(2023, 5, 13)
    assert got["01.10.2022"] == dt.date(2022, 10, 1)
    assert got["5.13.2020"] == dt.date(2020, 5, 13)
    assert "01/10/2021" not in got


def test_time_expressions_follow_the_shared_rule():
    from rashomon.analyze.time._grammar import resolve_date_text

    anchor = dt.date(2023, 12, 1)
    assert resolve_date_text("on 13/05/2023", anchor)[:2] == ("2023-05-13", "2023-05-13")
    assert resolve_date_text("on 01.10.2022", anchor)[0] == "2022-10-01"
    assert resolve_date_text("on 01/10/2021", anchor)[0] == "2021-01-10"  # the default


def test_shift_reads_date_amount_unit():
    d = dt.date(2024, 1, 31)
    assert shift(d, 1, "month") == dt.date(2024, 2, 29)
    assert shift(d, -2, "Week") == dt.date(2024, 1, 17)
    assert shift(d, 1, "fortnight") == dt.date(2024, 2, 14)
    assert shift(d, 1, "decade") == dt.date(2034, 1, 31)
    assert shift(d, 3, "year") == dt.date(2027, 1, 31)
    assert add_months(dt.date(2023, 12, 15), 1) == dt.date(2024, 1, 15)
    with pytest.raises(OverflowError):
        shift(d, 10**7, "day")


def test_month_names_and_abbreviations():
    assert [month_number(w) for w in ("Sept.", "sep", "May", "dec", "Smarch", None)] == [
        9, 9, 5, 12, None, None]


@pytest.mark.parametrize(
    ("line", "opens"),
    [
        ("KORRIN — The council met.", "KORRIN — "),
        ("NEW TOWN, Region (Agency) — Talks ended.", "NEW TOWN, Region (Agency) — "),
        ("OLDPORT, May 3 -- Rain fell.", "OLDPORT, May 3 -- "),
        ("The council met — briefly.", None),
        ("Korrin — the council met.", None),  # not upper case: a name, not a dateline
    ],
)
def test_dateline_rule(line, opens):
    end = dateline_end(line)
    assert (line[:end] if end is not None else None) == opens
    assert (DATELINE_RE.match(line) is not None) == (opens is not None)


def test_dateline_inside_a_text_from_a_line_start():
    text = "Headline\nKORRIN — The council met."
    start = text.index("KORRIN")
    assert dateline_end(text, start) == text.index("The")
    assert dateline_end(text, 0) is None


def test_one_place_test():
    assert is_place(Mention(id="m", doc_id="d", start=0, end=1, surface="X", entity_id="x", kind="place"))
    assert is_place(Mention(id="m", doc_id="d", start=0, end=1, surface="X", entity_id="x", kind="",
                            attrs={"kind": "place"}))
    assert not is_place(Mention(id="m", doc_id="d", start=0, end=1, surface="X", entity_id="x", kind="person"))
