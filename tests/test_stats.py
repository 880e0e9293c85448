"""Each statistic against a data set small enough to compute by hand.

Data set A, five attempts at three one-mark questions:

    attempt   q1  q2  q3   total T
    s1         1   1   1    3
    s2         1   1   0    2
    s3         1   0   0    1
    s4         0   0   0    0
    s5         1   1   0    2

mean T = 8/5 = 1.6; deviations 1.4, 0.4, -0.6, -1.6, 0.4
sum of squares 5.2, of cubes -1.44, of fourth powers 10.576
"""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.reporting import stats

TOTALS_A = [(3, 1), (2, 2), (1, 1), (0, 1)]
Q1_A = [(1, 3, 1), (1, 2, 1), (1, 1, 1), (0, 0, 1), (1, 2, 1)]
Q2_A = [(1, 3, 1), (1, 2, 1), (0, 1, 1), (0, 0, 1), (1, 2, 1)]
Q3_A = [(1, 3, 1), (0, 2, 1), (0, 1, 1), (0, 0, 1), (0, 2, 1)]


def test_mean_and_median_of_totals():
    assert stats.mean(TOTALS_A) == pytest.approx(1.6)
    # Sorted totals 0, 1, 2, 2, 3: the third one.
    assert stats.median(TOTALS_A) == 2


def test_median_of_an_even_count_is_the_mean_of_the_two_middle_values():
    assert stats.median([(1, 1), (2, 1), (3, 1), (4, 1)]) == 2.5
    assert stats.median([(0, 2), (10, 2)]) == 5
    assert stats.median([]) is None


def test_standard_deviation_uses_s_minus_one():
    # V(T) = 5.2 / 4 = 1.3
    assert stats.variance(TOTALS_A) == pytest.approx(1.3)
    assert stats.standard_deviation(TOTALS_A) == pytest.approx(math.sqrt(1.3))
    assert stats.standard_deviation([(5, 1)]) is None


def test_skewness_follows_moodles_k3_over_k2():
    # m2 = 5.2/5 = 1.04, m3 = -1.44/5 = -0.288
    # k2 = 5 * 1.04 / 4 = 1.3;  k3 = 25 * -0.288 / (4 * 3) = -0.6
    # skewness = -0.6 / 1.3^1.5 = -0.404796
    assert stats.skewness(TOTALS_A) == pytest.approx(-0.404796, abs=1e-6)


def test_kurtosis_follows_moodles_k4_over_k2_squared():
    # m4 = 10.576/5 = 2.1152
    # k4 = 25 * (6 * 2.1152 - 3 * 4 * 1.04^2) / (4 * 3 * 2) = 25 * -0.288 / 24 = -0.3
    # kurtosis = -0.3 / 1.3^2 = -0.177515
    assert stats.kurtosis(TOTALS_A) == pytest.approx(-0.177515, abs=1e-6)


def test_skewness_and_kurtosis_need_enough_attempts_that_differ():
    assert stats.skewness([(1, 1), (2, 1)]) is None
    assert stats.kurtosis([(1, 1), (2, 1), (3, 1)]) is None
    assert stats.skewness([(4, 10)]) is None
    assert stats.kurtosis([(4, 10)]) is None


def test_internal_consistency_error_ratio_and_standard_error():
    # Question variances: q1 (0.8 mean) 0.8/4 = 0.2; q2 (0.6) 1.2/4 = 0.3; q3 (0.2) 0.8/4 = 0.2
    # CIC = 100 * 3/2 * (1 - 0.7/1.3) = 69.2308
    cic = stats.internal_consistency([0.2, 0.3, 0.2], 1.3)
    assert cic == pytest.approx(69.2308, abs=1e-4)
    # ER = 100 * sqrt(1 - 0.692308) = 55.4700
    ratio = stats.error_ratio(cic)
    assert ratio == pytest.approx(55.4700, abs=1e-4)
    # SE = 0.554700 * sqrt(1.3) = 0.632456 (= sqrt((1 - alpha) * V(T)) = sqrt(0.4))
    assert stats.standard_error(ratio, math.sqrt(1.3)) == pytest.approx(math.sqrt(0.4))


def test_internal_consistency_needs_two_questions_and_varying_totals():
    assert stats.internal_consistency([0.2], 1.3) is None
    assert stats.internal_consistency([0.2, 0.3], 0) is None
    assert stats.error_ratio(None) is None


def test_question_statistics_on_data_set_a_question_one():
    # x = 1,1,1,0,1 (mean 0.8); rest X = T - x = 2,1,0,0,1 (mean 0.8)
    # C(x, X) = (0.24 + 0.04 - 0.16 + 0.64 + 0.04) / 4 = 0.2
    # V(x) = 0.2, V(X) = 2.8 / 4 = 0.7; D = 100 * 0.2 / sqrt(0.14) = 53.4522
    # Sorted x 0,1,1,1,1 against sorted X 0,0,1,1,2 gives C_max = 0.8 / 4 = 0.2, so DE = 100
    result = stats.question_statistics(Q1_A, max_mark=1)
    assert result.attempts == 5
    assert result.facility == pytest.approx(80)
    assert result.standard_deviation == pytest.approx(100 * math.sqrt(0.2))
    assert result.mark_variance == pytest.approx(0.2)
    assert result.discrimination_index == pytest.approx(53.4522, abs=1e-4)
    assert result.discriminative_efficiency == pytest.approx(100)
    assert result.covariance_with_total == pytest.approx(0.4)


def test_question_statistics_on_data_set_a_question_three():
    # x = 1,0,0,0,0 (mean 0.2); X = 2,2,1,0,2 (mean 1.4)
    # C = (0.48 - 0.12 + 0.08 + 0.28 - 0.12) / 4 = 0.15; V(x) = 0.2; V(X) = 3.2/4 = 0.8
    # D = 100 * 0.15 / sqrt(0.16) = 37.5
    result = stats.question_statistics(Q3_A, max_mark=1)
    assert result.facility == pytest.approx(20)
    assert result.discrimination_index == pytest.approx(37.5)


def test_discriminative_efficiency_below_one_hundred_when_ranks_disagree():
    # (x, T): (1,4) (0,2) (1,2) (0,0) so X = 3, 2, 1, 0.
    # x mean 0.5, X mean 1.5; C = (0.75 - 0.25 - 0.25 + 0.75) / 3 = 1/3
    # sorted pairing: x 0,0,1,1 with X 0,1,2,3: (0.75 + 0.25 + 0.25 + 0.75) / 3 = 2/3
    # DE = 100 * (1/3) / (2/3) = 50; D = 100 * (1/3) / sqrt(1/3 * 5/3) = 100 / sqrt(5)
    result = stats.question_statistics([(1, 4, 1), (0, 2, 1), (1, 2, 1), (0, 0, 1)], max_mark=1)
    assert result.facility == pytest.approx(50)
    assert result.standard_deviation == pytest.approx(100 * math.sqrt(1 / 3))
    assert result.discriminative_efficiency == pytest.approx(50)
    assert result.discrimination_index == pytest.approx(100 / math.sqrt(5))


def test_facility_and_deviation_are_percentages_of_the_questions_own_maximum():
    # A two-mark question: marks 2, 1, 0 -> mean 1 -> facility 50%; V = 2/2 = 1 -> SD 50%
    result = stats.question_statistics([(2, 5, 1), (1, 3, 1), (0, 1, 1)], max_mark=2)
    assert result.facility == pytest.approx(50)
    assert result.standard_deviation == pytest.approx(50)


def test_a_question_that_moves_against_the_total_has_negative_covariance():
    # Weak students (T = 1) get it right, strong ones (T = 3) get it wrong.
    result = stats.question_statistics([(1, 1, 2), (0, 3, 2)], max_mark=1)
    assert result.covariance_with_total < 0
    assert result.discrimination_index == pytest.approx(-100)
    assert any("against the total" in reason for reason in stats.review_reasons(result))


def test_question_statistics_undefined_parts_with_one_attempt_or_no_spread():
    single = stats.question_statistics([(1, 3, 1)], max_mark=1)
    assert single.facility == 100
    assert single.discrimination_index is None and single.standard_deviation is None
    same = stats.question_statistics([(1, 3, 4)], max_mark=1)
    assert same.discrimination_index is None
    assert same.discriminative_efficiency is None


pairs_strategy = st.lists(
    st.tuples(
        st.sampled_from([0, 0.5, 1]), st.integers(min_value=0, max_value=6), st.integers(min_value=1, max_value=4)
    ),
    min_size=2,
    max_size=12,
)


@given(pairs_strategy)
def test_counted_pairs_give_the_same_statistics_as_one_row_per_attempt(pairs):
    rows = [(mark, mark + rest, count) for mark, rest, count in pairs]
    expanded = [(mark, total, 1) for mark, total, count in rows for _ in range(count)]
    grouped, single = stats.question_statistics(rows, 1), stats.question_statistics(expanded, 1)
    for name in ("facility", "standard_deviation", "discrimination_index", "discriminative_efficiency"):
        a, b = getattr(grouped, name), getattr(single, name)
        assert (a is None) == (b is None)
        if a is not None:
            assert a == pytest.approx(b, abs=1e-9)


@given(pairs_strategy)
def test_discriminative_efficiency_never_exceeds_one_hundred(pairs):
    rows = [(mark, mark + rest, count) for mark, rest, count in pairs]
    efficiency = stats.question_statistics(rows, 1).discriminative_efficiency
    # The sorted pairing maximises the covariance (rearrangement inequality).
    assert efficiency is None or efficiency <= 100 + 1e-9


def test_random_guess_score_per_kind():
    assert stats.random_guess_score("single", [True, False, False, False]) == 25
    assert stats.random_guess_score("true_false", [True, False]) == 50
    assert stats.random_guess_score("multiple", [True, True, False]) is None
    assert stats.random_guess_score("numeric", []) == 0
    assert stats.random_guess_score("short_text", []) == 0
    # Two choices marked right on a single-choice question: one pick can never match both.
    assert stats.random_guess_score("single", [True, True, False]) == 0


def test_third_bounds_rank_attempts_by_total():
    # Totals 0,1,1,2,3,3,4,5,6: a third is 3 attempts; the 3rd lowest is 1, the 3rd highest 4.
    bounds = stats.third_bounds([(0, 1), (1, 2), (2, 1), (3, 2), (4, 1), (5, 1), (6, 1)])
    assert bounds == stats.ThirdBounds(bottom_at_most=1, top_at_least=4)


def test_third_bounds_never_overlap_when_ties_span_the_middle():
    # Totals 1,1,2,2,2,2,2,3,3: both cut scores are 2, so the 2s join neither group.
    assert stats.third_bounds([(1, 2), (2, 5), (3, 2)]) == stats.ThirdBounds(1, 3)
    assert stats.third_bounds([(5, 9)]) == stats.ThirdBounds(None, None)
    assert stats.third_bounds([(5, 1), (6, 1)]) == stats.ThirdBounds(None, None)


def test_histogram_puts_a_full_score_in_the_last_band():
    bins = stats.histogram([(0, 1), (5, 2), (10, 1), (9.99, 1)], max_mark=10)
    assert [b.count for b in bins] == [1, 0, 0, 0, 0, 2, 0, 0, 0, 2]
    assert (bins[0].lower, bins[-1].upper) == (0, 100)


def test_distractor_analysis_counts_each_pick_overall_and_by_third():
    patterns = [([1], "top", 3), ([2], "bottom", 2), ([1, 3], "middle", 1), ([2], "top", 1), ([9], "top", 1)]
    analysis = stats.distractor_analysis(patterns, [1, 2, 3, 4])
    assert (analysis.responses, analysis.responses_top, analysis.responses_bottom) == (8, 5, 2)
    assert analysis.tallies[1] == stats.ChoiceTally(1, picked=4, picked_top=3, picked_bottom=0)
    assert analysis.tallies[2] == stats.ChoiceTally(2, picked=3, picked_top=1, picked_bottom=2)
    assert analysis.tallies[4].picked == 0
    assert analysis.share(1) == pytest.approx(50)
    assert analysis.share_top(1) == pytest.approx(60)
    assert analysis.share_bottom(2) == pytest.approx(100)


def test_a_distractor_beats_the_key_when_picked_more_often_than_a_right_choice():
    analysis = stats.distractor_analysis([([1], "top", 4), ([2], "bottom", 3)], [1, 2, 3])
    assert not stats.distractor_beats_key(analysis, [1])
    assert stats.distractor_beats_key(analysis, [2])
    # With two right choices the least-picked one is the bar.
    assert stats.distractor_beats_key(analysis, [2, 3])


def test_review_reasons_name_each_rule():
    easy = stats.QuestionStatistics(10, 97.0, 5.0, 0.1, 50.0, 80.0, 0.1)
    hard = stats.QuestionStatistics(10, 12.0, 5.0, 0.1, 10.0, 30.0, 0.1)
    fine = stats.QuestionStatistics(10, 60.0, 40.0, 0.2, 45.0, 70.0, 0.3)
    assert "Very easy" in stats.review_reasons(easy)[0]
    assert [r.split(" ")[0] for r in stats.review_reasons(hard)] == ["Very", "Low"]
    assert stats.review_reasons(fine) == []
    assert "wrong choice" in stats.review_reasons(fine, distractor_beats_key=True)[0]


def test_review_reasons_print_figures_without_misleading_rounding():
    nearly_easy = stats.QuestionStatistics(10, 95.24, 5.0, 0.1, -0.3, 80.0, 0.1)
    reasons = stats.review_reasons(nearly_easy)
    # 95.24 must not read as "95%", which is not above the 95% bar; -0.3 must not read "-0".
    assert "95.2% of the marks" in reasons[0]
    assert "Low discrimination (-0.3)" in reasons[1]
    assert "(0)" in stats.review_reasons(stats.QuestionStatistics(10, 50.0, 5.0, 0.1, -0.04, 80.0, 0.1))[0]


def test_third_of_places_a_total_by_the_cut_scores():
    bounds = stats.ThirdBounds(bottom_at_most=1, top_at_least=4)
    assert [stats.third_of(total, bounds) for total in (0, 1, 2, 3, 4, 6)] == [
        "bottom",
        "bottom",
        "middle",
        "middle",
        "top",
        "top",
    ]
    assert stats.third_of(5, stats.ThirdBounds(None, None)) == "middle"
