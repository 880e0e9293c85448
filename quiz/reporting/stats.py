"""Quiz and question statistics, computed as Moodle's quiz statistics report computes them.

Source for every formula: Moodle Developer Documentation, "Quiz statistics
calculations" (https://docs.moodle.org/dev/Quiz_statistics_calculations) and
"Quiz item analysis calculations in practice", which describe what
mod/quiz/report/statistics and question/classes/statistics compute.
Notation follows those pages:

    S         the number of attempts analysed
    P         the number of questions (positions) in the quiz
    x_p(s)    the mark attempt s earned on question p
    T(s)      the attempt's total mark
    X_p(s)    T(s) - x_p(s), the mark on the rest of the test
    V(.)      sample variance, with S - 1 in the denominator
    C(a, b)   sample covariance, with S - 1 in the denominator

Every function here is pure and takes plain numbers. Most take a
*distribution*, a list of (value, count) pairs as ``GROUP BY value`` with
``COUNT(*)`` returns it, so the database never has to send one row per attempt;
``(value, 1)`` pairs give the usual list-of-values case.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

# Marks come from the database as Decimal, times as int; every formula works in float.
Number = float | Decimal
Distribution = Sequence[tuple[Number, int]]
# (mark on the question, total mark of the attempt, number of attempts with that pair)
MarkPairs = Sequence[tuple[Number, Number, int]]

# Review thresholds named in the product brief (and close to Moodle's own
# advice: facility between 5% and 95%, discrimination above 20).
LOW_FACILITY = 20.0
HIGH_FACILITY = 95.0
LOW_DISCRIMINATION = 20.0
# Below this many attempts the figures are shown greyed and nothing is flagged. The
# discrimination index is a correlation, whose standard error near zero is 1/sqrt(n - 1)
# (the sampling theory of Pearson's r, as in Fisher's z): at 30 attempts that is 0.19,
# or 19 on the 0-100 scale, so the flag line of 20 is only then about one standard error
# from zero; with fewer, a "low discrimination" flag cannot be told from chance. Thirty is
# also the smallest sample classical item analysis guides accept for item statistics.
MIN_ATTEMPTS_TO_JUDGE = 30

# The thirds of attempts, ranked by total mark, that the distractor analysis compares.
TOP, MIDDLE, BOTTOM = "top", "middle", "bottom"


def _clean(distribution: Iterable[tuple[Number, int]]) -> list[tuple[float, int]]:
    return [(float(value), int(count)) for value, count in distribution if count]


def attempt_count(distribution: Distribution) -> int:
    """S: how many attempts the distribution holds."""
    return sum(count for _, count in _clean(distribution))


def mean(distribution: Distribution) -> float | None:
    """Average mark: sum of T(s) over S."""
    values = _clean(distribution)
    total = sum(count for _, count in values)
    if not total:
        return None
    return sum(value * count for value, count in values) / total


def median(distribution: Distribution) -> float | None:
    """Median mark: the middle value, or the mean of the two middle values when S is even.

    Moodle ("Median Score") sorts the attempts and takes the middle one or two.
    """
    values = sorted(_clean(distribution))
    total = sum(count for _, count in values)
    if not total:
        return None
    # 0-based ranks of the one or two middle attempts.
    wanted = [(total - 1) // 2, total // 2]
    found = []
    seen = 0
    for value, count in values:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return sum(found) / len(found)


def _sums_of_powers(distribution: Distribution) -> tuple[int, float, float, float, float]:
    values = _clean(distribution)
    total = sum(count for _, count in values)
    average = sum(value * count for value, count in values) / total
    power2 = sum(count * (value - average) ** 2 for value, count in values)
    power3 = sum(count * (value - average) ** 3 for value, count in values)
    power4 = sum(count * (value - average) ** 4 for value, count in values)
    return total, average, power2, power3, power4


def variance(distribution: Distribution) -> float | None:
    """V(T) = sum (T(s) - mean)^2 / (S - 1); undefined below two attempts."""
    if attempt_count(distribution) < 2:
        return None
    total, _, power2, _, _ = _sums_of_powers(distribution)
    return power2 / (total - 1)


def standard_deviation(distribution: Distribution) -> float | None:
    """SD = sqrt(V(T)), the sample standard deviation (Moodle "Standard deviation")."""
    sample_variance = variance(distribution)
    return None if sample_variance is None else math.sqrt(sample_variance)


def skewness(distribution: Distribution) -> float | None:
    """Skewness = k3 / k2^(3/2), Moodle's unbiased estimate ("Skewness and Kurtosis").

    With m_n = sum (T(s) - mean)^n / S:
        k2 = S m2 / (S - 1)
        k3 = S^2 m3 / ((S - 1)(S - 2))
    Undefined below three attempts or when every attempt scored the same.
    """
    if attempt_count(distribution) < 3:
        return None
    total, _, power2, power3, _ = _sums_of_powers(distribution)
    m2, m3 = power2 / total, power3 / total
    k2 = total * m2 / (total - 1)
    k3 = total * total * m3 / ((total - 1) * (total - 2))
    if k2 == 0:
        return None
    return k3 / k2**1.5


def kurtosis(distribution: Distribution) -> float | None:
    """Kurtosis = k4 / k2^2 (excess kurtosis: 0 for a normal distribution).

        k4 = S^2 ((S + 1) m4 - 3 (S - 1) m2^2) / ((S - 1)(S - 2)(S - 3))
    Undefined below four attempts or when every attempt scored the same.
    """
    if attempt_count(distribution) < 4:
        return None
    total, _, power2, _, power4 = _sums_of_powers(distribution)
    m2, m4 = power2 / total, power4 / total
    k2 = total * m2 / (total - 1)
    if k2 == 0:
        return None
    k4 = total * total * ((total + 1) * m4 - 3 * (total - 1) * m2 * m2) / ((total - 1) * (total - 2) * (total - 3))
    return k4 / (k2 * k2)


def internal_consistency(question_variances: Sequence[float], total_variance: float | None) -> float | None:
    """Coefficient of internal consistency (Cronbach's alpha), as a percentage.

        CIC = 100 P / (P - 1) * (1 - sum_p V(x_p) / V(T))

    Moodle computes it the same way (quiz_statistics calculator, ``cic``).
    Undefined for fewer than two questions or when the totals do not vary.
    """
    questions = len(question_variances)
    if questions < 2 or not total_variance:
        return None
    return 100 * questions / (questions - 1) * (1 - sum(question_variances) / total_variance)


def error_ratio(cic: float | None) -> float | None:
    """ER = 100 sqrt(1 - CIC / 100): the share of the spread in scores that is noise.

    A negative CIC gives an error ratio above 100%; Moodle reports it as is.
    """
    if cic is None or cic > 100:
        return None
    return 100 * math.sqrt(1 - cic / 100)


def standard_error(ratio: float | None, sd: float | None) -> float | None:
    """SE = ER / 100 * SD: how far a student's mark may be from their "true" mark."""
    if ratio is None or sd is None:
        return None
    return ratio * sd / 100


@dataclass(frozen=True)
class QuestionStatistics:
    attempts: int
    facility: float | None  # percent of the question's maximum mark
    standard_deviation: float | None  # percent of the question's maximum mark
    mark_variance: float | None  # in marks, for the coefficient of internal consistency
    discrimination_index: float | None
    discriminative_efficiency: float | None
    covariance_with_total: float | None  # negative: the question's score moves against the total


def _sorted_pairing_sum(
    marks: list[tuple[float, int]], rests: list[tuple[float, int]], mark_mean: float, rest_mean: float
) -> float:
    """Sum over ranks k of (x_(k) - mean x)(X_(k) - mean X), both sorted ascending.

    Walks the two sorted distributions run by run instead of expanding them, so
    the cost depends on the number of distinct values, not of attempts.
    """
    marks, rests = sorted(marks), sorted(rests)
    total = 0.0
    i = j = 0
    left_i = marks[0][1] if marks else 0
    left_j = rests[0][1] if rests else 0
    while i < len(marks) and j < len(rests):
        step = min(left_i, left_j)
        total += step * (marks[i][0] - mark_mean) * (rests[j][0] - rest_mean)
        left_i -= step
        left_j -= step
        if left_i == 0:
            i += 1
            left_i = marks[i][1] if i < len(marks) else 0
        if left_j == 0:
            j += 1
            left_j = rests[j][1] if j < len(rests) else 0
    return total


def question_statistics(pairs: MarkPairs, max_mark: float) -> QuestionStatistics:
    """Moodle's per-question statistics from (x_p, T, count) triples.

    Facility index  F = 100 * mean(x_p) / max mark
    Standard dev.   SD = 100 * sqrt(V(x_p)) / max mark
    Discrimination  D = 100 * C(x_p, X_p) / sqrt(V(x_p) V(X_p)), the correlation of
                    the question's mark with the rest of the test
    Disc. efficiency DE = 100 * C(x_p, X_p) / C_max(x_p, X_p), where C_max pairs the
                    sorted x_p with the sorted X_p: the largest covariance these two
                    sets of marks could have
    Moodle's question calculator (secondary_question_walker) computes the same.
    """
    rows = [(float(mark), float(total), int(count)) for mark, total, count in pairs if count]
    attempts = sum(count for _, _, count in rows)
    facility = sd = mark_var = discrimination = efficiency = covariance_total = None
    if attempts:
        mark_mean = sum(mark * count for mark, _, count in rows) / attempts
        facility = 100 * mark_mean / max_mark if max_mark else None
    if attempts > 1:
        rest_mean = sum((total - mark) * count for mark, total, count in rows) / attempts
        total_mean = sum(total * count for _, total, count in rows) / attempts
        denominator = attempts - 1
        mark_var = sum(count * (mark - mark_mean) ** 2 for mark, _, count in rows) / denominator
        rest_var = sum(count * (total - mark - rest_mean) ** 2 for mark, total, count in rows) / denominator
        covariance = (
            sum(count * (mark - mark_mean) * (total - mark - rest_mean) for mark, total, count in rows) / denominator
        )
        covariance_total = (
            sum(count * (mark - mark_mean) * (total - total_mean) for mark, total, count in rows) / denominator
        )
        sd = 100 * math.sqrt(mark_var) / max_mark if max_mark else None
        if mark_var * rest_var > 0:
            discrimination = 100 * covariance / math.sqrt(mark_var * rest_var)
        mark_distribution: dict[float, int] = {}
        rest_distribution: dict[float, int] = {}
        for mark, total, count in rows:
            mark_distribution[mark] = mark_distribution.get(mark, 0) + count
            rest = round(total - mark, 6)
            rest_distribution[rest] = rest_distribution.get(rest, 0) + count
        covariance_max = (
            _sorted_pairing_sum(list(mark_distribution.items()), list(rest_distribution.items()), mark_mean, rest_mean)
            / denominator
        )
        if abs(covariance_max) > 1e-12:
            efficiency = 100 * covariance / covariance_max
    return QuestionStatistics(
        attempts=attempts,
        facility=facility,
        standard_deviation=sd,
        mark_variance=mark_var,
        discrimination_index=discrimination,
        discriminative_efficiency=efficiency,
        covariance_with_total=covariance_total,
    )


def random_guess_score(kind: str, correct_flags: Sequence[bool]) -> float | None:
    """The percentage a student would score on average by guessing.

    Single choice and true/false: the mean, over the choices, of the fraction a
    student earns by picking that one choice (Moodle's qtype_multichoice and
    qtype_truefalse ``get_random_guess_score``). Our single-choice rule gives
    full marks only when the one pick is the one right choice, so this is 1/n
    when exactly one choice is right.
    Multiple choice: undefined, as in Moodle ("pretty much impossible to compute").
    Numeric and short text: 0, since a guess cannot be expected to hit the answer.
    """
    if kind in ("single", "true_false"):
        if not correct_flags:
            return None
        right = sum(1 for flag in correct_flags if flag)
        return 100 * (1 if right == 1 else 0) / len(correct_flags)
    if kind == "multiple":
        return None
    return 0.0


@dataclass(frozen=True)
class ThirdBounds:
    """Who is in the bottom and the top third of attempts, by total mark (inclusive bounds)."""

    bottom_at_most: Number | None
    top_at_least: Number | None


def third_bounds(distribution: Distribution) -> ThirdBounds:
    """Cut scores for the bottom and top third of attempts ranked by total mark.

    With n = S // 3, the bottom third ends at the n-th lowest total and the top
    third starts at the n-th highest. Attempts tied at a cut score stay
    together, so a third can hold a few more than S / 3. When the ties reach
    across the middle, the tied block joins neither group, so the two groups
    never overlap. Fewer than three attempts: no groups.
    """
    values = sorted((value, count) for value, count in distribution if count)
    total = sum(count for _, count in values)
    size = total // 3
    if size == 0:
        return ThirdBounds(None, None)

    def value_at(rank: int):  # 1-based rank from the bottom
        seen = 0
        for value, count in values:
            seen += count
            if seen >= rank:
                return value
        raise ValueError(rank)

    low, high = value_at(size), value_at(total - size + 1)
    if low < high:
        return ThirdBounds(low, high)
    distinct = [value for value, _ in values]
    below = [value for value in distinct if value < low]
    above = [value for value in distinct if value > high]
    return ThirdBounds(below[-1] if below else None, above[0] if above else None)


def third_of(total, bounds: ThirdBounds) -> str:
    """Which group an attempt with this total belongs to: "bottom", "top" or "middle"."""
    if bounds.bottom_at_most is not None and total <= bounds.bottom_at_most:
        return BOTTOM
    if bounds.top_at_least is not None and total >= bounds.top_at_least:
        return TOP
    return MIDDLE


@dataclass(frozen=True)
class HistogramBin:
    lower: float  # percent, inclusive
    upper: float  # percent, exclusive except for the last bin
    count: int


def histogram(distribution: Distribution, max_mark: float, bins: int = 10) -> list[HistogramBin]:
    """Counts of attempts per band of percentage score: [0, 10), [10, 20) ... [90, 100]."""
    width = 100 / bins
    counts = [0] * bins
    for value, count in _clean(distribution):
        percent = 100 * value / max_mark if max_mark else 0
        index = min(bins - 1, max(0, int(math.floor(percent / width + 1e-9))))
        counts[index] += count
    return [HistogramBin(lower=i * width, upper=(i + 1) * width, count=counts[i]) for i in range(bins)]


def share(part: int, whole: int) -> float | None:
    """part / whole as a percentage; undefined for an empty whole."""
    return None if not whole else 100 * part / whole


def _figure(value: float) -> str:
    """One decimal at most, never "-0": 95.24 → "95.2", 10.0 → "10", -0.3 → "-0.3"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def review_reasons(question: QuestionStatistics, *, distractor_beats_key: bool = False) -> list[str]:
    """Why a question deserves a second look, in words a teacher can act on.

    The rules: facility below 20% or above 95%; discrimination index below 20;
    a wrong choice picked more often than the right answer; and a mark that
    moves against the total (negative covariance with the overall mark, which
    Moodle flags as ``negcovar``).
    """
    reasons = []
    if question.facility is not None and question.facility < LOW_FACILITY:
        reasons.append(
            f"Very hard: only {_figure(question.facility)}% of the marks were earned. Check the key and the wording."
        )
    if question.facility is not None and question.facility > HIGH_FACILITY:
        reasons.append(
            f"Very easy: {_figure(question.facility)}% of the marks were earned, so it tells students apart little."
        )
    if question.discrimination_index is not None and question.discrimination_index < LOW_DISCRIMINATION:
        reasons.append(
            f"Low discrimination ({_figure(question.discrimination_index)}): "
            "strong and weak students do about as well on it."
        )
    if distractor_beats_key:
        reasons.append(
            "A wrong choice was picked more often than the right answer: it may mislead, or the key may be wrong."
        )
    if question.covariance_with_total is not None and question.covariance_with_total < 0:
        reasons.append("Its score moves against the total: students who do well overall tend to get it wrong.")
    return reasons


@dataclass(frozen=True)
class ChoiceTally:
    """How often one choice was picked, overall and in the top and bottom thirds."""

    choice_id: int
    picked: int
    picked_top: int
    picked_bottom: int


@dataclass(frozen=True)
class DistractorAnalysis:
    responses: int
    responses_top: int
    responses_bottom: int
    tallies: dict[int, ChoiceTally]

    def share(self, choice_id: int) -> float | None:
        return share(self.tallies[choice_id].picked, self.responses)

    def share_top(self, choice_id: int) -> float | None:
        return share(self.tallies[choice_id].picked_top, self.responses_top)

    def share_bottom(self, choice_id: int) -> float | None:
        return share(self.tallies[choice_id].picked_bottom, self.responses_bottom)


def distractor_analysis(
    patterns: Sequence[tuple[Sequence[int], str, int]], choice_ids: Sequence[int]
) -> DistractorAnalysis:
    """Count the picks of each choice from (choices picked together, third, responses) rows.

    The database groups responses by the exact set of choices picked, so a
    multiple-choice response that ticked two choices counts once for each.
    Picks of choices no longer in the question are ignored.
    """
    picked = {choice_id: [0, 0, 0] for choice_id in choice_ids}
    responses = {TOP: 0, MIDDLE: 0, BOTTOM: 0}
    for selected, band, count in patterns:
        responses[band] += count
        for choice_id in set(selected):
            if choice_id in picked:
                picked[choice_id][0] += count
                if band == TOP:
                    picked[choice_id][1] += count
                elif band == BOTTOM:
                    picked[choice_id][2] += count
    return DistractorAnalysis(
        responses=sum(responses.values()),
        responses_top=responses[TOP],
        responses_bottom=responses[BOTTOM],
        tallies={cid: ChoiceTally(cid, *counts) for cid, counts in picked.items()},
    )


def distractor_beats_key(analysis: DistractorAnalysis, correct_ids: Iterable[int]) -> bool:
    """True when some wrong choice was picked more often than a right one.

    For single choice and true/false that is "more often than the right
    answer"; with several right choices, the least-picked right choice is the
    bar, since a wrong choice that beats it is drawing students away from it.
    """
    correct_set = set(correct_ids)
    correct = [analysis.tallies[cid].picked for cid in correct_set if cid in analysis.tallies]
    wrong = [tally.picked for cid, tally in analysis.tallies.items() if cid not in correct_set]
    return bool(correct and wrong and max(wrong) > min(correct))
