"""Load a question bank (our JSON format) for one source, by stable keys."""

from content.loading import BankError, LoadReport, as_decimal
from content.models import Source
from quiz.models import Choice, Question, Quiz, QuizQuestion

QUIZ_SETTINGS = (
    "pass_mark",
    "shuffle_questions",
    "shuffle_choices",
    "feedback_mode",
    "time_limit_minutes",
    "attempts_allowed",
    "review_answers",
    "review_key",
    "review_feedback",
)


def sync_choices(question: Question, choices: list[dict]) -> None:
    """Update choices in place by position, so responses' recorded choice ids stay valid."""
    existing = {choice.position: choice for choice in question.choices.all()}
    for position, data in enumerate(choices, start=1):
        values = {"text": data["text"], "is_correct": bool(data.get("correct")), "feedback": data.get("feedback", "")}
        choice = existing.pop(position, None)
        if choice is None:
            Choice.objects.create(question=question, position=position, **values)
        elif any(getattr(choice, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(choice, name, value)
            choice.save()
    for leftover in existing.values():
        leftover.delete()


def load_question_bank(bank: dict, *, source: Source, report: LoadReport) -> None:
    passages = {passage.position: passage for passage in source.passages.all()}
    by_key: dict[str, Question] = {}
    for data in bank.get("questions", []):
        key = data["key"]
        passage = passages.get(data["passage"])
        if passage is None:
            raise BankError(f"Question {key!r} cites passage {data['passage']}, which {source.slug!r} does not have.")
        if data["quote"] not in passage.text:
            raise BankError(f"Question {key!r}: its quote is not verbatim in passage {passage.position}.")
        defaults = {
            "kind": data["kind"],
            "prompt": data["prompt"],
            "explanation": data["explanation"],
            "passage": passage,
            "quote": data["quote"],
            "points": data.get("points", 1),
            "numeric_answer": as_decimal(data.get("numeric_answer")),
            "numeric_tolerance": as_decimal(data.get("tolerance", 0)),
            "numeric_unit": data.get("unit", ""),
            "accepted_answers": data.get("accepted_answers", []),
            "is_published": data.get("published", True),
        }
        question, created = Question.objects.update_or_create(key=key, defaults=defaults)
        if created:
            report.questions_created += 1
        else:
            report.questions_updated += 1
        sync_choices(question, data.get("choices", []))
        by_key[key] = question

    for data in bank.get("quizzes", []):
        keys = list(by_key) if data["questions"] == "all" else data["questions"]
        missing = [key for key in keys if key not in by_key]
        if missing:
            raise BankError(f"Quiz {data['slug']!r} lists unknown questions: {', '.join(missing)}")
        settings = {name: data[name] for name in QUIZ_SETTINGS if name in data}
        quiz, _ = Quiz.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "title": data["title"],
                "description": data.get("description", ""),
                "is_published": data.get("published", True),
                **settings,
            },
        )
        sync_quiz_questions(quiz, [by_key[key] for key in keys])
        report.quizzes += 1


def sync_quiz_questions(quiz: Quiz, questions: list[Question]) -> None:
    existing = {link.question_id: link for link in quiz.quiz_questions.all()}
    for position, question in enumerate(questions, start=1):
        link = existing.pop(question.pk, None)
        if link is None:
            QuizQuestion.objects.create(quiz=quiz, question=question, position=position)
        elif link.position != position:
            link.position = position
            link.save(update_fields=["position"])
    QuizQuestion.objects.filter(pk__in=[link.pk for link in existing.values()]).delete()
