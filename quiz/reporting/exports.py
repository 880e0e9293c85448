"""CSV exports: the class gradebook and the per-question statistics.

Files open cleanly in Excel: UTF-8 with a byte-order mark (without it Excel
reads UTF-8 as the local code page and breaks accented names), CRLF line ends,
numbers without a percent sign so they stay numbers. A cell a student controls
(their name) that starts like a formula is prefixed with an apostrophe, so a
spreadsheet never runs it (OWASP "CSV Injection").
"""

import csv
from collections.abc import Iterable, Iterator

from quiz.models import Assignment, Classroom
from quiz.reporting import dashboard
from quiz.reporting.statistics import QuizReport

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, text: str) -> str:
        return text


def csv_stream(rows: Iterable[Iterable]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield BOM
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def gradebook_rows(*, classroom: Classroom, assignments: list[Assignment]) -> Iterator[list]:
    """Header, then one row per student: best finished score (%) per quiz, blank if none."""
    quiz_ids = [assignment.quiz_id for assignment in assignments]
    yield ["Username", "Name"] + [f"{a.quiz.title} (best %)" for a in assignments] + ["Quizzes completed"]
    for student, best in dashboard.gradebook_rows(classroom=classroom, quiz_ids=quiz_ids):
        # Self-registered students have no first or last name: their username stands in.
        name = f"{student.first_name} {student.last_name}".strip() or student.username
        scores = [best.get(quiz_id) for quiz_id in quiz_ids]
        yield [student.username, name] + scores + [sum(score is not None for score in scores)]


def statistics_rows(report: QuizReport) -> Iterator[list]:
    """Header, then one row per question with Moodle's statistics and the review reasons."""
    yield [
        "Position",
        "Question key",
        "Kind",
        "Question",
        "Passage",
        "Attempts",
        "Facility index (%)",
        "Standard deviation (%)",
        "Random guess score (%)",
        "Discrimination index",
        "Discriminative efficiency (%)",
        "Median seconds to answer",
        "Flagged for review",
        "Cognitive level",
    ]
    for row in report.questions:
        s = row.statistics
        yield [
            row.position,
            row.question.key,
            row.question.get_kind_display(),
            row.question.prompt,
            row.question.passage.position,
            s.attempts,
            s.facility,
            s.standard_deviation,
            row.random_guess_score,
            s.discrimination_index,
            s.discriminative_efficiency,
            row.median_seconds,
            " ".join(row.reasons),
            row.question.get_cognitive_level_display(),
        ]
