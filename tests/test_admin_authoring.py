"""The question, quiz and source admin as a teacher uses it."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import Source, text_fingerprint
from quiz.models import Choice, Question, QuestionKind, QuizQuestion, Response, SubmittedAnswer
from quiz.services import attempt_start, response_record
from tests.conftest import MODEL_BACKEND
from tests.factories import PASSAGE_TEXT, ClassroomFactory, PassageFactory, QuestionFactory, QuizFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:quiz_question_add")
CHANGELIST_URL = reverse("admin:quiz_question_changelist")


def question_form(passage, *, choices=(), initial_choices=(), **overrides) -> dict:
    """The POST a teacher's browser sends from the question form; choices are (text, correct)."""
    data = {
        "kind": QuestionKind.SINGLE,
        "prompt": "By how much did Russian GPU imports fall?",
        "points": "1",
        "cognitive_level": "remember",
        "is_published": "on",
        "key": "",
        "source": str(passage.source_id),
        "passage": str(passage.pk),
        "quote": "plummeted by 84 percent",
        "explanation": "Sanctions cut the supply.",
        "numeric_answer": "",
        "numeric_tolerance": "0",
        "numeric_min": "",
        "numeric_max": "",
        "numeric_unit": "",
        "accepted_answers": "",
        "match_whole_words": "on",
        "allow_typos": "on",
        "read_other_scripts": "on",
        "choices-TOTAL_FORMS": str(len(initial_choices) + len(choices)),
        "choices-INITIAL_FORMS": str(len(initial_choices)),
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
    }
    rows = [(choice.pk, choice.question_id, choice.text, choice.is_correct) for choice in initial_choices]
    rows += [("", "", text, correct) for text, correct in choices]
    for index, (pk, question_id, text, correct) in enumerate(rows):
        data |= {
            f"choices-{index}-id": str(pk),
            f"choices-{index}-question": str(question_id),
            f"choices-{index}-position": str(index + 1),
            f"choices-{index}-text": text,
            f"choices-{index}-feedback": "",
        }
        if correct:
            data[f"choices-{index}-is_correct"] = "on"
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def errors_of(response) -> str:
    """The page's error messages as plain text."""
    html = response.content.decode()
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", chunk) for chunk in found)


@pytest.fixture
def passage():
    return PassageFactory()


# ---------------------------------------------------------------- validation rules


@pytest.mark.parametrize(
    "kind, choices, message",
    [
        (QuestionKind.SINGLE, [("84", False), ("48", False)], "exactly one correct choice (this one has 0)"),
        (QuestionKind.SINGLE, [("84", True), ("48", True)], "exactly one correct choice (this one has 2)"),
        (QuestionKind.SINGLE, [("84", True)], "Give at least two choices."),
        (QuestionKind.TRUE_FALSE, [("True", True), ("False", True)], "exactly one correct choice (this one has 2)"),
        (
            QuestionKind.TRUE_FALSE,
            [("True", True), ("False", False), ("Maybe", False)],
            "exactly two choices (it has 3)",
        ),
        (QuestionKind.MULTIPLE, [("GPUs", True), ("Chips", True)], "at least one correct and one wrong choice"),
        (QuestionKind.MULTIPLE, [("Wheat", False), ("Oil", False)], "at least one correct and one wrong choice"),
        (QuestionKind.NUMERIC, [("84", True), ("48", False)], "A numeric question has no choices"),
    ],
)
def test_choice_rules_refuse_an_incomplete_answer_key(teacher_client, passage, kind, choices, message):
    data = question_form(passage, kind=kind, choices=choices, numeric_answer="84")
    response = teacher_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Question.objects.exists()


def test_numeric_question_needs_a_value(teacher_client, passage):
    response = teacher_client.post(ADD_URL, question_form(passage, kind=QuestionKind.NUMERIC))
    assert "A numeric question needs the right value." in errors_of(response)
    assert not Question.objects.exists()


def test_numeric_tolerance_cannot_be_negative(teacher_client, passage):
    data = question_form(passage, kind=QuestionKind.NUMERIC, numeric_answer="84", numeric_tolerance="-1")
    response = teacher_client.post(ADD_URL, data)
    assert "The tolerance cannot be negative: use 0 for an exact answer." in errors_of(response)
    assert not Question.objects.exists()


def test_short_text_question_needs_an_accepted_answer(teacher_client, passage):
    data = question_form(passage, kind=QuestionKind.SHORT_TEXT, accepted_answers="  \n ")
    response = teacher_client.post(ADD_URL, data)
    assert "A short-text question needs at least one accepted answer." in errors_of(response)


def test_short_text_answers_are_read_one_per_line(teacher_client, passage):
    data = question_form(passage, kind=QuestionKind.SHORT_TEXT, accepted_answers="GPUs\r\n GPU \r\n\r\nGPUs")
    assert teacher_client.post(ADD_URL, data).status_code == 302
    assert Question.objects.get().accepted_answers == ["GPUs", "GPU"]


def test_valid_numeric_question_is_saved_with_its_tolerance(teacher_client, passage):
    data = question_form(
        passage, kind=QuestionKind.NUMERIC, numeric_answer="84", numeric_tolerance="2", numeric_unit="percent"
    )
    assert teacher_client.post(ADD_URL, data).status_code == 302
    question = Question.objects.get()
    assert (question.numeric_answer, question.numeric_tolerance) == (Decimal("84"), Decimal("2"))


# ---------------------------------------------------------------- citations in the form


def test_wrong_quote_is_refused_then_the_fixed_one_is_saved(teacher_client, passage, teacher):
    choices = [("84 percent", True), ("48 percent", False)]
    wrong = question_form(passage, choices=choices, quote="plunged by 84 percent")
    response = teacher_client.post(ADD_URL, wrong)
    assert "does not stand word for word in passage ¶" in errors_of(response)
    assert not Question.objects.exists()

    response = teacher_client.post(ADD_URL, question_form(passage, choices=choices))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.quote == "plummeted by 84 percent"
    assert question.cited_fingerprint == text_fingerprint(PASSAGE_TEXT)
    assert question.author == teacher
    assert question.key == "by-how-much-did-russian-gpu-imports-fall"
    assert list(question.choices.values_list("text", "is_correct")) == choices


def test_quote_differing_only_in_case_and_curly_quotes_gets_the_passage_wording(teacher_client):
    passage = PassageFactory(text="Russia’s imports of GPUs have plummeted.")
    data = question_form(passage, choices=[("Yes", True), ("No", False)], quote="russia's imports")
    response = teacher_client.post(ADD_URL, data)
    assert "The passage prints it this way: “Russia’s imports”" in errors_of(response)


def test_passage_must_belong_to_the_chosen_source(teacher_client, passage):
    other = Source.objects.create(slug="other", title="Another source", text="Other text.")
    data = question_form(passage, choices=[("84", True), ("48", False)], source=str(other.pk))
    response = teacher_client.post(ADD_URL, data)
    assert "pick a passage of “Another source”" in errors_of(response)


def test_question_form_shows_the_cited_passage_text_and_groups_passages_by_source(teacher_client, teacher):
    question = QuestionFactory(author=teacher)
    response = teacher_client.get(reverse("admin:quiz_question_change", args=[question.pk]))
    html = response.content.decode()
    assert f'<optgroup label="{question.passage.source.title}">' in html
    assert (
        '<blockquote class="cited-passage-text" data-empty="Pick a passage to see its text here.">'
        f"{PASSAGE_TEXT}</blockquote>" in html
    )
    assert f'data-text="{PASSAGE_TEXT}"' in html


def test_question_form_page_keeps_a_constant_number_of_queries(teacher_client, django_assert_max_num_queries):
    question = QuestionFactory()
    url = reverse("admin:quiz_question_change", args=[question.pk])
    teacher_client.get(url)
    with CaptureQueriesContext(connection) as few:
        teacher_client.get(url)
    PassageFactory.create_batch(20, source=question.passage.source)
    QuestionFactory.create_batch(5, passage=question.passage)
    # session, user, group permissions, the question with its stats, its choices,
    # every passage (one query, grouped in Python), sources, and the admin's own lookups.
    with django_assert_max_num_queries(len(few)):
        teacher_client.get(url)


# ---------------------------------------------------------------- history and kind changes


def _answered(question, student, pick):
    quiz = QuizFactory(questions=[question])
    attempt = attempt_start(quiz=quiz, student=student)
    choices = list(question.choices.order_by("position"))
    response, _ = response_record(
        attempt=attempt,
        question=question,
        choices=choices,
        answer=SubmittedAnswer(choice_ids=frozenset({choices[pick].pk})),
    )
    return attempt, response


def test_editing_an_answered_question_keeps_what_the_student_was_asked_and_scored(
    teacher_client, client, student, teacher
):
    question = QuestionFactory(author=teacher, prompt="Original prompt?")
    ClassroomFactory(teacher=teacher).students.add(student)  # the regrade note counts the teacher's own students
    attempt, response = _answered(question, student, pick=1)  # "48 percent", a wrong answer
    choices = list(question.choices.order_by("position"))
    data = question_form(question.passage, initial_choices=choices, prompt="Reworded prompt?", key=question.key)
    data["choices-1-text"] = "Forty-eight percent"
    # The teacher also fixes the key: the student's pick becomes the right one.
    data.pop("choices-0-is_correct")
    data["choices-1-is_correct"] = "on"
    page = teacher_client.post(reverse("admin:quiz_question_change", args=[question.pk]), data, follow=True)
    assert "1 attempt(s) would score differently now" in page.content.decode()

    response.refresh_from_db()
    attempt.refresh_from_db()
    assert response.points_awarded == 0 and not response.is_correct
    assert attempt.score == 0
    client.force_login(student, backend=MODEL_BACKEND)
    results = client.get(reverse("attempt_results", args=[attempt.public_id])).content.decode()
    assert "Original prompt?" in results and "Reworded prompt?" not in results
    assert "48 percent" in results and "Forty-eight percent" not in results


def test_kind_cannot_change_once_students_answered(teacher_client, student, teacher):
    question = QuestionFactory(author=teacher)
    _answered(question, student, pick=0)
    data = question_form(
        question.passage,
        kind=QuestionKind.NUMERIC,
        numeric_answer="84",
        key=question.key,
        initial_choices=list(question.choices.order_by("position")),
    )
    for index in range(4):
        data[f"choices-{index}-DELETE"] = "on"
    response = teacher_client.post(reverse("admin:quiz_question_change", args=[question.pk]), data)
    assert "its kind cannot change" in errors_of(response)
    question.refresh_from_db()
    assert question.kind == QuestionKind.SINGLE


def test_answered_question_cannot_be_deleted(teacher_client, student, teacher):
    question = QuestionFactory(author=teacher)
    _answered(question, student, pick=0)
    response = teacher_client.post(reverse("admin:quiz_question_delete", args=[question.pk]), {"post": "yes"})
    assert response.status_code == 200
    assert "Cannot delete question" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


# ---------------------------------------------------------------- the question list


def test_list_shows_times_answered_and_percent_correct(teacher_client, student, other_student):
    question = QuestionFactory(prompt="Counted question")
    _answered(question, student, pick=0)
    _answered(question, other_student, pick=1)
    _answered(question, UserFactory(), pick=0)
    QuestionFactory(prompt="Never answered")
    page = teacher_client.get(CHANGELIST_URL + "?o=5").content.decode()
    row = re.search(r"Counted question.*?</tr>", page, flags=re.S).group(0)
    assert '<td class="field-answered_column">3</td>' in row
    assert '<td class="field-correct_column">67%</td>' in row
    empty = re.search(r"Never answered.*?</tr>", page, flags=re.S).group(0)
    assert '<td class="field-answered_column">0</td>' in empty and '<td class="field-correct_column">—</td>' in empty


def test_list_queries_stay_constant_as_questions_and_answers_grow(teacher_client, django_assert_max_num_queries):
    QuizFactory(questions=3)
    teacher_client.get(CHANGELIST_URL)
    with CaptureQueriesContext(connection) as few:
        teacher_client.get(CHANGELIST_URL)
    for _ in range(3):
        quiz = QuizFactory(questions=8)
        for student in UserFactory.create_batch(3):
            attempt = attempt_start(quiz=quiz, student=student)
            for question in quiz.questions.all():
                choices = list(question.choices.all())
                response_record(
                    attempt=attempt,
                    question=question,
                    choices=choices,
                    answer=SubmittedAnswer(choice_ids=frozenset({choices[0].pk})),
                )
    assert Response.objects.count() == 72
    # session, user, permissions, result count, total count, the page of questions with
    # their stats as subqueries, and one query per filter's choices (source, passage, quiz, author).
    with django_assert_max_num_queries(len(few)):
        page = teacher_client.get(CHANGELIST_URL)
    assert page.status_code == 200 and len(few) <= 14


def test_list_filters_by_quiz_and_source_and_searches_quotes(teacher_client):
    in_quiz = QuestionFactory(prompt="Inside the quiz", quote="imports of GPUs")
    outside = QuestionFactory(prompt="Outside the quiz")
    quiz = QuizFactory(questions=[in_quiz])
    by_quiz = teacher_client.get(CHANGELIST_URL + f"?quizzes__id__exact={quiz.pk}").content.decode()
    assert "Inside the quiz" in by_quiz and "Outside the quiz" not in by_quiz
    by_source = teacher_client.get(
        CHANGELIST_URL + f"?passage__source__id__exact={outside.passage.source_id}"
    ).content.decode()
    assert "Outside the quiz" in by_source and "Inside the quiz" not in by_source
    searched = teacher_client.get(CHANGELIST_URL + "?q=imports+of+GPUs").content.decode()
    assert "Inside the quiz" in searched and "Outside the quiz" not in searched


# ---------------------------------------------------------------- bulk actions


def test_publish_and_unpublish_actions(teacher_client, teacher):
    questions = QuestionFactory.create_batch(2, is_published=False, author=teacher)
    ids = [q.pk for q in questions]
    teacher_client.post(CHANGELIST_URL, {"action": "publish", "_selected_action": ids})
    assert Question.objects.filter(is_published=True).count() == 2
    teacher_client.post(CHANGELIST_URL, {"action": "unpublish", "_selected_action": ids[:1]})
    assert list(Question.objects.filter(is_published=False).values_list("pk", flat=True)) == ids[:1]


def test_duplicate_action_copies_question_and_choices_unpublished(teacher_client, teacher):
    original = QuestionFactory(key="gpu-drop")
    teacher_client.post(CHANGELIST_URL, {"action": "duplicate", "_selected_action": [original.pk]})
    teacher_client.post(CHANGELIST_URL, {"action": "duplicate", "_selected_action": [original.pk]})
    first, second = Question.objects.get(key="gpu-drop-copy"), Question.objects.get(key="gpu-drop-copy-2")
    for copy in (first, second):
        assert not copy.is_published and copy.author == teacher
        assert (copy.prompt, copy.quote, copy.passage_id) == (original.prompt, original.quote, original.passage_id)
        assert list(copy.choices.values_list("position", "text", "is_correct")) == list(
            original.choices.values_list("position", "text", "is_correct")
        )
    assert Choice.objects.count() == 12


def test_add_to_quiz_action_asks_for_the_quiz_then_appends_new_questions(teacher_client, teacher):
    present = QuestionFactory(author=teacher)
    quiz = QuizFactory(owner=teacher, questions=[present])
    new = QuestionFactory.create_batch(2, author=teacher)
    selected = [present.pk] + [q.pk for q in new]
    page = teacher_client.post(CHANGELIST_URL, {"action": "add_to_quiz", "_selected_action": selected})
    assert page.status_code == 200 and "Add to the quiz" in page.content.decode()
    assert QuizQuestion.objects.count() == 1

    done = teacher_client.post(
        CHANGELIST_URL,
        {"action": "add_to_quiz", "_selected_action": selected, "quiz": quiz.pk, "apply": "1"},
        follow=True,
    )
    assert f"Added 2 question(s) to “{quiz.title}” (1 already in it)." in done.content.decode()
    assert list(quiz.quiz_questions.values_list("question_id", "position")) == [
        (present.pk, 1),
        (new[0].pk, 2),
        (new[1].pk, 3),
    ]


# ---------------------------------------------------------------- preview


def test_preview_shows_the_question_as_a_student_sees_it(teacher_client):
    question = QuestionFactory(prompt="How far did imports fall?")
    url = reverse("admin:quiz_question_preview", args=[question.pk])
    page = teacher_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<h1 id="question-heading" class="prompt" tabindex="-1">How far did imports fall?</h1>' in html
    assert 'class="preview-banner"' in html and "Nothing is saved." in html
    for choice in question.choices.all():
        assert f'value="{choice.pk}"' in html
    assert f'hx-post="{url}"' in html


def test_preview_answer_shows_the_feedback_and_citation_and_saves_nothing(teacher_client):
    question = QuestionFactory()
    right = question.choices.get(is_correct=True)
    url = reverse("admin:quiz_question_preview", args=[question.pk])
    page = teacher_client.post(url, {"choice": right.pk})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Correct" in html and "Feedback on 84 percent." in html
    assert "“plummeted by 84 percent”" in html and question.explanation in html
    assert not Response.objects.exists()


def test_preview_in_htmx_returns_only_the_panel(teacher_client):
    question = QuestionFactory()
    wrong = question.choices.filter(is_correct=False).first()
    url = reverse("admin:quiz_question_preview", args=[question.pk])
    fragment = teacher_client.post(url, {"choice": wrong.pk}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section id="question-panel"')
    assert "Wrong" in fragment and "<html" not in fragment


def test_preview_of_an_unanswerable_form_says_what_is_missing(teacher_client):
    question = QuestionFactory(numeric=True)
    url = reverse("admin:quiz_question_preview", args=[question.pk])
    page = teacher_client.post(url, {"answer": "lots"}, headers={"HX-Request": "true"})
    assert page.status_code == 422
    assert "Type a number, such as 84 or 100,000." in page.content.decode()


def test_preview_of_a_missing_question_is_404(teacher_client):
    assert teacher_client.get(reverse("admin:quiz_question_preview", args=[999999])).status_code == 404


# ---------------------------------------------------------------- quizzes


def _quiz_form(quiz, links, **overrides) -> dict:
    data = {
        "title": quiz.title,
        "slug": quiz.slug,
        "description": "",
        "shuffle_questions": "on",
        "feedback_mode": "immediate",
        "time_limit_minutes": "",
        "attempts_allowed": "",
        "grading_method": "best",
        "pass_mark": "60",
        "review_answers": "after_attempt",
        "review_key": "no_attempts_left",
        "review_feedback": "no_attempts_left",
        "is_published": "on",
        "opens_at_0": "",
        "opens_at_1": "",
        "closes_at_0": "",
        "closes_at_1": "",
        "quiz_questions-TOTAL_FORMS": str(len(links)),
        "quiz_questions-INITIAL_FORMS": str(sum(1 for link in links if link[0])),
        "quiz_questions-MIN_NUM_FORMS": "0",
        "quiz_questions-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, question_id, position) in enumerate(links):
        data |= {
            f"quiz_questions-{index}-id": str(pk or ""),
            f"quiz_questions-{index}-quiz": str(quiz.pk),
            f"quiz_questions-{index}-question": str(question_id),
            f"quiz_questions-{index}-position": str(position),
        }
    return data | overrides


def test_quiz_form_orders_questions_and_puts_position_zero_last(teacher_client, teacher):
    first, second = QuestionFactory.create_batch(2, author=teacher)
    quiz = QuizFactory(owner=teacher, questions=[first, second])
    added = QuestionFactory(author=teacher)
    links = [(link.pk, link.question_id, link.position) for link in quiz.quiz_questions.order_by("position")]
    data = _quiz_form(quiz, [(links[0][0], first.pk, 2), (links[1][0], second.pk, 1), ("", added.pk, 0)])
    response = teacher_client.post(reverse("admin:quiz_quiz_change", args=[quiz.pk]), data)
    assert response.status_code == 302, errors_of(response)
    assert list(quiz.quiz_questions.order_by("position").values_list("question_id", flat=True)) == [
        second.pk,
        first.pk,
        added.pk,
    ]


def test_quiz_form_refuses_closing_before_opening(teacher_client, teacher):
    quiz = QuizFactory(owner=teacher)
    data = _quiz_form(
        quiz, [], opens_at_0="2026-09-02", opens_at_1="08:00", closes_at_0="2026-09-01", closes_at_1="08:00"
    )
    response = teacher_client.post(reverse("admin:quiz_quiz_change", args=[quiz.pk]), data)
    assert "The quiz must close after it opens." in errors_of(response)


def test_quiz_page_links_to_playing_it_once_published(teacher_client):
    quiz = QuizFactory(questions=1, is_published=False)
    url = reverse("admin:quiz_quiz_change", args=[quiz.pk])
    assert "Publish the quiz to play it as a student would." in teacher_client.get(url).content.decode()
    quiz.is_published = True
    quiz.save()
    assert f'href="{quiz.get_absolute_url()}">Play' in teacher_client.get(url).content.decode()


def test_quiz_page_queries_do_not_grow_with_its_questions(teacher_client, django_assert_max_num_queries, teacher):
    quiz = QuizFactory(owner=teacher, questions=2)
    url = reverse("admin:quiz_quiz_change", args=[quiz.pk])
    teacher_client.get(url)
    with CaptureQueriesContext(connection) as few:
        teacher_client.get(url)
    for position, question in enumerate(QuestionFactory.create_batch(25), start=3):
        QuizQuestion.objects.create(quiz=quiz, question=question, position=position)
    # The chosen question of every row is labelled from one query, not one per row.
    with django_assert_max_num_queries(len(few)):
        assert teacher_client.get(url).status_code == 200


def test_quiz_list_counts_questions_in_one_query(teacher_client, django_assert_max_num_queries):
    QuizFactory(questions=3)
    teacher_client.get(reverse("admin:quiz_quiz_changelist"))
    with CaptureQueriesContext(connection) as few:
        teacher_client.get(reverse("admin:quiz_quiz_changelist"))
    QuizFactory.create_batch(5, questions=2)
    with django_assert_max_num_queries(len(few)):
        page = teacher_client.get(reverse("admin:quiz_quiz_changelist"))
    assert '<td class="field-question_count">3</td>' in page.content.decode()


# ---------------------------------------------------------------- sources and passages


ARTICLE = (
    "A Title For The Test\n\nA heading here\n\n• A summary point about chips.\n\n"
    "The first paragraph mentions smuggled chips.\n\nThe second paragraph is about talent.\n"
)


def _source_form(**overrides) -> dict:
    return {
        "title": "Pasted source",
        "slug": "pasted-source",
        "publisher": "",
        "url": "",
        "published_on": "",
        "text": ARTICLE,
        "passages-TOTAL_FORMS": "0",
        "passages-INITIAL_FORMS": "0",
        "passages-MIN_NUM_FORMS": "0",
        "passages-MAX_NUM_FORMS": "1000",
    } | overrides


def test_pasted_source_is_split_into_passages(teacher_client):
    response = teacher_client.post(reverse("admin:content_source_add"), _source_form(), follow=True)
    assert "The text was split into 5 passages" in response.content.decode()
    source = Source.objects.get(slug="pasted-source")
    assert list(source.passages.values_list("position", "kind")) == [
        (1, "title"),
        (2, "heading"),
        (3, "summary_point"),
        (4, "paragraph"),
        (5, "paragraph"),
    ]


def _cited_source(owner=None):
    source = Source.objects.create(slug="cited", title="Cited", text=ARTICLE, owner=owner)
    from content.loading import sync_passages

    sync_passages(source)
    passage = source.passages.get(position=4)
    question = QuestionFactory(key="smuggled", passage=passage, quote="smuggled chips", author=owner)
    return source, passage, question


def _passage_rows(source, changes: dict[int, str]) -> dict:
    passages = list(source.passages.order_by("position"))
    data = {"passages-TOTAL_FORMS": str(len(passages)), "passages-INITIAL_FORMS": str(len(passages))}
    for index, passage in enumerate(passages):
        data |= {
            f"passages-{index}-id": str(passage.pk),
            f"passages-{index}-source": str(source.pk),
            f"passages-{index}-position": str(passage.position),
            f"passages-{index}-kind": passage.kind,
            f"passages-{index}-text": changes.get(passage.position, passage.text),
        }
    return data


def test_passage_edit_that_breaks_a_quote_is_refused_with_the_question_named(teacher_client, teacher):
    source, passage, question = _cited_source(teacher)
    data = _source_form(slug="cited", title="Cited") | _passage_rows(source, {4: "The first paragraph mentions chips."})
    response = teacher_client.post(reverse("admin:content_source_change", args=[source.pk]), data)
    assert response.status_code == 200
    assert "This edit would break citations, so it was not saved: “smuggled” (quotes “smuggled chips”)" in errors_of(
        response
    )
    passage.refresh_from_db()
    assert passage.text == "The first paragraph mentions smuggled chips."


def test_passage_edit_keeping_the_quote_is_saved_and_flagged_for_a_recheck(teacher_client, teacher):
    source, passage, question = _cited_source(teacher)
    url = reverse("admin:content_passage_change", args=[passage.pk])
    response = teacher_client.post(
        url, {"kind": "paragraph", "text": "The first paragraph now mentions smuggled chips twice."}
    )
    assert response.status_code == 302
    check = teacher_client.get(reverse("admin:quiz_question_citations")).content.decode()
    assert "Passages changed since their citations were checked (1)" in check and "smuggled" in check


def test_passage_keeps_its_position(teacher_client, teacher):
    source, passage, question = _cited_source(teacher)
    data = _source_form(slug="cited", title="Cited") | _passage_rows(source, {})
    data["passages-3-position"] = "9"
    response = teacher_client.post(reverse("admin:content_source_change", args=[source.pk]), data)
    assert "A passage keeps its position" in errors_of(response)


def test_source_text_change_that_breaks_a_citation_is_refused(teacher_client, teacher):
    source, passage, question = _cited_source(teacher)
    new_text = ARTICLE.replace("mentions smuggled chips", "mentions imported chips")
    data = _source_form(slug="cited", title="Cited", text=new_text) | _passage_rows(source, {})
    response = teacher_client.post(reverse("admin:content_source_change", args=[source.pk]), data)
    assert (
        "This change would break citations, so it was not saved: "
        "“smuggled” (paragraph 4 would no longer contain its quote)" in errors_of(response)
    )
    source.refresh_from_db()
    assert "smuggled" in source.text


def test_source_text_change_that_keeps_citations_resplits_the_passages(teacher_client, teacher):
    source, passage, question = _cited_source(teacher)
    new_text = ARTICLE + "\nA third paragraph, added later.\n"
    data = _source_form(slug="cited", title="Cited", text=new_text) | _passage_rows(source, {})
    response = teacher_client.post(reverse("admin:content_source_change", args=[source.pk]), data)
    assert response.status_code == 302
    assert source.passages.count() == 6
    passage.refresh_from_db()
    assert passage.pk == question.passage_id and "smuggled chips" in passage.text


def test_source_text_and_passages_cannot_change_in_the_same_save(teacher_client, teacher):
    source, passage, question = _cited_source(teacher)
    data = _source_form(slug="cited", title="Cited", text=ARTICLE + "\nMore.\n") | _passage_rows(source, {5: "Edited."})
    response = teacher_client.post(reverse("admin:content_source_change", args=[source.pk]), data)
    assert "You changed the source text and corrected passages in the same save." in response.content.decode()


@pytest.mark.parametrize(
    "bounds, message",
    [
        ({"numeric_min": "90", "numeric_max": "85"}, "The highest accepted value (85) is below the lowest (90)."),
        ({"numeric_max": "80"}, "The right value 84 is above the highest accepted value (80)."),
        ({"numeric_min": "85"}, "The right value 84 is below the lowest accepted value (85)."),
    ],
)
def test_a_numeric_range_must_hold_together_and_contain_the_right_value(teacher_client, passage, bounds, message):
    data = question_form(passage, kind=QuestionKind.NUMERIC, numeric_answer="84", **bounds)
    response = teacher_client.post(reverse("admin:quiz_question_add"), data)
    assert message in errors_of(response)
    assert not Question.objects.exists()


def test_a_one_sided_range_and_the_short_text_rules_are_saved_from_the_form(teacher_client, passage):
    data = question_form(passage, kind=QuestionKind.NUMERIC, numeric_answer="84", numeric_min="80")
    teacher_client.post(reverse("admin:quiz_question_add"), data)
    question = Question.objects.get()
    assert (question.numeric_min, question.numeric_max) == (80, None)
    data = question_form(
        passage, kind=QuestionKind.SHORT_TEXT, accepted_answers="Grigorenko", key="overseer", allow_typos=None
    )
    teacher_client.post(reverse("admin:quiz_question_add"), data)
    short = Question.objects.get(key="overseer")
    assert (short.match_whole_words, short.allow_typos, short.read_other_scripts) == (True, False, True)
