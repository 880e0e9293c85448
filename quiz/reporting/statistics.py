"""The SQL behind the quiz statistics page and its CSV, and the report built from it.

Every query here groups in the database and returns counts per distinct value
(marks, totals, sets of choices picked, seconds), so the rows that reach Python
depend on the quiz and its marking, never on the number of students or
responses. ``quiz.reporting.stats`` turns those counts into Moodle's statistics.
``quiz_report`` keeps each report until something it reads changes.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db import connection, connections
from django.db.models import Count, Max, QuerySet, Sum
from django.urls import reverse

from quiz.bank import cache as bank_cache
from quiz.models import BankStamp, Choice, CognitiveLevel, Question, Quiz, RegradeLog, Response
from quiz.reporting import stats
from quiz.reporting.attempts import AttemptChoice, chosen_attempts
from quiz.reporting.near_misses import add_near_misses


def total_distribution(attempts: QuerySet) -> list[tuple[Decimal, int]]:
    """(total mark, number of attempts) for the attempts analysed."""
    rows = attempts.order_by().values("score").annotate(attempts=Count("id")).values_list("score", "attempts")
    return sorted(rows)


def answer_groups(attempts: QuerySet, question_ids: list[int]) -> list[tuple[int, Decimal, Decimal, list[int], int]]:
    """(question, mark on it, total mark of the attempt, choices picked, number of responses).

    One pass over the responses feeds both the item statistics (marks against
    totals) and the distractor analysis (choices picked, split into thirds by
    the total). The responses are grouped by the stored list of picked choice
    ids itself (kept sorted by the answer service), which works alike on SQLite
    and PostgreSQL; the distinct groups depend on the marking, not on how many
    students answered.
    """
    if not question_ids:
        return []
    return list(
        Response.objects.filter(attempt__in=attempts.values("pk"), question_id__in=question_ids)
        .order_by()
        .values("question_id", "points_awarded", "attempt__score", "selected_choice_ids")
        # COUNT(*), not COUNT(id): PostgreSQL can then answer from the covering index alone.
        .annotate(responses=Count("*"))
        .values_list("question_id", "points_awarded", "attempt__score", "selected_choice_ids", "responses")
    )


def split_groups(groups, bounds: stats.ThirdBounds) -> tuple[dict, dict]:
    """Per question: the (mark, total, count) pairs, and the (choices, third, count) patterns."""
    pairs: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    patterns: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for question_id, mark, total, selected, count in groups:
        pairs[question_id][(mark, total)] += count
        patterns[question_id][(tuple(selected or []), stats.third_of(total, bounds))] += count
    return (
        {q: [(mark, total, count) for (mark, total), count in rows.items()] for q, rows in pairs.items()},
        {
            q: [(list(selected), third, count) for (selected, third), count in rows.items()]
            for q, rows in patterns.items()
        },
    )


def answer_time_distribution(attempts: QuerySet, question_ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """Per question: (seconds spent on it, number of responses).

    A response stores ``seconds_taken`` counted from the start of its attempt,
    so the time spent on one question is the gap to the attempt's previous
    answer (LAG over the attempt's responses in answering order). Django's ORM
    cannot group by a window expression, hence this one raw query; it uses
    only SQL that SQLite (3.25+) and PostgreSQL share. Ordering by answered_at
    alone lets the (attempt, answered_at, question, seconds_taken) index give
    the order without a sort; an attempt's answers are recorded one request at
    a time, so two of them never share an answered_at.
    """
    if not question_ids:
        return {}
    connection = connections[attempts.db]
    quote = connection.ops.quote_name
    attempt_sql, attempt_params = attempts.values("pk").query.get_compiler(connection=connection).as_sql()
    placeholders = ", ".join(["%s"] * len(question_ids))
    sql = f"""
        SELECT gaps.question_id, gaps.gap, COUNT(*)
        FROM (
            SELECT {quote("question_id")} AS question_id,
                   {quote("seconds_taken")} - COALESCE(
                       LAG({quote("seconds_taken")}) OVER (
                           PARTITION BY {quote("attempt_id")} ORDER BY {quote("answered_at")}
                       ), 0) AS gap
            FROM {quote(Response._meta.db_table)}
            WHERE {quote("attempt_id")} IN ({attempt_sql}) AND {quote("seconds_taken")} IS NOT NULL
        ) gaps
        WHERE gaps.question_id IN ({placeholders})
        GROUP BY gaps.question_id, gaps.gap
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*attempt_params, *question_ids])
        rows = cursor.fetchall()
    times: dict[int, list] = defaultdict(list)
    for question_id, gap, count in rows:
        times[question_id].append((max(0, int(gap)), count))
    return times


@dataclass
class QuestionReport:
    position: int
    question: Question
    choices: list[Choice]
    statistics: stats.QuestionStatistics
    random_guess_score: float | None
    median_seconds: float | None
    distractors: stats.DistractorAnalysis | None
    reasons: list[str] = field(default_factory=list)
    near_misses: list = field(default_factory=list)  # quiz.reporting.near_misses.NearMiss, most frequent first
    may_accept_answers: bool = False  # the viewer may add a near miss to the accepted answers

    @property
    def is_flagged(self) -> bool:
        return bool(self.reasons)

    @property
    def admin_url(self) -> str:
        return reverse("admin:quiz_question_change", args=[self.question.pk])

    @property
    def choice_rows(self) -> list[dict]:
        """The distractor table: one row per choice, with its shares overall and per third."""
        if self.distractors is None:
            return []
        return [
            {
                "choice": choice,
                "picked": self.distractors.tallies[choice.pk].picked,
                "share": self.distractors.share(choice.pk),
                "share_top": self.distractors.share_top(choice.pk),
                "share_bottom": self.distractors.share_bottom(choice.pk),
            }
            for choice in self.choices
        ]


@dataclass(frozen=True)
class LevelSummary:
    label: str
    questions: int
    mean_facility: float | None  # percent


@dataclass
class QuizReport:
    quiz: Quiz
    which: str
    attempts: int
    max_mark: float
    mean: float | None = None  # percentages of the maximum mark from here on
    median: float | None = None
    standard_deviation: float | None = None
    skewness: float | None = None
    kurtosis: float | None = None
    internal_consistency: float | None = None
    error_ratio: float | None = None
    standard_error: float | None = None
    histogram: list[stats.HistogramBin] = field(default_factory=list)
    questions: list[QuestionReport] = field(default_factory=list)
    has_near_misses: bool = False

    @property
    def which_label(self) -> str:
        return AttemptChoice(self.which).label

    @property
    def flagged(self) -> list[QuestionReport]:
        return [question for question in self.questions if question.is_flagged]

    @property
    def too_few_to_judge(self) -> bool:
        return self.attempts < stats.MIN_ATTEMPTS_TO_JUDGE

    @property
    def attempts_to_judge(self) -> int:
        return stats.MIN_ATTEMPTS_TO_JUDGE

    @property
    def by_level(self) -> list[LevelSummary]:
        """Questions and mean facility per cognitive level, in the levels' order (levels with no question left out)."""
        summaries = []
        for level in CognitiveLevel:
            rows = [row for row in self.questions if row.question.cognitive_level == level]
            facilities = [row.statistics.facility for row in rows if row.statistics.facility is not None]
            if rows:
                mean_facility = sum(facilities) / len(facilities) if facilities else None
                summaries.append(LevelSummary(level.label, len(rows), mean_facility))
        return summaries


def _as_percent(value: float | None, max_mark: float) -> float | None:
    return None if value is None or not max_mark else 100 * value / max_mark


def _with_unanswered(answered: list[tuple], totals: list[tuple[Decimal, int]]) -> list[tuple]:
    """Add a zero mark for every analysed attempt that left the question unanswered.

    Moodle scores an omitted question 0 in the statistics; the attempts that
    answered are subtracted from all attempts, total by total.
    """
    answered_per_total: dict[Decimal, int] = defaultdict(int)
    for _, total, count in answered:
        answered_per_total[total] += count
    missing = [(Decimal(0), total, count - answered_per_total[total]) for total, count in totals]
    return list(answered) + [row for row in missing if row[2] > 0]


def build_quiz_report(*, quiz: Quiz, attempts: QuerySet, which: str) -> QuizReport:
    """The whole statistics report for ``attempts`` (already scoped and chosen).

    Five queries, and a sixth for the near misses when the quiz has typed questions.
    """
    links = list(
        quiz.quiz_questions.filter(question__is_published=True)
        .select_related("question__passage__source")
        .prefetch_related("question__choices")
        .order_by("position", "id")
    )
    questions = [link.question for link in links]
    question_ids = [question.pk for question in questions]
    max_mark = float(sum(question.points for question in questions))
    totals = total_distribution(attempts)
    report = QuizReport(quiz=quiz, which=which, attempts=stats.attempt_count(totals), max_mark=max_mark)
    if not report.attempts:
        return report

    sd = stats.standard_deviation(totals)
    report.mean = _as_percent(stats.mean(totals), max_mark)
    report.median = _as_percent(stats.median(totals), max_mark)
    report.standard_deviation = _as_percent(sd, max_mark)
    report.skewness = stats.skewness(totals)
    report.kurtosis = stats.kurtosis(totals)
    report.histogram = stats.histogram(totals, max_mark)

    pairs, patterns = split_groups(answer_groups(attempts, question_ids), stats.third_bounds(totals))
    times = answer_time_distribution(attempts, question_ids)

    for position, question in enumerate(questions, start=1):
        choices = list(question.choices.all())
        statistics = stats.question_statistics(_with_unanswered(pairs.get(question.pk, []), totals), question.points)
        distractors = None
        beats_key = False
        if question.has_choices:
            distractors = stats.distractor_analysis(patterns.get(question.pk, []), [c.pk for c in choices])
            beats_key = stats.distractor_beats_key(distractors, [c.pk for c in choices if c.is_correct])
        report.questions.append(
            QuestionReport(
                position=position,
                question=question,
                choices=choices,
                statistics=statistics,
                random_guess_score=stats.random_guess_score(question.kind, [c.is_correct for c in choices]),
                median_seconds=stats.median(times.get(question.pk, [])),
                distractors=distractors,
                reasons=[]
                if report.too_few_to_judge
                else stats.review_reasons(statistics, distractor_beats_key=beats_key),
            )
        )

    variances = [q.statistics.mark_variance for q in report.questions]
    known = [variance for variance in variances if variance is not None]
    if variances and len(known) == len(variances):
        report.internal_consistency = stats.internal_consistency(known, stats.variance(totals))
        report.error_ratio = stats.error_ratio(report.internal_consistency)
        report.standard_error = _as_percent(stats.standard_error(report.error_ratio, sd), max_mark)
    add_near_misses(report, attempts)
    return report


# Computed once per state of what the report reads -----------------------------------------

REPORT_TIMEOUT_SECONDS = 24 * 60 * 60


def _report_key(*, quiz: Quiz, finished: QuerySet, which: str) -> str | None:
    """A cache key that changes whenever the report could: None when nothing may be cached.

    The report reads the quiz's questions as the bank has them now (the bank stamp,
    and the quiz's list of questions, which the stamp does not cover) and the
    analysed attempts with their responses. Those attempts are finished, so their
    responses change only by a regrade; what can change is which attempts there
    are (a last answer or a submit finishes one, a teacher may delete one) and
    their scores. The scope (classes, dates) is the SQL of ``finished`` itself.
    """
    if connection.vendor not in bank_cache.STAMPED_VENDORS:
        return None
    stamp = BankStamp.objects.filter(pk=1).values_list("stamp", flat=True).first()
    if stamp is None:
        return None
    analysed = finished.aggregate(count=Count("id"), last=Max("id"), finished=Max("finished_at"), total=Sum("score"))
    listed = list(quiz.quiz_questions.order_by("position", "id").values_list("question_id", flat=True))
    regraded = RegradeLog.objects.filter(attempt__quiz=quiz).aggregate(last=Max("id"))["last"]
    state = (quiz.pk, which, str(finished.query), stamp, sorted(analysed.items()), listed, regraded)
    return "quiz:statistics:" + hashlib.sha256(repr(state).encode()).hexdigest()


def quiz_report(*, quiz: Quiz, finished: QuerySet, which: str) -> QuizReport:
    """The statistics report over ``finished`` attempts (scoped, not yet chosen), computed once per state.

    The first request after an answer finishes an attempt, a regrade or a bank
    edit builds it (``build_quiz_report``); every later one reads it from the cache
    after four small queries that say whether anything changed.
    """
    key = _report_key(quiz=quiz, finished=finished, which=which)
    report = cache.get(key) if key else None
    if report is None:
        report = build_quiz_report(quiz=quiz, attempts=chosen_attempts(finished, which), which=which)
        if key:
            cache.set(key, report, REPORT_TIMEOUT_SECONDS)
    return report
