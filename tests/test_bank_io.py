"""Question-bank import and export: our JSON format and Moodle's GIFT, all or nothing."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from content.models import Passage, Source
from quiz.bank import gift, importer, json_format
from quiz.bank.choices import match_choices
from quiz.bank.records import BankFormatError
from quiz.models import Choice, Question, QuestionKind, Quiz, QuizQuestion
from tests.conftest import MODEL_BACKEND
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parent.parent / "content" / "sources" / "russia-ai-chips" / "questions.json"
IMPORT_URL = reverse("admin:quiz_question_import")


def bank_state() -> list[tuple]:
    """Everything a question is, in a comparable form, for the whole bank."""
    rows = []
    for question in (
        Question.objects.select_related("passage__source", "author").prefetch_related("choices").order_by("key")
    ):
        rows.append(
            (
                question.key,
                question.kind,
                question.prompt,
                question.explanation,
                question.passage.source.slug,
                question.passage.position,
                question.quote,
                question.points,
                question.cognitive_level,
                question.is_published,
                question.numeric_answer,
                question.numeric_tolerance,
                question.numeric_min,
                question.numeric_max,
                question.numeric_unit,
                tuple(question.accepted_answers),
                (question.match_whole_words, question.allow_typos, question.read_other_scripts),
                question.author.username if question.author else None,
                tuple((c.text, c.is_correct, c.feedback) for c in question.choices.all()),
            )
        )
    return rows


def wipe_bank() -> None:
    QuizQuestion.objects.all().delete()
    Quiz.objects.all().delete()
    Question.objects.all().delete()
    Source.objects.all().delete()


@pytest.fixture
def mixed_bank(teacher):
    """One question of every kind, with awkward characters, in a quiz with every setting."""
    single = QuestionFactory(
        key="single-one",
        prompt="Which: {this} ~ or = that #1?",
        author=teacher,
        choices=[("A = {1}", True), ("B ~ #2", False), ("C: \\ path", False)],
    )
    passage = single.passage
    multiple = QuestionFactory(
        key="multi",
        kind=QuestionKind.MULTIPLE,
        passage=passage,
        points=3,
        cognitive_level="analyse",
        is_published=False,
        choices=[("GPUs", True), ("Chips", True), ("Wheat", False)],
    )
    true_false = QuestionFactory(
        key="tf",
        kind=QuestionKind.TRUE_FALSE,
        passage=passage,
        cognitive_level="evaluate",
        choices=[("True", False), ("False", True)],
    )
    numeric = QuestionFactory(
        key="num", numeric=True, passage=passage, numeric_tolerance=Decimal("2.5"), numeric_min=Decimal("80")
    )
    short = QuestionFactory(
        key="short", short_text=True, passage=passage, explanation="Line one.\nLine two.", allow_typos=False
    )
    QuizFactory(
        slug="mixed",
        title="Mixed",
        questions=[short, single, multiple],
        time_limit_minutes=10,
        attempts_allowed=2,
        pass_mark=75,
        feedback_mode="at_end",
        is_published=False,
    )
    return [single, multiple, true_false, numeric, short]


# ---------------------------------------------------------------- round trips


def test_json_round_trip_into_a_fresh_database_gives_the_same_bank(mixed_bank):
    before, exported = bank_state(), json_format.dumps(json_format.export_bank())
    wipe_bank()
    report = importer.import_text(exported, fmt="json")
    assert (report.created, report.sources, report.quizzes) == (5, 1, 1)
    assert bank_state() == before
    assert json_format.dumps(json_format.export_bank()) == exported


def test_gift_round_trip_into_a_fresh_database_gives_the_same_questions(mixed_bank):
    before, exported = bank_state(), gift.export_gift(Question.objects.all())
    source = Source.objects.get()
    source_data = (
        source.slug,
        source.title,
        source.text,
        list(source.passages.values_list("position", "kind", "text")),
    )
    wipe_bank()
    # GIFT carries no sources: the fresh site has the article, as after pasting it in.
    fresh = Source.objects.create(slug=source_data[0], title=source_data[1], text=source_data[2])
    Passage.objects.bulk_create(Passage(source=fresh, position=p, kind=k, text=t) for p, k, t in source_data[3])
    report = importer.import_text(exported, fmt="gift")
    assert report.created == 5
    assert bank_state() == before


def test_shipped_bank_survives_a_gift_and_a_json_round_trip(loaded_bank):
    before = bank_state()
    assert len(before) == 80
    assert importer.import_text(gift.export_gift(Question.objects.all()), fmt="gift").unchanged == 80
    assert importer.import_text(json_format.dumps(json_format.export_bank()), fmt="json").unchanged == 80
    assert bank_state() == before


def test_gift_export_speaks_moodle(mixed_bank):
    text = gift.export_gift(Question.objects.all())
    assert "::single-one::Which\\: \\{this\\} \\~ or \\= that \\#1? {\n\t=A \\= \\{1\\}" in text
    assert "\t~%50%GPUs" in text and "\t~%-100%Wheat" in text
    assert "\tF#" in text  # true/false whose right answer is False
    assert "\t#84:2.5" in text
    assert "\t####Line one.\\nLine two." in text
    assert '// citation: {"source": "' in text


def test_shipped_format_imports_with_a_default_source(loaded_bank):
    shipped = SHIPPED.read_text(encoding="utf-8")
    Question.objects.filter(key="gpu-imports-drop").update(prompt="Edited since")
    report = importer.import_text(shipped, fmt="json", default_source="russia-ai-chips")
    assert (report.updated, report.unchanged, report.quizzes) == (1, 79, 6)
    assert Question.objects.get(key="gpu-imports-drop").prompt != "Edited since"


def test_reimport_updates_choices_in_place_so_recorded_ids_stay_valid(mixed_bank):
    single = mixed_bank[0]
    ids = list(single.choices.order_by("position").values_list("pk", flat=True))
    bank = json_format.export_bank(Question.objects.filter(pk=single.pk))
    bank["questions"][0]["choices"][1]["text"] = "B, reworded"
    report = importer.import_text(json.dumps(bank), fmt="json")
    assert report.updated == 1
    assert list(single.choices.order_by("position").values_list("pk", "text")) == [
        (ids[0], "A = {1}"),
        (ids[1], "B, reworded"),
        (ids[2], "C: \\ path"),
    ]


def test_import_queries_do_not_grow_with_the_number_of_questions(loaded_bank, django_assert_max_num_queries):
    exported = json_format.dumps(json_format.export_bank())
    wipe_bank()
    # Sources, passages, existing questions, authors, then bulk inserts (a batch each) and the quiz links.
    with django_assert_max_num_queries(20):
        report = importer.import_text(exported, fmt="json")
    assert report.created == 80


# ---------------------------------------------------------------- malformed files: line numbers, nothing written


def test_invalid_json_names_its_line_and_writes_nothing(mixed_bank):
    before = bank_state()
    text = json_format.dumps(json_format.export_bank())
    lines = text.splitlines()
    lines[12] = lines[12].rstrip(",")  # drop a comma inside the first source
    with pytest.raises(BankFormatError) as problem:
        importer.import_text("\n".join(lines), fmt="json")
    assert str(problem.value).startswith("Nothing was imported. Line 14: this is not valid JSON")
    assert bank_state() == before


def test_one_bad_question_among_good_ones_imports_none(mixed_bank):
    bank = json_format.export_bank()
    wipe_bank()
    by_key = {question["key"]: question for question in bank["questions"]}
    by_key["num"]["quote"] = "words that are nowhere"
    by_key["multi"]["choices"] = [{"text": "Only", "correct": True}]
    text = json_format.dumps(bank)
    with pytest.raises(BankFormatError) as problem:
        importer.import_text(text, fmt="json")
    lines = text.splitlines()
    messages = dict(problem.value.problems)
    multi_line = next(i for i, line in enumerate(lines, 1) if '"key": "multi"' in line) - 1
    num_line = next(i for i, line in enumerate(lines, 1) if '"key": "num"' in line) - 1
    assert "at least one correct and one wrong choice" in messages[multi_line]
    assert "its quote is not word for word in paragraph" in messages[num_line]
    assert not Question.objects.exists() and not Source.objects.exists() and not Quiz.objects.exists()


@pytest.mark.parametrize(
    "question, message",
    [
        ({"kind": "essay"}, "“kind” should be one of"),
        ({"passage": 99}, "cites paragraph 99 of"),
        ({"points": 0}, "“points” should be between 1 and 100"),
        ({"key": "has spaces"}, "a key uses only letters, digits, hyphens and underscores"),
        ({"numeric_answer": "lots"}, "“numeric_answer” should be a number"),
        ({"tolerance": -1}, "The tolerance cannot be negative"),
        ({"published": "yes"}, "“published” should be true or false"),
        ({"numeric_min": 90, "numeric_max": 85}, "The highest accepted value (85) is below the lowest (90)"),
        ({"numeric_min": None, "numeric_max": 50}, "The right value 84 is above the highest accepted value (50)"),
        ({"typos": "no"}, "“typos” should be true or false"),
    ],
)
def test_each_field_problem_is_named(mixed_bank, question, message):
    bank = json_format.export_bank(Question.objects.filter(key="num"))
    bank["questions"][0].update(question)
    before = bank_state()
    with pytest.raises(BankFormatError) as problem:
        importer.import_text(json.dumps(bank, indent=1), fmt="json")
    assert message in str(problem.value) and "Line " in str(problem.value)
    assert bank_state() == before


def test_quiz_listing_an_unknown_question_is_refused(mixed_bank):
    bank = json_format.export_bank()
    bank["quizzes"][0]["questions"].append("no-such-question")
    with pytest.raises(BankFormatError, match="lists questions this site does not have: no-such-question"):
        importer.import_text(json.dumps(bank), fmt="json")


def test_answered_question_cannot_change_kind_by_import(mixed_bank, student):
    from quiz.models import SubmittedAnswer
    from quiz.services import attempt_start, response_record

    single = mixed_bank[0]
    attempt = attempt_start(quiz=QuizFactory(questions=[single]), student=student)
    choices = list(single.choices.all())
    response_record(
        attempt=attempt, question=single, choices=choices, answer=SubmittedAnswer(choice_ids=frozenset({choices[0].pk}))
    )
    bank = json_format.export_bank(Question.objects.filter(pk=single.pk))
    bank["questions"][0].update(kind="short_text", accepted_answers=["A"])
    del bank["questions"][0]["choices"]
    with pytest.raises(BankFormatError, match="its kind cannot change"):
        importer.import_text(json.dumps(bank), fmt="json")


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('// citation: {"source": "s", "passage": 1, "quote": "q"}\n::a::Question {=yes ~no\n', 2, "never close"),
        ("::a::Just a description\n", 1, "descriptions are not questions"),
        (
            '\n\n// citation: {"source": "s", "passage": 1, "quote": "q"}\n::m::Match {=a -> b =c -> d ####x}\n',
            4,
            "matching questions are not supported",
        ),
        ("::a::Question {=yes ~no ####Why.}\n", 1, "has no citation"),
        (
            '// citation: {"source": "s", "passage": 1, "quote": "q"}\n::a::Question {=yes ~no}\n',
            2,
            "needs an explanation",
        ),
        (
            '// citation: {"source": "s", "passage": 1, "quote": "q"}\n::a::Fill {=x} in ####w\n',
            2,
            "text after the answers",
        ),
        ("// citation: {not json}\n::a::Q {T ####w}\n", 2, "citation comment on line 1 is not valid JSON"),
        (
            '// citation: {"source": "s", "passage": 1, "quote": "q"}\n// settings: {"level": "memorise"}\n'
            "::a::Q {T ####w}\n",
            3,
            "“level” in the settings comment should be one of remember, understand",
        ),
    ],
)
def test_malformed_gift_names_its_line(text, line, message):
    with pytest.raises(BankFormatError) as problem:
        importer.import_text(text, fmt="gift")
    assert f"Line {line}: " in str(problem.value) and message in str(problem.value)


def test_gift_from_moodle_reads_weights_ranges_and_true_false_feedback(db):
    source = Source.objects.create(slug="s", title="S", text="The sky is blue and 42 is the answer.")
    Passage.objects.create(source=source, position=1, text=source.text)
    cite = '// citation: {"source": "s", "passage": 1, "quote": "42 is the answer"}\n'
    text = (
        "$CATEGORY: $course$/Imported\n\n"
        + cite
        + "::Sky colour::[html]The sky is blue. {TRUE#No, look up.#Yes. ####It is blue.}\n\n"
        + cite
        + "::Pick::Which? {~%50%a#fa ~%50%b ~%-100%c ####Why.}\n\n"
        + cite
        + "What number? {#40..44 ####Near 42.}\n"
    )
    report = importer.import_text(text, fmt="gift")
    assert report.created == 3
    tf = Question.objects.get(key="sky-colour")
    assert tf.kind == QuestionKind.TRUE_FALSE
    assert list(tf.choices.values_list("text", "is_correct", "feedback")) == [
        ("True", True, "Yes."),
        ("False", False, "No, look up."),
    ]
    pick = Question.objects.get(key="Pick")
    assert pick.kind == QuestionKind.MULTIPLE
    assert list(pick.choices.values_list("text", "is_correct", "feedback")) == [
        ("a", True, "fa"),
        ("b", True, ""),
        ("c", False, ""),
    ]
    number = Question.objects.get(key="what-number")
    assert (number.numeric_answer, number.numeric_min, number.numeric_max) == (42, 40, 44)


# ---------------------------------------------------------------- admin upload and download, commands


def test_teacher_downloads_the_bank_as_json_and_gift(teacher_client, mixed_bank):
    as_json = teacher_client.get(reverse("admin:quiz_question_export") + "?format=json")
    assert as_json["Content-Disposition"].startswith('attachment; filename="question-bank-')
    assert len(json.loads(as_json.content)["questions"]) == 5
    as_gift = teacher_client.get(reverse("admin:quiz_question_export") + "?format=gift")
    assert as_gift.content.decode().count("// citation:") == 5
    assert teacher_client.get(reverse("admin:quiz_question_export") + "?format=xml").status_code == 400


def test_export_selected_action_downloads_only_those(teacher_client, mixed_bank):
    response = teacher_client.post(
        reverse("admin:quiz_question_changelist"), {"action": "export_gift", "_selected_action": [mixed_bank[3].pk]}
    )
    assert response.content.decode().count("// citation:") == 1


def test_teacher_uploads_a_bank(teacher_client, mixed_bank, teacher):
    exported = json_format.dumps(json_format.export_bank())
    wipe_bank()
    upload = SimpleUploadedFile("bank.json", exported.encode())
    response = teacher_client.post(IMPORT_URL, {"bank": upload, "format": "auto"}, follow=True)
    assert "Imported bank.json: 5 question(s) created" in response.content.decode()
    assert Question.objects.count() == 5


def test_malformed_upload_shows_the_line_and_imports_nothing(teacher_client, mixed_bank):
    before = bank_state()
    text = gift.export_gift(Question.objects.all()).replace("####", "", 1)  # the first question loses its explanation
    response = teacher_client.post(
        IMPORT_URL, {"bank": SimpleUploadedFile("bank.txt", text.encode()), "format": "gift"}
    )
    assert response.status_code == 400
    assert "Nothing was imported." in response.content.decode() and "needs an explanation" in response.content.decode()
    assert bank_state() == before


def test_upload_that_is_not_utf8_is_refused_clearly(teacher_client):
    response = teacher_client.post(IMPORT_URL, {"bank": SimpleUploadedFile("bank.txt", "caf\xe9".encode("latin-1"))})
    assert response.status_code == 400 and "not UTF-8 text" in response.content.decode()


def test_upload_without_a_file_is_refused_clearly(teacher_client):
    response = teacher_client.post(IMPORT_URL, {"format": "json"})
    assert (
        response.status_code == 400
        and "Choose a file to import, or paste the questions into the box." in response.content.decode()
    )


def test_import_page_is_for_teachers_only(client, student):
    upload = SimpleUploadedFile("bank.json", b'{"questions": []}')
    assert client.post(IMPORT_URL, {"bank": upload}).status_code == 302
    client.force_login(student, backend=MODEL_BACKEND)
    assert client.get(IMPORT_URL, headers={"HX-Request": "true"}).status_code == 302


def test_export_and_import_commands_round_trip(tmp_path, mixed_bank):
    before = bank_state()
    path = tmp_path / "bank.gift.txt"
    call_command("export_bank", "--format", "gift", "--output", str(path), stderr=io.StringIO())
    Question.objects.filter(key="num").update(prompt="Changed")
    out = io.StringIO()
    call_command("import_bank", str(path), stdout=out)
    assert "1 updated, 4 unchanged" in out.getvalue()
    assert bank_state() == before


def test_import_command_fails_with_the_line_on_a_malformed_file(tmp_path, db):
    path = tmp_path / "bank.json"
    path.write_text('{\n  "questions": [\n    {"key": "x"}\n  ]\n}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="Line 3: Question “x” has no “prompt”"):
        call_command("import_bank", str(path))
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_cognitive_level_travels_in_json_and_gift(mixed_bank):
    exported = json_format.export_bank()
    assert {q["key"]: q["cognitive_level"] for q in exported["questions"]}["multi"] == "analyse"
    assert '"level": "evaluate"' in gift.export_gift(Question.objects.filter(key="tf"))


def test_an_unknown_cognitive_level_is_refused_with_its_line(mixed_bank):
    data = json_format.export_bank()
    data["questions"][0]["cognitive_level"] = "memorise"
    with pytest.raises(BankFormatError, match="cognitive_level"):
        importer.import_text(json.dumps(data), fmt="json")


def test_reimport_that_reorders_choices_keeps_each_choice_id_with_its_text(mixed_bank):
    single = mixed_bank[0]
    before = dict(single.choices.values_list("text", "pk"))
    bank = json_format.export_bank(Question.objects.filter(pk=single.pk))
    bank["questions"][0]["choices"].reverse()
    bank["questions"][0]["choices"][0]["text"] = "C, reworded"
    importer.import_text(json.dumps(bank), fmt="json")
    assert list(single.choices.order_by("position").values_list("text", "pk")) == [
        ("C, reworded", before["C: \\ path"]),
        ("B ~ #2", before["B ~ #2"]),
        ("A = {1}", before["A = {1}"]),
    ]


@pytest.mark.parametrize(
    ("stored", "incoming", "matches"),
    [
        (["a", "b", "c"], ["a", "b", "c"], [0, 1, 2]),
        (["a", "b", "c"], ["c", "a", "b"], [2, 0, 1]),
        (["a", "b", "c"], ["a", "B", "c"], [0, 1, 2]),
        (["a", "b"], ["b", "new", "a"], [1, None, 0]),
        (["a", "b", "c"], ["c", "x"], [2, 0]),
        ([], ["a"], [None]),
    ],
)
def test_match_choices_keeps_texts_then_fills_rows_in_order(stored, incoming, matches):
    assert match_choices(stored, incoming) == matches


def test_uploading_a_bank_whose_quiz_leaks_warns_and_links_to_the_leak_check(teacher_client, mixed_bank):
    # With feedback after each question, the single-choice question's explanation ("…supply of GPUs.")
    # prints the short-text question's answer.
    bank = json_format.export_bank()
    bank["quizzes"][0]["feedback_mode"] = "immediate"
    wipe_bank()
    upload = SimpleUploadedFile("bank.json", json.dumps(bank).encode())
    page = teacher_client.post(IMPORT_URL, {"bank": upload, "format": "auto"}, follow=True).content.decode()
    assert "In “Mixed”, a question gives away another's answer." in page
    assert f'<a href="{reverse("admin:quiz_question_citations")}">See the leak check</a>' in page


def test_a_numeric_range_travels_through_gift_as_moodle_writes_it(mixed_bank):
    Question.objects.filter(key="num").update(
        numeric_answer=Decimal(500000), numeric_min=Decimal(450000), numeric_max=Decimal(500000)
    )
    exported = gift.export_gift(Question.objects.filter(key="num"))
    assert "\t#450000..500000\n" in exported
    assert '"answer": 500000' in exported
    Question.objects.filter(key="num").update(numeric_answer=Decimal(1), numeric_min=None, numeric_max=None)
    assert importer.import_text(exported, fmt="gift").updated == 1
    number = Question.objects.get(key="num")
    assert (number.numeric_answer, number.numeric_min, number.numeric_max) == (500000, 450000, 500000)


def test_the_shipped_microsoft_question_accepts_up_to_the_articles_nearly_500000(loaded_bank):
    question = Question.objects.get(key="microsoft-gpus-2024")
    assert (question.numeric_min, question.numeric_max) == (450000, 500000)
    exported = json_format.export_bank(Question.objects.filter(pk=question.pk))["questions"][0]
    assert (exported["numeric_min"], exported["numeric_max"]) == (450000, 500000)
