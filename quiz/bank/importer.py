"""The one importer of question banks: checks a parsed bank against the database, then writes it.

Every way a bank comes in goes through here: the admin's import page, the
``import_bank`` command and ``load_content`` (the shipped banks in
content/sources/*/questions.json). It updates questions by ``key`` and quizzes by
``slug``; it never deletes a question, and choices are updated in place, in order,
so the choice ids that past responses recorded keep pointing at them. Any problem
stops the whole file (all or nothing), with the line of each problem.

Files are read into records by ``json_format`` (our JSON) or ``gift`` (Moodle's GIFT).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from content.models import Passage, Source, text_fingerprint
from quiz.bank import gift, json_format
from quiz.bank.answer_keys import accepted_answer_errors, choice_errors, numeric_errors, numeric_range_errors
from quiz.bank.choices import match_choices
from quiz.bank.citations import quote_suggestion
from quiz.bank.records import BankFormatError, ParsedBank, QuestionRecord
from quiz.bank.validation import field_problems, question_fields, quiz_fields, source_fields
from quiz.models import Choice, Question, QuestionKind, Quiz, QuizQuestion
from quiz.ownership import questions_changeable_by, quizzes_changeable_by, reason_not


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    quizzes: int = 0
    sources: int = 0

    def summary(self) -> str:
        parts = [f"{self.created} question(s) created", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.quizzes:
            parts.append(f"{self.quizzes} quiz(zes)")
        if self.sources:
            parts.append(f"{self.sources} new source(s)")
        return ", ".join(parts)


def guess_format(filename: str, text: str) -> str:
    if filename.lower().endswith(".json") or text.lstrip().startswith("{"):
        return "json"
    return "gift"


def import_text(text: str, *, fmt: str, user=None, default_source: str | None = None) -> ImportReport:
    """Parse ``text`` as ``fmt`` ("json" or "gift") and import it, all or nothing."""
    bank = gift.parse_gift(text) if fmt == "gift" else json_format.parse_json(text, default_source=default_source)
    if user is not None:
        _check_permissions(bank, user)
    return import_bank(bank, user=user)


def _check_permissions(bank: ParsedBank, user) -> None:
    needed = {"quiz.add_question", "quiz.change_question"}
    if bank.quizzes:
        needed |= {"quiz.add_quiz", "quiz.change_quiz", "quiz.add_quizquestion", "quiz.delete_quizquestion"}
    if bank.sources:
        needed |= {"content.add_source", "content.add_passage"}
    missing = sorted(name for name in needed if not user.has_perm(name))
    if missing:
        raise BankFormatError([(None, f"You may not import this file: it needs the permissions {', '.join(missing)}.")])


# ---------------------------------------------------------------- import


def import_bank(bank: ParsedBank, *, user=None) -> ImportReport:
    """Write ``bank`` in one transaction after checking every record against the database.

    Any problem raises BankFormatError before anything is written; the queries
    are a fixed number of bulk reads and writes, however many questions the file has.
    """
    report = ImportReport()
    problems = field_problems(bank)
    if problems:
        raise BankFormatError(sorted(problems, key=lambda p: p[0] or 0))
    with transaction.atomic():
        passages = _import_sources(bank, report, user)
        existing = {
            q.key: q
            for q in Question.objects.filter(key__in=[r.key for r in bank.questions])
            .select_related("passage", "author")
            .annotate(answered=Count("responses"))
            .prefetch_related("choices")
        }
        problems = _check_questions(bank, passages, existing)
        problems += _check_quizzes(bank, existing)
        if problems:
            raise BankFormatError(sorted(problems, key=lambda p: p[0] or 0))
        questions = _write_questions(bank, passages, existing, user, report)
        _write_quizzes(bank, questions, report, user)
    return report


def _import_sources(bank: ParsedBank, report: ImportReport, user) -> dict[tuple[str, int], Passage]:
    """Create the file's sources the database lacks; return every cited passage by (slug, position).

    A source already here is left exactly as it is: its passages are what the
    quotes are checked against.
    """
    slugs = {r.slug for r in bank.sources} | {q.source for q in bank.questions}
    known = {s.slug: s for s in Source.objects.filter(slug__in=slugs)}
    new_records = [r for r in bank.sources if r.slug not in known]
    new_sources = Source.objects.bulk_create(Source(**source_fields(r), owner=user) for r in new_records)
    Passage.objects.bulk_create(
        Passage(source=source, position=position, kind=kind, text=text)
        for record, source in zip(new_records, new_sources, strict=True)
        for position, kind, text in record.passages
    )
    report.sources = len(new_sources)
    return {
        (p.source.slug, p.position): p for p in Passage.objects.filter(source__slug__in=slugs).select_related("source")
    }


def _check_questions(bank: ParsedBank, passages, existing: Mapping[str, Question]) -> list:
    problems = []
    seen: set[str] = set()
    for record in bank.questions:
        where = f"Question “{record.key}”"
        if record.key in seen:
            problems.append((record.line, f"{where} appears twice in the file; keys must be unique."))
        seen.add(record.key)
        passage = passages.get((record.source, record.passage))
        if passage is None:
            problems.append(
                (
                    record.line,
                    f"{where} cites paragraph {record.passage} of “{record.source}”, which this site does not have.",
                )
            )
        elif record.quote not in passage.text:
            suggestion = quote_suggestion(passage.text, record.quote)
            hint = f" The passage prints it as “{suggestion}”." if suggestion else ""
            problems.append(
                (record.line, f"{where}: its quote is not word for word in paragraph {record.passage}.{hint}")
            )
        messages = choice_errors(record.kind, [(text, correct) for text, correct, _ in record.choices])
        if record.kind == QuestionKind.NUMERIC:
            messages += list(numeric_errors(record.numeric_answer, record.tolerance).values())
            bounds = (record.numeric_min, record.numeric_max)
            messages += list(numeric_range_errors(record.numeric_answer, *bounds).values())
        if record.kind == QuestionKind.SHORT_TEXT:
            messages += list(accepted_answer_errors(record.accepted_answers).values())
        problems += [(record.line, f"{where}: {message}") for message in messages]
        current = existing.get(record.key)
        answered = current.answered if current is not None else 0  # type: ignore[attr-defined]  # annotated above
        if current is not None and current.kind != record.kind and answered:
            problems.append(
                (
                    record.line,
                    f"{where} has been answered {answered} time(s) as {current.get_kind_display()}; "
                    "its kind cannot change. Give the new version another key.",
                )
            )
    return problems


def _check_quizzes(bank: ParsedBank, existing: Mapping[str, Question]) -> list:
    in_file = {record.key for record in bank.questions}
    listed = {key for quiz in bank.quizzes if quiz.questions != "all" for key in quiz.questions}
    known = in_file | set(Question.objects.filter(key__in=listed - in_file).values_list("key", flat=True))
    problems = []
    for quiz in bank.quizzes:
        if quiz.questions == "all":
            continue
        missing = [key for key in quiz.questions if key not in known]
        if missing:
            problems.append(
                (quiz.line, f"Quiz “{quiz.slug}” lists questions this site does not have: {', '.join(missing)}.")
            )
        if len(set(quiz.questions)) != len(quiz.questions):
            problems.append((quiz.line, f"Quiz “{quiz.slug}” lists a question twice."))
    return problems


QUESTION_FIELDS = [
    "kind",
    "prompt",
    "explanation",
    "passage",
    "quote",
    "cited_fingerprint",
    "points",
    "cognitive_level",
    "numeric_answer",
    "numeric_tolerance",
    "numeric_min",
    "numeric_max",
    "numeric_unit",
    "accepted_answers",
    "match_whole_words",
    "allow_typos",
    "read_other_scripts",
    "is_published",
    "author",
]


def _write_questions(bank: ParsedBank, passages, existing: Mapping[str, Question], user, report) -> dict[str, Question]:
    User = get_user_model()
    names = {r.author for r in bank.questions if r.author}
    authors = {u.get_username(): u for u in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": names})}
    now = timezone.now()
    created, changed, by_key = [], [], {}
    for record in bank.questions:
        passage = passages[(record.source, record.passage)]
        values = {
            **question_fields(record),
            "passage": passage,
            "cited_fingerprint": text_fingerprint(passage.text),
        }
        question = existing.get(record.key)
        if record.author_given and (user is None or user.is_superuser):
            values["author"] = authors.get(record.author) if record.author else None
        elif question is None:
            # A teacher's file cannot credit a question to someone else: the importer is its author.
            values["author"] = user
        if question is None:
            question = Question(key=record.key, **values)
            created.append(question)
        else:
            if any(getattr(question, name) != value for name, value in values.items()) or _choices_differ(
                question, record
            ):
                for name, value in values.items():
                    setattr(question, name, value)
                question.updated_at = now
                changed.append(question)
            else:
                report.unchanged += 1
        by_key[record.key] = question
    _refuse_changes_to_others(
        user,
        questions_changeable_by,
        changed,
        {record.key: record.line for record in bank.questions},
        lambda question: question.key,
        "Question “{}” is not yours to change ({}). Give your version another key.",
    )
    Question.objects.bulk_create(created)
    Question.objects.bulk_update(changed, [*QUESTION_FIELDS, "updated_at"])
    report.created, report.updated = len(created), len(changed)
    _write_choices(bank, by_key, existing)
    return by_key


def _refuse_changes_to_others(user, changeable_by, changed: list, lines: dict, name_of, message: str) -> None:
    """Refuse the whole file when it would change a question or quiz the importing teacher may only use."""
    if user is None or user.is_superuser or not changed:
        return
    model = type(changed[0])
    allowed = set(
        changeable_by(user, model.objects.filter(pk__in=[obj.pk for obj in changed])).values_list("pk", flat=True)
    )
    refused = [obj for obj in changed if obj.pk not in allowed]
    if refused:
        raise BankFormatError(
            [(lines.get(name_of(obj)), message.format(name_of(obj), reason_not(user, obj))) for obj in refused]
        )


def _choices_differ(question: Question, record: QuestionRecord) -> bool:
    current = [(c.text, c.is_correct, c.feedback) for c in question.choices.all()]
    return current != list(record.choices)


def _write_choices(bank: ParsedBank, by_key: dict[str, Question], existing: Mapping[str, Question]) -> None:
    """Keep each stored choice with its text (see quiz.bank.choices), so recorded answers keep their words."""
    to_create, to_update, to_delete = [], [], []
    for record in bank.questions:
        question = by_key[record.key]
        current = list(existing[record.key].choices.all()) if record.key in existing else []
        matches = match_choices([choice.text for choice in current], [text for text, _, _ in record.choices])
        for position, ((text, correct, feedback), match) in enumerate(zip(record.choices, matches, strict=True), 1):
            if match is not None:
                choice = current[match]
                if (choice.position, choice.text, choice.is_correct, choice.feedback) != (
                    position,
                    text,
                    correct,
                    feedback,
                ):
                    choice.position, choice.text, choice.is_correct, choice.feedback = position, text, correct, feedback
                    to_update.append(choice)
            else:
                to_create.append(
                    Choice(question=question, position=position, text=text, is_correct=correct, feedback=feedback)
                )
        to_delete += [choice.pk for index, choice in enumerate(current) if index not in matches]
    Choice.objects.filter(pk__in=to_delete).delete()
    Choice.objects.bulk_update(to_update, ["position", "text", "is_correct", "feedback"])
    Choice.objects.bulk_create(to_create)


def _write_quizzes(bank: ParsedBank, by_key: dict[str, Question], report: ImportReport, user=None) -> None:
    if not bank.quizzes:
        return
    listed = {key for quiz in bank.quizzes if quiz.questions != "all" for key in quiz.questions}
    questions = {**{q.key: q for q in Question.objects.filter(key__in=listed - set(by_key))}, **by_key}
    current = {quiz.slug: quiz for quiz in Quiz.objects.filter(slug__in=[r.slug for r in bank.quizzes])}
    created, changed = [], []
    for record in bank.quizzes:
        values = quiz_fields(record)
        quiz = current.get(record.slug)
        if quiz is None:
            quiz = Quiz(slug=record.slug, owner=user, **values)
            created.append(quiz)
        else:
            for name, value in values.items():
                setattr(quiz, name, value)
            changed.append(quiz)
        current[record.slug] = quiz
    _refuse_changes_to_others(
        user,
        quizzes_changeable_by,
        changed,
        {record.slug: record.line for record in bank.quizzes},
        lambda quiz: quiz.slug,
        "Quiz “{}” is not yours to change ({}). Give your version another slug.",
    )
    Quiz.objects.bulk_create(created)
    Quiz.objects.bulk_update(changed, ["title", "description", *bank.quizzes[0].settings])
    report.quizzes = len(bank.quizzes)

    wanted = {
        record.slug: [questions[key] for key in (list(by_key) if record.questions == "all" else record.questions)]
        for record in bank.quizzes
    }
    quiz_ids = [current[slug].pk for slug in wanted]
    links = {(link.quiz_id, link.question_id): link for link in QuizQuestion.objects.filter(quiz_id__in=quiz_ids)}
    to_create, to_update = [], []
    for slug, ordered in wanted.items():
        quiz = current[slug]
        for position, question in enumerate(ordered, start=1):
            link = links.pop((quiz.pk, question.pk), None)
            if link is None:
                to_create.append(QuizQuestion(quiz=quiz, question=question, position=position))
            elif link.position != position:
                link.position = position
                to_update.append(link)
    QuizQuestion.objects.filter(pk__in=[link.pk for link in links.values()]).delete()
    QuizQuestion.objects.bulk_update(to_update, ["position"])
    QuizQuestion.objects.bulk_create(to_create)
