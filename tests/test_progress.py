"""A student's progress page: scores over time, mastery per passage, missed questions."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import HTMX
from tests.factories import PassageFactory, QuestionFactory, QuizFactory, SourceFactory, sit_quiz


@pytest.fixture
def two_passage_quiz(db):
    """Questions 1-2 cite paragraph 1, question 3 cites paragraph 2, of one source."""
    source = SourceFactory(slug="article", title="The article")
    first = PassageFactory(source=source, position=1)
    second = PassageFactory(source=source, position=2)
    questions = [QuestionFactory(passage=first), QuestionFactory(passage=first), QuestionFactory(passage=second)]
    return QuizFactory(questions=questions, title="Chips")


def test_anonymous_visitors_log_in_first(client):
    response = client.get(reverse("my_progress"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_scores_over_time_are_drawn_with_a_text_equivalent(student_client, student, two_passage_quiz, headers):
    now = timezone.now()
    sit_quiz(two_passage_quiz, student, [False, False, True], started_at=now - timedelta(days=3))
    sit_quiz(two_passage_quiz, student, [True, True, True], started_at=now - timedelta(days=1))
    response = student_client.get(reverse("my_progress"), **headers)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<svg class="chart"' in page and 'role="img"' in page
    assert "2 finished attempts" in page and "Latest: 100% on Chips" in page
    assert page.count('class="chart-point"') == 2
    assert "33%" in page  # the first attempt, also in the table of attempts
    assert (b"<html" in response.content) == (not headers)


def test_mastery_uses_my_latest_answer_to_each_question(student_client, student, two_passage_quiz):
    now = timezone.now()
    sit_quiz(two_passage_quiz, student, [False, False, False], started_at=now - timedelta(days=2))
    sit_quiz(two_passage_quiz, student, [True, False, None], started_at=now - timedelta(days=1), finish=True)
    mastery = {item.passage.position: item for item in student_client.get(reverse("my_progress")).context["mastery"]}
    # Paragraph 1: latest answers right and wrong → 50%. Paragraph 2: only the old wrong one → 0%.
    assert (mastery[1].answered, mastery[1].question_total, mastery[1].mastery) == (2, 2, 50)
    assert mastery[1].level == "shaky"
    assert (mastery[2].answered, mastery[2].mastery, mastery[2].level) == (1, 0, "to revisit")


def test_passages_not_tried_yet_are_listed(student_client, two_passage_quiz):
    response = student_client.get(reverse("my_progress"))
    assert [item.level for item in response.context["mastery"]] == ["not tried yet", "not tried yet"]
    assert "You have tried 0 of 2 passages" in response.content.decode()


def test_missed_questions_show_the_right_answer_and_citation(student_client, student, two_passage_quiz):
    now = timezone.now()
    sit_quiz(two_passage_quiz, student, [False, False, True], started_at=now - timedelta(days=2))
    sit_quiz(two_passage_quiz, student, [True, False, True], started_at=now - timedelta(days=1))
    response = student_client.get(reverse("my_progress"))
    # Question 1 was missed, then answered right: only question 2 is still missed.
    assert response.context["missed"].paginator.count == 1
    page = response.content.decode()
    assert "My answer: <strong>48 percent</strong>" in page
    assert "The right answer: <strong>84 percent</strong>" in page
    assert "plummeted by 84 percent" in page and "Read it in the source" in page


def test_missed_questions_page_with_htmx(student_client, student, db):
    quiz = QuizFactory(questions=12)
    sit_quiz(quiz, student, [False] * 12)
    first = student_client.get(reverse("my_progress"))
    assert len(first.context["missed"].object_list) == 10
    second = student_client.get(reverse("my_progress") + "?missed_page=2", **HTMX)
    assert second.status_code == 200
    page = second.content.decode()
    assert page.lstrip().startswith('<section id="missed"')
    assert "11–12 of 12" in page
    assert 'href="/me/?missed_page=1#missed"' in page


def test_i_see_only_my_own_data(student_client, student, other_student, two_passage_quiz):
    sit_quiz(two_passage_quiz, other_student, [False, False, False])
    response = student_client.get(reverse("my_progress"))
    assert response.context["attempts"] == []
    assert response.context["missed"].paginator.count == 0
    assert all(item.mastery is None for item in response.context["mastery"])
    assert "Finish a quiz and your score will be drawn here" in response.content.decode()


def test_progress_query_count_does_not_grow_with_my_history(
    student_client, student, two_passage_quiz, django_assert_num_queries
):
    sit_quiz(two_passage_quiz, student, [True, False, True])
    # session, user, my attempts, missed count, one page of missed answers,
    # mastery per passage, passages with their question counts; practice: the navigation's
    # due count, recall per passage, those passages, the week's due counts
    with django_assert_num_queries(11):
        student_client.get(reverse("my_progress"))
    for _ in range(5):
        sit_quiz(two_passage_quiz, student, [False, True, False])
        sit_quiz(QuizFactory(questions=4), student, [True, False, True, False])
    with django_assert_num_queries(11):
        response = student_client.get(reverse("my_progress"))
    assert len(response.context["attempts"]) == 11
