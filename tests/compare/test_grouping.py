"""Document-level stories: made-up reports of invented happenings."""

from __future__ import annotations

import random
from datetime import date

from rashomon.compare.grouping import (
    ArticleText,
    GroupParams,
    average_linkage,
    group_documents,
    names,
)
from tests.compare.happenings import DAM, FERRY

# DAM and FERRY (tests/compare/happenings.py): two happenings of one kind, each told by
# three invented outlets in their own words, plus one unrelated report.
OTHER = [("budget-1", "Parliament of Ostrava passes budget",
          "Lawmakers in Ostrava approved the annual budget by 91 votes to 40 after a long "
          "debate on pensions and road tolls.")]


def _articles(rows, published=None):
    return [ArticleText(i, t, x, published.get(i) if published else None) for i, t, x in rows]


def _as_sets(groups):
    return {frozenset(g) for g in groups}


def test_reports_of_one_happening_group_and_same_kind_happenings_stay_apart():
    groups = group_documents(_articles(DAM + FERRY + OTHER))
    assert _as_sets(groups) == {frozenset({"dam-1", "dam-2", "dam-3"}),
                                frozenset({"ferry-1", "ferry-2", "ferry-3"}),
                                frozenset({"budget-1"})}
    assert groups[-1] == ["budget-1"]  # largest first, singletons last


def test_undated_and_dated_corpora_both_group():
    dates = {i: date(2024, 5, 7) for i, _, _ in DAM} | {i: date(2024, 5, 10) for i, _, _ in FERRY}
    dated = group_documents(_articles(DAM + FERRY, dates))
    undated = group_documents(_articles(DAM + FERRY))
    assert _as_sets(dated) == _as_sets(undated) == {
        frozenset({"dam-1", "dam-2", "dam-3"}), frozenset({"ferry-1", "ferry-2", "ferry-3"})}


def test_reports_far_apart_in_time_are_not_one_happening():
    dates = {"dam-1": date(2020, 1, 1), "dam-2": date(2020, 1, 2), "dam-3": date(2023, 6, 1)}
    groups = group_documents(_articles(DAM, dates), GroupParams(date_window=30))
    assert _as_sets(groups) == {frozenset({"dam-1", "dam-2"}), frozenset({"dam-3"})}


def test_result_does_not_depend_on_input_order():
    rows = DAM + FERRY + OTHER
    expected = _as_sets(group_documents(_articles(rows)))
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert _as_sets(group_documents(_articles(shuffled))) == expected


def test_degenerate_inputs():
    assert group_documents([]) == []
    assert group_documents([ArticleText("a", "", "")]) == [["a"]]
    empty = [ArticleText("a", "", ""), ArticleText("b", "", "  "), ArticleText("c", "the", "of")]
    assert _as_sets(group_documents(empty)) == {frozenset("a"), frozenset("b"), frozenset("c")}


def test_average_linkage_counts_absent_pairs_as_zero():
    # a chain 0-1-2 with strong links but no 0-2 link: single link would join all three;
    # average linkage joins 0 and 1 (0.9), then {0,1}-2 has mean (0 + 0.5) / 2 = 0.25
    sims = {(0, 1): 0.9, (1, 2): 0.5}
    assert average_linkage(3, sims, 0.3) == [[0, 1], [2]]
    assert average_linkage(3, sims, 0.2) == [[0, 1, 2]]
    assert average_linkage(3, {}, 0.1) == [[0], [1], [2]]


def test_common_terms_do_not_block_everything_together():
    # every article shares "report"; with max_posting below the corpus size that term is
    # no block, so unrelated articles are never even compared
    rows = [(f"d{k}", f"report {k}", f"report on topic{k} alpha{k} beta{k}") for k in range(6)]
    groups = group_documents(_articles(rows), GroupParams(max_posting=3, name_weight=0.0))
    assert len(groups) == 6


def test_names_keep_participants_and_numbers_but_not_function_words():
    got = names("On Tuesday The Kestrin Dam failed; Governor Anika Dral said 3,000 fled.")
    assert "kestrin dam" in got
    assert "governor anika dral" in got
    assert "#3000" in got
    assert not any(n in {"on", "the", "tuesday"} for n in got)


def test_two_camps_telling_one_happening_in_their_own_words_stay_one_story():
    # each camp repeats its own vocabulary ("occupation" / "liberation"), but the
    # happening (place, day, what was hit) is the same: a partisan split is no story split
    shared = ("The shelling of Rivertown in the valley on Monday hit the market and the "
              "school near the bridge over the Vell river. ")
    a = ("The regime forces shelled the valley again. Residents said the regime forces "
         "blocked the convoy. The occupation of the valley continues, the council warned. ")
    b = ("Security units restored order in the valley. Officials said the security units "
         "escorted the convoy. The liberation of the valley continues, officials said. ")
    arts = ([ArticleText(f"a{i}", "", shared + a * 3) for i in range(3)]
            + [ArticleText(f"b{i}", "", shared + b * 3) for i in range(3)])
    assert len(group_documents(arts)) == 1
