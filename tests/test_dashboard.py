"""The teacher's class dashboard, quiz statistics and student drill-down."""

import math
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quiz.admin.regrade import regrade_apply
from quiz.models import Assignment, Choice, Extension, Question, SubmittedAnswer
from quiz.services import response_record
from tests.conftest import HTMX, logged_in_client
from tests.factories import ClassroomFactory, QuizFactory, TeacherFactory, UserFactory, sit_quiz

# Data set A of tests/test_stats.py: five attempts at three one-mark questions.
MARKS_A = {
    "s1": [True, True, True],
    "s2": [True, True, False],
    "s3": [True, False, False],
    "s4": [False, False, False],
    "s5": [True, True, False],
}


@pytest.fixture
def classroom(teacher):
    return ClassroomFactory(teacher=teacher, name="Room 4 Media Studies")


@pytest.fixture
def quiz(db):
    return QuizFactory(questions=3, title="Chips and Sanctions", slug="chips")


@pytest.fixture
def class_a(classroom, quiz):
    """The class with data set A sat on its one assigned quiz."""
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    for username, marks in MARKS_A.items():
        student = UserFactory(username=username)
        classroom.students.add(student)
        sit_quiz(quiz, student, marks)
    return classroom


@pytest.fixture
def outsider(db):
    return logged_in_client(TeacherFactory(username="olga"))


def dashboard_url(classroom=None, **params) -> str:
    query = {"classroom": classroom.pk, **params} if classroom else params
    return reverse("teach_dashboard") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def stats_url(quiz, **params) -> str:
    url = reverse("quiz_statistics", args=[quiz.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


# Access --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, class_a, quiz):
    student = class_a.students.first()
    for url in (
        dashboard_url(),
        stats_url(quiz),
        reverse("student_detail", args=[class_a.pk, student.pk]),
        reverse("gradebook_csv", args=[class_a.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_students_get_a_403_that_says_why(class_a, quiz, headers):
    me = class_a.students.get(username="s1")
    client = logged_in_client(me)
    for url in (
        dashboard_url(),
        stats_url(quiz),
        reverse("quiz_statistics_csv", args=[quiz.slug]),
        reverse("gradebook_csv", args=[class_a.pk]),
        reverse("student_detail", args=[class_a.pk, me.pk]),
    ):
        response = client.get(url, **headers)
        assert response.status_code == 403
        assert "only teachers can open them" in response.content.decode()
    assert b"<html" not in client.get(dashboard_url(), **HTMX).content


def test_another_teacher_cannot_open_the_class_by_guessing_its_id(class_a, quiz, outsider):
    student = class_a.students.first()
    for url in (
        dashboard_url(class_a),
        stats_url(quiz),
        stats_url(quiz, classroom=class_a.pk),
        reverse("student_detail", args=[class_a.pk, student.pk]),
        reverse("gradebook_csv", args=[class_a.pk]),
        reverse("quiz_statistics_csv", args=[quiz.slug]),
    ):
        assert outsider.get(url).status_code == 404, url
    assert outsider.get(dashboard_url(class_a), **HTMX).status_code == 404


def test_another_teacher_sees_only_their_own_classes(class_a, outsider):
    response = outsider.get(dashboard_url())
    assert response.status_code == 200
    assert "No classes yet" in response.content.decode()
    assert class_a.name not in response.content.decode()


def test_a_teacher_cannot_see_a_student_outside_the_class(teacher_client, class_a):
    stranger = UserFactory(username="stranger")
    response = teacher_client.get(reverse("student_detail", args=[class_a.pk, stranger.pk]))
    assert response.status_code == 404


def test_statistics_of_a_class_of_theirs_without_the_quiz_is_a_404(teacher, teacher_client, class_a, quiz):
    other_class = ClassroomFactory(teacher=teacher, name="Other class")
    assert teacher_client.get(stats_url(quiz, classroom=other_class.pk)).status_code == 404


# The class matrix ----------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_matrix_shows_each_students_best_score_and_attempts(teacher_client, class_a, quiz, headers):
    student = class_a.students.get(username="s2")
    sit_quiz(quiz, student, [True, True, True])  # a second, better attempt
    response = teacher_client.get(dashboard_url(class_a), **headers)
    assert response.status_code == 200
    rows = {row["student"].username: row["cells"][0] for row in response.context["rows"]}
    assert rows["s2"]["cell"].best_percent == pytest.approx(100)
    assert rows["s2"]["cell"].attempts == 2
    assert rows["s4"]["cell"].best_percent == 0
    page = response.content.decode()
    assert "2 attempts" in page and "100%" in page
    assert (b"<html" in response.content) == (not headers)
    assert 'id="dashboard"' in page


def test_class_summary_gives_average_best_and_completion(teacher_client, class_a, quiz):
    newcomer = UserFactory(username="s6")
    class_a.students.add(newcomer)
    response = teacher_client.get(dashboard_url(class_a))
    (summary,) = response.context["summaries"]
    # Best scores 3, 2, 1, 0, 2 out of 3 → mean 8/15 = 53.3%; 5 of 6 completed.
    assert summary.average_best == pytest.approx(800 / 15)
    assert summary.completed == 5 and summary.class_size == 6
    assert summary.completion_rate == pytest.approx(500 / 6)
    assert 'role="img"' in response.content.decode()
    assert '<title id="class-averages-title">' in response.content.decode()


def test_overdue_not_started_in_progress_and_late_are_told_apart(teacher_client, classroom, quiz):
    now = timezone.now()
    Assignment.objects.create(classroom=classroom, quiz=quiz, due_at=now - timedelta(days=1))
    upcoming = QuizFactory(questions=2, title="Upcoming")
    Assignment.objects.create(classroom=classroom, quiz=upcoming, due_at=now + timedelta(days=3))
    idle, halfway, late = UserFactory(username="idle"), UserFactory(username="halfway"), UserFactory(username="late")
    classroom.students.add(idle, halfway, late, through_defaults={"joined_at": now - timedelta(days=7)})
    sit_quiz(upcoming, halfway, [True])
    sit_quiz(quiz, late, [True, True, True], started_at=now - timedelta(hours=2))
    rows = {r["student"].username: r["cells"] for r in teacher_client.get(dashboard_url(classroom)).context["rows"]}
    assert [c["status"] for c in rows["idle"]] == ["overdue", "not started"]
    assert [c["status"] for c in rows["halfway"]] == ["overdue", "in progress"]
    assert [c["status"] for c in rows["late"]] == ["late", "not started"]


def test_a_student_who_joined_after_the_due_date_is_not_overdue(teacher_client, classroom, quiz):
    now = timezone.now()
    Assignment.objects.create(classroom=classroom, quiz=quiz, due_at=now - timedelta(days=1))
    classroom.students.add(UserFactory(username="newcomer"))  # joins now, after the due date
    classroom.students.add(UserFactory(username="before"), through_defaults={"joined_at": now - timedelta(days=9)})
    classroom.students.add(UserFactory(username="unknown"), through_defaults={"joined_at": None})
    response = teacher_client.get(dashboard_url(classroom))
    rows = {r["student"].username: r["cells"] for r in response.context["rows"]}
    assert rows["newcomer"][0]["status"] == "joined after due date"
    assert rows["before"][0]["status"] == "overdue"
    assert rows["unknown"][0]["status"] == "overdue"  # joined before the date was recorded
    assert "joined after due date" in response.content.decode()


def test_an_extension_moves_one_students_due_date(teacher_client, classroom, quiz):
    now = timezone.now()
    assignment = Assignment.objects.create(classroom=classroom, quiz=quiz, due_at=now - timedelta(days=1))
    ill, well = UserFactory(username="ill"), UserFactory(username="well")
    classroom.students.add(ill, well, through_defaults={"joined_at": now - timedelta(days=9)})
    url = reverse("student_extension", args=[classroom.pk, ill.pk])
    until = (timezone.localtime(now) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page = teacher_client.post(url, {"quiz": quiz.pk, "due_at": until}, follow=True).content.decode()
    assert "now due" in page
    assert Extension.objects.get(assignment=assignment, student=ill)
    response = teacher_client.get(dashboard_url(classroom))
    rows = {r["student"].username: r["cells"] for r in response.context["rows"]}
    assert rows["ill"][0]["status"] == "not started" and rows["ill"][0]["extended_to"] is not None
    assert rows["well"][0]["status"] == "overdue"
    # The student sees their own date.
    home = logged_in_client(ill).get("/").content.decode()
    assert "(your extension)" in home and "Overdue" not in home
    # A blank date removes the extension.
    teacher_client.post(url, {"quiz": quiz.pk, "due_at": ""})
    assert not Extension.objects.exists()


def test_extensions_are_only_for_the_classes_own_students_and_quizzes(teacher_client, classroom, quiz):
    outsider = UserFactory(username="outsider")
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    student = UserFactory(username="inside")
    classroom.students.add(student)
    assert (
        teacher_client.post(
            reverse("student_extension", args=[classroom.pk, outsider.pk]), {"quiz": quiz.pk}
        ).status_code
        == 404
    )
    other_quiz = QuizFactory(questions=1)
    response = teacher_client.post(
        reverse("student_extension", args=[classroom.pk, student.pk]), {"quiz": other_quiz.pk, "due_at": ""}
    )
    assert response.status_code == 404
    assert (
        logged_in_client(TeacherFactory(username="olga"))
        .post(reverse("student_extension", args=[classroom.pk, student.pk]), {"quiz": quiz.pk})
        .status_code
        == 404
    )


def test_quiz_filter_keeps_one_column_and_the_url_shareable(teacher_client, class_a, quiz):
    other = QuizFactory(questions=1, title="Other quiz")
    Assignment.objects.create(classroom=class_a, quiz=other)
    both = teacher_client.get(dashboard_url(class_a))
    assert len(both.context["shown"]) == 2
    one = teacher_client.get(dashboard_url(class_a, quiz=quiz.pk), **HTMX)
    assert [a.quiz for a in one.context["shown"]] == [quiz]
    assert f'value="{quiz.pk}" selected' in one.content.decode()
    assert 'hx-push-url="true"' in one.content.decode()


def test_a_quiz_of_another_class_in_the_filter_shows_every_quiz_with_a_note(teacher_client, class_a):
    stray = QuizFactory(questions=1)
    response = teacher_client.get(dashboard_url(class_a, quiz=stray.pk))
    assert response.status_code == 200
    assert "not assigned to this class" in response.content.decode()


def test_date_range_counts_only_attempts_started_in_it(teacher_client, class_a, quiz):
    today = timezone.localdate()
    later = (today + timedelta(days=1)).isoformat()
    response = teacher_client.get(dashboard_url(class_a, start=later))
    assert all(row["cells"][0]["cell"].attempts == 0 for row in response.context["rows"])
    response = teacher_client.get(
        dashboard_url(class_a, start=(today - timedelta(days=1)).isoformat(), end=today.isoformat())
    )
    assert all(row["cells"][0]["cell"].attempts == 1 for row in response.context["rows"])


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_bad_filters_get_a_422_with_a_sentence(teacher_client, class_a, headers):
    response = teacher_client.get(dashboard_url(class_a, start="yesterday"), **headers)
    assert response.status_code == 422
    assert "Enter a valid date" in response.content.decode()
    response = teacher_client.get(dashboard_url(class_a, start="2026-03-02", end="2026-03-01"), **headers)
    assert response.status_code == 422
    assert "end date is before the start date" in response.content.decode()


def test_students_are_paged(teacher_client, classroom, quiz):
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    classroom.students.add(*UserFactory.create_batch(53))
    first = teacher_client.get(dashboard_url(classroom))
    assert len(first.context["rows"]) == 50
    second = teacher_client.get(dashboard_url(classroom, page=2), **HTMX)
    assert len(second.context["rows"]) == 3
    assert "Students 51–53 of 53" in second.content.decode()


def grow_class(classroom, quizzes, students: int, attempts_each: int) -> None:
    for quiz in quizzes:
        Assignment.objects.get_or_create(classroom=classroom, quiz=quiz)
    for _ in range(students):
        student = UserFactory()
        classroom.students.add(student)
        for quiz in quizzes:
            for number in range(attempts_each):
                sit_quiz(quiz, student, [number % 2 == 0, True, False])


def test_dashboard_query_count_does_not_grow_with_students_quizzes_or_attempts(
    teacher_client, classroom, django_assert_num_queries
):
    small = [QuizFactory(questions=3)]
    grow_class(classroom, small, students=2, attempts_each=1)
    # session, user, Teachers group check, the teacher's classes, assignments, roster count,
    # one page of the roster (with each student's joining date), the matrix cells, the page's
    # extensions (one more: per-student due dates), started/completed per quiz, average best
    # per quiz, the published quizzes for the "Assign a quiz" form; practice: whether it is
    # paused, recall per passage, those passages, the most forgotten questions
    with django_assert_num_queries(16):
        teacher_client.get(dashboard_url(classroom))
    grow_class(classroom, small + [QuizFactory(questions=3), QuizFactory(questions=3)], students=8, attempts_each=2)
    with django_assert_num_queries(16):
        response = teacher_client.get(dashboard_url(classroom))
    assert len(response.context["rows"]) == 10 and len(response.context["shown"]) == 3


# Quiz statistics -----------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_statistics_match_the_hand_computed_data_set(teacher_client, class_a, quiz, headers):
    response = teacher_client.get(stats_url(quiz, classroom=class_a.pk), **headers)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.attempts == 5 and report.max_mark == 3
    # Totals 3, 2, 1, 0, 2 out of 3 (see tests/test_stats.py for the arithmetic).
    assert report.mean == pytest.approx(100 * 1.6 / 3)
    assert report.median == pytest.approx(100 * 2 / 3)
    assert report.standard_deviation == pytest.approx(100 * math.sqrt(1.3) / 3)
    assert report.skewness == pytest.approx(-0.404796, abs=1e-6)
    assert report.kurtosis == pytest.approx(-0.177515, abs=1e-6)
    assert report.internal_consistency == pytest.approx(69.2308, abs=1e-4)
    assert report.error_ratio == pytest.approx(55.4700, abs=1e-4)
    assert report.standard_error == pytest.approx(100 * math.sqrt(0.4) / 3)
    q1, q2, q3 = report.questions
    assert (q1.statistics.facility, q2.statistics.facility, q3.statistics.facility) == pytest.approx((80, 60, 20))
    assert q1.statistics.discrimination_index == pytest.approx(53.4522, abs=1e-4)
    assert q3.statistics.discrimination_index == pytest.approx(37.5)
    assert q1.statistics.discriminative_efficiency == pytest.approx(100)
    assert q1.random_guess_score == 25
    # Every answer came 30 seconds after the one before.
    assert q1.median_seconds == 30
    assert [b.count for b in report.histogram] == [1, 0, 0, 1, 0, 0, 2, 0, 0, 1]
    assert (b"<html" in response.content) == (not headers)
    assert 'id="stats"' in response.content.decode()


def test_statistics_show_each_questions_cognitive_level_and_facility_per_level(teacher_client, class_a, quiz):
    first, second, _ = [link.question for link in quiz.quiz_questions.order_by("position")]
    first.cognitive_level = second.cognitive_level = "analyse"
    first.save()
    second.save()
    response = teacher_client.get(stats_url(quiz))
    # Facilities 80, 60 (analyse) and 20 (remember).
    levels = [(level.label, level.questions, level.mean_facility) for level in response.context["report"].by_level]
    assert levels == [("Remember", 1, pytest.approx(20)), ("Analyse", 2, pytest.approx(70))]
    page = response.content.decode()
    assert "Single choice · Analyse · ¶" in page
    assert 'id="levels-heading">By cognitive level' in page


def test_distractor_analysis_splits_picks_by_top_and_bottom_third(teacher_client, class_a, quiz):
    report = teacher_client.get(stats_url(quiz)).context["report"]
    q1 = report.questions[0]
    right, first_wrong = q1.choices[0], q1.choices[1]
    assert q1.distractors.tallies[right.pk].picked == 4
    assert q1.distractors.tallies[first_wrong.pk].picked == 1
    # Five attempts: the top third is s1 alone (total 3), the bottom third s4 alone (total 0).
    assert q1.distractors.share_top(right.pk) == 100
    assert q1.distractors.share_bottom(first_wrong.pk) == 100


@pytest.fixture
def judge_small_samples(monkeypatch):
    """Flag questions even on the five attempts of data set A (below the real minimum)."""
    from quiz.reporting import stats

    monkeypatch.setattr(stats, "MIN_ATTEMPTS_TO_JUDGE", 1)


def test_a_flagged_question_links_to_the_admin_and_its_cited_passage(
    teacher_client, class_a, quiz, judge_small_samples
):
    response = teacher_client.get(stats_url(quiz))
    report = response.context["report"]
    # Q1 (facility 80%, discrimination 53) and Q2 are healthy. On Q3 four of five students
    # picked the same wrong choice (sit_quiz always picks the first wrong one) and one the key.
    assert [row.position for row in report.flagged] == [3]
    assert "wrong choice was picked more often" in report.flagged[0].reasons[0]
    page = response.content.decode()
    for row in report.flagged:
        assert reverse("admin:quiz_question_change", args=[row.question.pk]) in page
        assert row.question.citation_url().replace("&", "&amp;") in page


def test_a_distractor_picked_more_than_the_key_is_flagged(teacher_client, classroom, judge_small_samples):
    quiz = QuizFactory(questions=2, slug="tricky")
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    for index in range(6):
        student = UserFactory()
        classroom.students.add(student)
        sit_quiz(quiz, student, [index < 2, index % 2 == 0])
    report = teacher_client.get(stats_url(quiz)).context["report"]
    first = report.questions[0]
    assert any("wrong choice was picked more often" in reason for reason in first.reasons)
    assert first in report.flagged


def test_below_thirty_attempts_the_figures_are_greyed_and_nothing_is_flagged(teacher_client, class_a, quiz):
    response = teacher_client.get(stats_url(quiz))
    report = response.context["report"]
    assert report.attempts == 5 and report.too_few_to_judge
    assert report.flagged == [] and all(row.reasons == [] for row in report.questions)
    page = response.content.decode()
    assert "Too few attempts to judge." in page
    assert "no question is flagged until there are 30" in page
    assert '<div class="too-few">' in page
    assert "None flagged: too few attempts to judge." in page


def test_from_thirty_attempts_questions_are_judged(teacher_client, classroom):
    quiz = QuizFactory(questions=2, slug="thirty")
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    for index in range(30):
        student = UserFactory()
        classroom.students.add(student)
        sit_quiz(quiz, student, [index < 10, index % 2 == 0])  # Q1: a wrong choice beats the key
    response = teacher_client.get(stats_url(quiz))
    report = response.context["report"]
    assert not report.too_few_to_judge
    assert report.questions[0] in report.flagged
    assert "Too few attempts" not in response.content.decode()


def test_attempts_selector_chooses_first_highest_last_or_all(teacher_client, class_a, quiz):
    s4 = class_a.students.get(username="s4")
    sit_quiz(quiz, s4, [True, True, True])  # s4 scores 0 first, then 3
    sit_quiz(quiz, s4, [True, False, False])  # and 1 last
    means = {}
    for which in ("first", "highest", "last", "all"):
        report = teacher_client.get(stats_url(quiz, attempts=which)).context["report"]
        means[which] = (report.attempts, round(report.mean * 3 / 100, 4))
    assert means == {"first": (5, 1.6), "highest": (5, 2.2), "last": (5, 1.8), "all": (7, round(12 / 7, 4))}


def test_unknown_attempts_choice_is_a_422_with_a_sentence(teacher_client, class_a, quiz):
    response = teacher_client.get(stats_url(quiz, attempts="best"))
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()


def test_statistics_page_without_attempts_says_so(teacher_client, classroom, quiz):
    Assignment.objects.create(classroom=classroom, quiz=quiz)
    response = teacher_client.get(stats_url(quiz))
    assert response.status_code == 200
    assert "No finished attempts yet" in response.content.decode()


def test_statistics_cover_only_the_teachers_own_students(teacher_client, class_a, quiz):
    other_class = ClassroomFactory(name="Someone else's")
    Assignment.objects.create(classroom=other_class, quiz=quiz)
    stranger = UserFactory(username="stranger")
    other_class.students.add(stranger)
    sit_quiz(quiz, stranger, [True, True, True])
    assert teacher_client.get(stats_url(quiz)).context["report"].attempts == 5


def test_statistics_query_count_does_not_grow_with_students_or_attempts(
    teacher_client, classroom, django_assert_num_queries
):
    quiz = QuizFactory(questions=3, slug="growing")
    grow_class(classroom, [quiz], students=3, attempts_each=1)
    # session, user, Teachers group check, quiz, the teacher's classes with it; what the report
    # depends on: bank stamp, the analysed attempts (count, last, total), the quiz's questions, its
    # last regrade; then the report: quiz questions, their choices, attempts per total, responses
    # per (question, mark, total, choices picked), answer times per question
    with django_assert_num_queries(14):
        teacher_client.get(stats_url(quiz, attempts="all"))
    grow_class(classroom, [quiz], students=12, attempts_each=3)
    with django_assert_num_queries(14):
        response = teacher_client.get(stats_url(quiz, attempts="all"))
    assert response.context["report"].attempts == 3 + 36
    # Nothing changed since: the report comes from the cache, without its five queries.
    with django_assert_num_queries(9):
        again = teacher_client.get(stats_url(quiz, attempts="all"))
    assert again.context["report"].attempts == 3 + 36


def test_a_cached_statistics_report_gives_way_to_a_newly_finished_attempt(teacher_client, class_a, quiz):
    assert teacher_client.get(stats_url(quiz)).context["report"].attempts == 5
    latecomer = UserFactory(username="s6")
    class_a.students.add(latecomer)
    attempt = sit_quiz(quiz, latecomer, [True, True, None])
    assert teacher_client.get(stats_url(quiz)).context["report"].attempts == 5  # still answering
    question = Question.objects.get(pk=attempt.question_ids[2])
    choices = attempt.shown_choices(question.pk, question.choices.all())
    right = frozenset(c.pk for c in choices if c.is_correct)
    response_record(attempt=attempt, question=question, choices=choices, answer=SubmittedAnswer(choice_ids=right))
    # The last answer finished the attempt: the report now counts it.
    report = teacher_client.get(stats_url(quiz)).context["report"]
    assert report.attempts == 6 and report.mean == pytest.approx((8 + 3) / 18 * 100)


def test_a_regrade_renews_the_cached_statistics_report(teacher_client, teacher, class_a, quiz):
    question = Question.objects.get(pk=quiz.quiz_questions.order_by("position").first().question_id)
    right = question.choices.get(is_correct=True)
    wrong = question.choices.filter(is_correct=False).first()
    # The key was wrong: fixing it renews the bank stamp, but past answers keep their marks...
    Choice.objects.filter(pk=right.pk).update(is_correct=False)
    Choice.objects.filter(pk=wrong.pk).update(is_correct=True)
    before = teacher_client.get(stats_url(quiz)).context["report"]
    # ...until the regrade re-marks them, and the report follows.
    regrade_apply(questions=Question.objects.filter(pk=question.pk), by=teacher)
    after = teacher_client.get(stats_url(quiz)).context["report"]
    assert after.questions[0].statistics.facility != before.questions[0].statistics.facility
    assert after.mean != before.mean


# Student drill-down --------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["full page", "htmx"])
def test_drill_down_shows_every_answer_the_right_one_and_the_citation(teacher_client, class_a, quiz, headers):
    student = class_a.students.get(username="s3")
    unassigned = QuizFactory(questions=1, title="Not for this class")
    sit_quiz(unassigned, student, [True])
    response = teacher_client.get(reverse("student_detail", args=[class_a.pk, student.pk]), **headers)
    assert response.status_code == 200
    page = response.content.decode()
    assert [review["attempt"].quiz for review in response.context["reviews"]] == [quiz]
    assert page.count("Their answer") == 3
    assert page.count("Right answer") >= 3
    assert "plummeted by 84 percent" in page
    assert "Not for this class" not in page
    assert (b"<html" in response.content) == (not headers)


def test_drill_down_shows_unanswered_questions_from_the_bank(teacher_client, class_a, quiz):
    student = UserFactory(username="s7")
    class_a.students.add(student)
    sit_quiz(quiz, student, [True, None, None], finish=True)
    page = teacher_client.get(reverse("student_detail", args=[class_a.pk, student.pk])).content.decode()
    assert page.count("Not answered") == 2


def test_drill_down_query_count_does_not_grow_with_attempts(teacher_client, class_a, quiz, django_assert_num_queries):
    student = class_a.students.get(username="s1")
    url = reverse("student_detail", args=[class_a.pk, student.pk])
    # session, user, Teachers group check, the class, the student in it, assignments,
    # attempts, their responses, the student's extensions (one more, for the due-date forms)
    with django_assert_num_queries(9):
        teacher_client.get(url)
    for _ in range(4):
        sit_quiz(quiz, student, [True, False, True])
    with django_assert_num_queries(9):
        response = teacher_client.get(url)
    assert len(response.context["reviews"]) == 5
