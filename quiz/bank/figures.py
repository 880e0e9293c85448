"""The figures a teacher reads before signing a bank: its mix of cognitive levels, where its keys stand,
and how many answers its quizzes give away."""

from collections import Counter
from dataclasses import dataclass, field

from quiz.bank.leaks import leaks_by_quiz
from quiz.models import CognitiveLevel, Question, QuestionKind, Quiz

# A bank where fewer than this share of questions go beyond recall tests memory, not reading.
HIGHER_LEVEL_TARGET = 30


@dataclass
class BankFigures:
    questions: int = 0
    levels: Counter = field(default_factory=Counter)  # level value → questions
    single_key_positions: Counter = field(default_factory=Counter)  # 1-based position of the right choice
    multiple_right_first: int = 0  # multiple-choice questions whose first stored choice is right
    multiple_questions: int = 0
    true_false_keyed_true: int = 0
    true_false_questions: int = 0
    leaks: dict[str, int] = field(default_factory=dict)  # quiz slug → leaks
    per_passage: Counter = field(default_factory=Counter)  # (source slug, passage position) → questions

    @property
    def higher_level_percent(self) -> float:
        """Share of questions asking more than recall (understand, apply, analyse, evaluate)."""
        if not self.questions:
            return 0.0
        return 100 * (self.questions - self.levels[CognitiveLevel.REMEMBER]) / self.questions

    @property
    def leak_count(self) -> int:
        return sum(self.leaks.values())

    def lines(self) -> list[str]:
        levels = ", ".join(
            f"{level.label.lower()} {self.levels[level]}" for level in CognitiveLevel if self.levels[level]
        )
        positions = ", ".join(f"{position}: {count}" for position, count in sorted(self.single_key_positions.items()))
        return [
            f"Questions: {self.questions} published",
            f"Cognitive levels: {levels}; beyond recall {self.higher_level_percent:.0f}% "
            f"(target at least {HIGHER_LEVEL_TARGET}%)",
            f"Single-choice keys by stored position: {positions}",
            f"Multiple-choice questions whose first stored choice is right: "
            f"{self.multiple_right_first} of {self.multiple_questions}",
            f"True/false keyed true: {self.true_false_keyed_true} of {self.true_false_questions}",
            "Questions per passage: "
            + ", ".join(f"{slug} ¶{position} {count}" for (slug, position), count in sorted(self.per_passage.items())),
            "Leaks: "
            + (", ".join(f"{slug} {count}" for slug, count in self.leaks.items()) or "no quizzes")
            + f"; total {self.leak_count}",
        ]


def bank_figures(questions=None, quizzes=None) -> BankFigures:
    """Figures for ``questions`` (default: every published question) and ``quizzes`` (default: published ones)."""
    questions = Question.objects.published() if questions is None else questions
    quizzes = Quiz.objects.published() if quizzes is None else quizzes
    figures = BankFigures()
    for question in questions.select_related("passage__source").prefetch_related("choices").order_by("key"):
        figures.questions += 1
        figures.per_passage[(question.passage.source.slug, question.passage.position)] += 1
        figures.levels[question.cognitive_level] += 1
        right = [choice.is_correct for choice in question.choices.all()]
        if question.kind == QuestionKind.SINGLE and True in right:
            figures.single_key_positions[right.index(True) + 1] += 1
        elif question.kind == QuestionKind.MULTIPLE and right:
            figures.multiple_questions += 1
            figures.multiple_right_first += right[0]
        elif question.kind == QuestionKind.TRUE_FALSE:
            figures.true_false_questions += 1
            texts = {choice.text.lower(): choice.is_correct for choice in question.choices.all()}
            figures.true_false_keyed_true += texts.get("true", False)
    for quiz, leaks in leaks_by_quiz(quizzes.order_by("slug")):
        figures.leaks[quiz.slug] = len(leaks)
    return figures
