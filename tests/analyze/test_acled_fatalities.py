"""Fatality figures by ACLED's rules, on a small gold of made-up sentences."""

from __future__ import annotations

import pytest

from rashomon.analyze.acled import extract_fatalities, fatalities

GOLD = [
    ("Gunmen attacked a market in the town, killing two.", 2),
    ("Four dead after a blast at the bus station.", 4),
    ("Two people were killed on Monday; by evening the toll rose to four.", 4),
    ("The death toll from the shelling has risen to 17, officials said.", 17),
    ("Police said three people were killed, while residents said seven people died.", 3),
    ("At least 24 people were killed and 18 others injured in the raid.", 24),
    ("Dozens of villagers were killed when fighters stormed the area.", 12),
    ("Several soldiers were killed in the ambush.", 10),
    ("Hundreds of people have died since the fighting began.", 100),
    ("A policeman was killed when his patrol was hit.", 1),
    ("The strike wounded 12 people but nobody was killed.", 0),
    ("Militants killed at least 40 civilians in three villages.", 40),
    ("The explosion left 12 people dead and many injured.", 12),
    ("Rebels killed five police officers and wounded eight.", 5),
    ("The toll stands at 30, according to the health ministry.", 30),
    ("In 2019, rebels seized the town without a fight.", 0),
    ("Protesters marched through the capital on Sunday.", 0),
    ("Twenty-one people were killed in the attack.", 21),
    ("The attack claimed the lives of six children.", 6),
    ("Soldiers took the shepherd to a post, where they shot him dead.", 1),
    ("A crowd beat her to death outside the court.", 1),
]


@pytest.mark.parametrize(("text", "expected"), GOLD)
def test_fatalities_gold(text, expected):
    assert fatalities(text) == expected


def test_reports_carry_offsets_and_update_flag():
    text = "Two people were killed; later the toll rose to four."
    reports = extract_fatalities(text)
    assert [r.value for r in reports] == [2, 4]
    assert [r.update for r in reports] == [False, True]
    for r in reports:
        assert text[r.start:r.end].lower() in ("two", "four")
