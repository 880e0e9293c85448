"""Who may open what: every URL of the site × six kinds of visitor × both shapes.

One table. Each row is a URL (with its method and body) and what each visitor
gets: ``OK`` (2xx), ``LOGIN`` (sent to a log-in page), ``AWAY`` (sent elsewhere,
by a redirect or htmx's HX-Redirect), or a status code. The visitors:

- anonymous
- student: Alice, who owns the attempts and sits in Tess's class
- other_student: Bob, in the same class, who must still not see Alice's attempts
- other_teacher: Olga, who teaches another class
- teacher: Tess, Alice's teacher
- superuser

Every row runs as a plain request and as an htmx one (``HX-Request: true``). The world
(users, quizzes, classes, attempts) is built once for the module and committed; each
case runs in a transaction that is rolled back afterwards, so what one case writes
never reaches the next. A guard test fails when a URL of the site has no row here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from content.models import Source
from quiz.models import Assignment, Attempt, Classroom, Question, Quiz, SubmittedAnswer
from quiz.services import attempt_finish, attempt_start, response_record
from tests.conftest import HTMX, MODEL_BACKEND
from tests.factories import ClassroomFactory, QuestionFactory, QuizFactory, TeacherFactory, UserFactory
from tests.test_admin_authoring import question_form
from tests.test_ownership import closing_yesterday, source_form

OK, LOGIN, AWAY = "ok", "login", "away"
ROLES = ["anonymous", "student", "other_student", "other_teacher", "teacher", "superuser"]


@dataclass
class World:
    users: dict
    quiz: object
    other_quiz: object
    unpublished: object
    question: object
    source: object
    in_progress: Attempt
    finished: Attempt
    classroom: object
    other_classroom: object
    own_source: object  # Tess's own source, with one draft and a finished drafting job
    draft: object
    job: object

    def choice_for(self, position: int) -> str:
        return str(self.in_progress.choice_order[str(self.in_progress.question_ids[position - 1])][0])


def build_world() -> World:
    teacher = TeacherFactory(username="tess")
    other_teacher = TeacherFactory(username="olga")
    student, other_student = UserFactory(username="alice"), UserFactory(username="bob")
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    question = QuestionFactory()
    quiz = QuizFactory(questions=[question, QuestionFactory()])
    other_quiz = QuizFactory(questions=1)
    classroom = ClassroomFactory(teacher=teacher)
    classroom.students.add(student, other_student)
    other_classroom = ClassroomFactory(teacher=other_teacher)
    other_classroom.students.add(UserFactory(username="carl"))
    for assigned in (quiz, other_quiz):
        Assignment.objects.create(classroom=classroom, quiz=assigned)
    finished = attempt_finish(attempt=attempt_start(quiz=other_quiz, student=student))
    # Ownership: Tess wrote the question and the quiz her class takes, and brought in the source;
    # the other quiz her class takes is Olga's.
    question.author = teacher
    question.save(update_fields=["author"])
    Quiz.objects.filter(pk=quiz.pk).update(owner=teacher)
    Quiz.objects.filter(pk=other_quiz.pk).update(owner=other_teacher)
    Source.objects.filter(pk=question.passage.source_id).update(owner=teacher)
    quiz.refresh_from_db()
    other_quiz.refresh_from_db()
    own_source, draft, job = _drafted_source(teacher)
    return World(
        users={
            "anonymous": None,
            "student": student,
            "other_student": other_student,
            "other_teacher": other_teacher,
            "teacher": teacher,
            "superuser": superuser,
        },
        quiz=quiz,
        other_quiz=other_quiz,
        unpublished=QuizFactory(questions=1, is_published=False),
        question=question,
        source=Source.objects.get(pk=question.passage.source_id),
        in_progress=attempt_start(quiz=quiz, student=student),
        finished=finished,
        classroom=classroom,
        other_classroom=other_classroom,
        own_source=own_source,
        draft=draft,
        job=job,
    )


def _drafted_source(teacher):
    from content.models import Passage
    from drafting.models import Draft, DraftingJob, JobStatus

    source = Source.objects.create(slug="tess-own", title="Tess's own", text="Ferries carry 120 cars.", owner=teacher)
    passage = Passage.objects.create(source=source, position=1, kind="paragraph", text="Ferries carry 120 cars.")
    question = QuestionFactory(passage=passage, quote="carry 120 cars", is_published=False, author=teacher)
    job = DraftingJob.objects.create(source=source, engine="offline", status=JobStatus.DONE, passages_total=1)
    draft = Draft.objects.create(question=question, source=source, job=job, engine="offline", rule="test.rule")
    return source, draft, job


def alices_card(world: World, *, practised: bool = False):
    """Alice's review card for the world's question, made when a row first asks; practised once if asked."""
    from django.utils import timezone
    from fsrs import Rating

    from practice import services
    from practice.models import Card
    from quiz.models import SubmittedAnswer

    card = Card.objects.filter(student=world.users["student"], question=world.question).first()
    if card is None:
        card = Card.first_review(
            student_id=world.users["student"].pk, question_id=world.question.pk, rating=Rating.Again, now=timezone.now()
        )
        card.save()
    if practised and card.reps == 1:
        choices = list(world.question.choices.all())
        answer = SubmittedAnswer(choice_ids=frozenset({choices[0].pk}))
        services.review_record(
            card=card, question=world.question, choices=choices, answer=answer, guessed=False, now=timezone.now()
        )
    return card


def clear_world() -> None:
    """Remove every row a world is made of (children first), leaving the database as migrations left it."""
    Attempt.objects.all().delete()
    Classroom.objects.all().delete()
    Quiz.objects.all().delete()
    Question.objects.all().delete()
    Source.objects.all().delete()
    get_user_model().objects.all().delete()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the whole table, outside the per-test transactions, removed at the end."""
    with django_db_blocker.unblock():
        clear_world()  # a run stopped half-way may have left one behind in a reused database
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        clear_world()


@dataclass
class Row:
    route: str  # the URL's name, so the guard can tell which routes have rows
    path: Callable[[World], str]
    expect: dict  # role → outcome, or role → (plain outcome, htmx outcome)
    method: str = "get"
    data: Callable[[World], dict] = field(default=lambda w: {})
    leak: str = ""  # a known weakness in another part of the site: the row is a strict xfail until fixed


def everyone(outcome, **overrides) -> dict:
    return {role: overrides.get(role, outcome) for role in ROLES}


def owner_only(owner_outcome) -> dict:
    """Attempts are Alice's alone: everyone else gets a 404, as if it did not exist."""
    return everyone(404, anonymous=LOGIN, student=owner_outcome)


def teachers(outcome, *, others=None, superuser=None) -> dict:
    """Teacher pages: students get a 403 that says why; another teacher's class is a 404."""
    return everyone(
        403,
        anonymous=LOGIN,
        other_teacher=outcome if others is None else others,
        teacher=outcome,
        superuser=outcome if superuser is None else superuser,
    )


def admin(outcome, **overrides) -> dict:
    """The admin: students are not staff, so they are sent to its log-in page like strangers."""
    return everyone(outcome, **{"anonymous": LOGIN, "student": LOGIN, "other_student": LOGIN, **overrides})


def _alices_answer(w: World) -> str:
    """The mark page of an answer of Alice's in Tess's class (the answer is made inside the case's transaction)."""
    attempt = Attempt.objects.get(pk=w.in_progress.pk)
    question = Question.objects.get(pk=attempt.question_ids[0])
    choices = attempt.shown_choices(question.pk, question.choices.all())
    answer = SubmittedAnswer(choice_ids=frozenset({choices[0].pk}))
    response, _ = response_record(attempt=attempt, question=question, choices=choices, answer=answer)
    return reverse("response_mark", args=[w.classroom.pk, w.users["student"].pk, response.pk])


def _tess_short_answer_question(w: World) -> str:
    """Accepting a typed answer for a short-text question Tess wrote (made inside the case's transaction)."""
    question = QuestionFactory(short_text=True, author=w.users["teacher"])
    return reverse("accept_typed_answer", args=[question.pk])


POSTED = (AWAY, OK)  # post/redirect/get without htmx; the fragment itself with htmx
CLASS_PAGE = lambda w: w.classroom.pk  # noqa: E731

TABLE = [
    # The student's side
    Row("home", lambda w: reverse("home"), everyone(OK)),
    Row("quiz_detail", lambda w: reverse("quiz_detail", args=[w.quiz.slug]), everyone(OK)),
    Row("quiz_detail", lambda w: reverse("quiz_detail", args=[w.unpublished.slug]), everyone(404)),
    Row("quiz_start", lambda w: reverse("quiz_start", args=[w.quiz.slug]), everyone(AWAY, anonymous=LOGIN), "post"),
    Row(
        "quiz_start", lambda w: reverse("quiz_start", args=[w.unpublished.slug]), everyone(404, anonymous=LOGIN), "post"
    ),
    Row("attempt_question", lambda w: reverse("attempt_question", args=[w.in_progress.public_id]), owner_only(OK)),
    Row("attempt_answer", lambda w: reverse("attempt_answer", args=[w.in_progress.public_id, 1]), owner_only(OK)),
    Row(
        "attempt_answer",
        lambda w: reverse("attempt_answer", args=[w.in_progress.public_id, 1]),
        owner_only(POSTED),
        "post",
        lambda w: {"choice": w.choice_for(1)},
    ),
    Row(
        "attempt_flag", lambda w: reverse("attempt_flag", args=[w.in_progress.public_id, 1]), owner_only(POSTED), "post"
    ),
    Row("attempt_summary", lambda w: reverse("attempt_summary", args=[w.in_progress.public_id]), owner_only(OK)),
    Row(
        "attempt_submit", lambda w: reverse("attempt_submit", args=[w.in_progress.public_id]), owner_only(AWAY), "post"
    ),
    Row("attempt_results", lambda w: reverse("attempt_results", args=[w.finished.public_id]), owner_only(OK)),
    Row("attempt_results", lambda w: reverse("attempt_results", args=[w.in_progress.public_id]), owner_only(AWAY)),
    Row("my_progress", lambda w: reverse("my_progress"), everyone(OK, anonymous=LOGIN)),
    Row("source_reader", lambda w: reverse("source_reader", args=[w.source.slug]), everyone(OK)),
    Row("join_class", lambda w: reverse("join_class"), everyone(OK, anonymous=LOGIN)),
    Row(
        "join_class",
        lambda w: reverse("join_class"),
        everyone(POSTED, anonymous=LOGIN, teacher=422),
        "post",
        lambda w: {"join_code": w.classroom.join_code},
    ),
    # Accounts
    Row("signup", lambda w: reverse("signup"), everyone(AWAY, anonymous=OK)),
    Row("login", lambda w: reverse("login"), everyone(AWAY, anonymous=OK)),
    Row("logout", lambda w: reverse("logout"), everyone(AWAY), "post"),
    Row("password_reset", lambda w: reverse("password_reset"), everyone(OK)),
    Row("password_reset_done", lambda w: reverse("password_reset_done"), everyone(OK)),
    Row(
        "password_reset_confirm",
        lambda w: reverse("password_reset_confirm", args=["MQ", "not-a-token"]),
        everyone(OK),  # the page that says the link no longer works
    ),
    Row("password_reset_complete", lambda w: reverse("password_reset_complete"), everyone(OK)),
    Row("password_change", lambda w: reverse("password_change"), everyone(OK, anonymous=LOGIN)),
    Row("password_change_done", lambda w: reverse("password_change_done"), everyone(OK, anonymous=LOGIN)),
    Row("favicon", lambda w: reverse("favicon"), everyone(OK)),
    # The teacher's side
    Row("teach_dashboard", lambda w: reverse("teach_dashboard"), teachers(OK)),
    Row(
        "teach_dashboard",
        lambda w: f"{reverse('teach_dashboard')}?classroom={w.classroom.pk}",
        teachers(OK, others=404, superuser=404),
    ),
    Row("classroom_create", lambda w: reverse("classroom_create"), teachers(OK)),
    Row(
        "classroom_create", lambda w: reverse("classroom_create"), teachers(AWAY), "post", lambda w: {"name": "Year 12"}
    ),
    Row(
        "assignment_save",
        lambda w: reverse("assignment_save", args=[w.classroom.pk]),
        teachers(POSTED, others=404, superuser=404),
        "post",
        lambda w: {"quiz": w.quiz.pk},
    ),
    Row(
        "assignment_remove",
        lambda w: reverse("assignment_remove", args=[w.classroom.pk, w.quiz.pk]),
        teachers(POSTED, others=404, superuser=404),
        "post",
    ),
    Row(
        "gradebook_csv",
        lambda w: reverse("gradebook_csv", args=[w.classroom.pk]),
        teachers(OK, others=404, superuser=404),
    ),
    Row(
        "student_detail",
        lambda w: reverse("student_detail", args=[w.classroom.pk, w.users["student"].pk]),
        teachers(OK, others=404, superuser=404),
    ),
    Row(
        "student_detail",
        lambda w: reverse("student_detail", args=[w.classroom.pk, w.users["other_teacher"].pk]),
        teachers(404),
    ),
    Row(
        "student_extension",
        lambda w: reverse("student_extension", args=[w.classroom.pk, w.users["student"].pk]),
        teachers(AWAY, others=404, superuser=404),
        "post",
        lambda w: {"quiz": w.quiz.pk, "due_at": ""},
    ),
    Row(
        "student_password_reset",
        lambda w: reverse("student_password_reset", args=[w.classroom.pk, w.users["student"].pk]),
        teachers(AWAY, others=404, superuser=404),
        "post",
    ),
    Row(
        "quiz_statistics",
        lambda w: reverse("quiz_statistics", args=[w.quiz.slug]),
        teachers(OK, others=404, superuser=404),
    ),
    # Judging typed answers: a mark set by hand in one's own class; a near miss accepted by the question's author.
    Row("response_mark", _alices_answer, teachers(OK, others=404, superuser=404)),
    Row(
        "response_mark",
        _alices_answer,
        teachers(AWAY, others=404, superuser=404),
        "post",
        lambda w: {"points": "0", "comment": "Checked by hand"},
    ),
    Row(
        "accept_typed_answer",
        _tess_short_answer_question,
        teachers(AWAY, others=403),
        "post",
        lambda w: {"answer": "Something new"},
    ),
    Row(
        "quiz_statistics_csv",
        lambda w: reverse("quiz_statistics_csv", args=[w.quiz.slug]),
        teachers(OK, others=404, superuser=404),
    ),
    # Drafting: a teacher's own sources and their drafts; another teacher's are a 404 like unknown ones.
    Row("source_list", lambda w: reverse("source_list"), teachers(OK)),
    Row("source_new", lambda w: reverse("source_new"), teachers(OK)),
    Row("source_new", lambda w: reverse("source_new"), teachers(AWAY), "post", lambda w: {"text": "Title\n\nWords."}),
    # A preview lives in the session that made it: from any other session it does not exist.
    Row("intake_preview", lambda w: reverse("intake_preview", args=["not-mine"]), teachers(404)),
    Row("intake_block", lambda w: reverse("intake_block", args=["not-mine", 0]), teachers(404), "post"),
    Row("intake_save", lambda w: reverse("intake_save", args=["not-mine"]), teachers(404), "post"),
    Row("source_drafts", lambda w: reverse("source_drafts", args=[w.own_source.slug]), teachers(OK, others=404)),
    Row("draft_start", lambda w: reverse("draft_start", args=[w.own_source.slug]), teachers(AWAY, others=404), "post"),
    Row(
        "drafts_accept",
        lambda w: reverse("drafts_accept", args=[w.own_source.slug]),
        teachers(AWAY, others=404),
        "post",
        lambda w: {"all": "1"},
    ),
    Row(
        "draft_review",
        lambda w: reverse("draft_review", args=[w.own_source.slug, w.draft.pk, "accept"]),
        teachers(POSTED, others=404),
        "post",
    ),
    Row(
        "job_detail",
        lambda w: reverse("job_detail", args=[w.own_source.slug, w.job.pk]),
        teachers(OK, others=404),
    ),
    Row(
        "job_cancel",
        lambda w: reverse("job_cancel", args=[w.own_source.slug, w.job.pk]),
        teachers(POSTED, others=404),
        "post",
    ),
    Row(
        "quiz_make",
        lambda w: reverse("quiz_make", args=[w.own_source.slug]),
        teachers(AWAY, others=404),
        "post",
        lambda w: {"title": "Tess's quiz"},
    ),
    # Practice: a card and its reviews are Alice's alone; the switch is her teacher's.
    Row("practice_session", lambda w: reverse("practice_session"), everyone(OK, anonymous=LOGIN)),
    Row("practice_card", lambda w: reverse("practice_card", args=[alices_card(w).pk]), owner_only(OK)),
    Row(
        "practice_card",
        lambda w: reverse("practice_card", args=[alices_card(w).pk]),
        owner_only(POSTED),
        "post",
        lambda w: {"choice": str(w.question.choices.get(is_correct=True).pk), "reps": 1},
    ),
    Row(
        "practice_review",
        lambda w: reverse("practice_review", args=[alices_card(w, practised=True).pk, 2]),
        owner_only(OK),
    ),
    Row(
        "practice_pause",
        lambda w: reverse("practice_pause", args=[w.classroom.pk]),
        teachers(AWAY, others=404, superuser=404),
        "post",
        lambda w: {"paused": "on"},
    ),
    # The LMS connection (LTI 1.3): its public endpoints refuse what is not a real LMS's request.
    Row("lti_jwks", lambda w: reverse("lti_jwks"), everyone(OK)),
    Row("lti_login", lambda w: reverse("lti_login", args=["00000000-0000-0000-0000-000000000000"]), everyone(404)),
    Row("lti_launch", lambda w: reverse("lti_launch"), everyone(400), "post"),
    Row("lti_continue", lambda w: reverse("lti_continue", args=["forged"]), everyone(400)),
    Row("lti_register", lambda w: reverse("lti_register", args=["unknown"]), everyone(404)),
    Row("lti_deep_link_choose", lambda w: reverse("lti_deep_link_choose"), teachers(422), "post"),
    Row(
        "lti_grades",
        lambda w: reverse("lti_grades", args=[w.classroom.pk]),
        teachers(OK, others=404, superuser=404),
    ),
    # A class that did not come from an LMS has no roster there.
    Row("lti_roster", lambda w: reverse("lti_roster", args=[w.classroom.pk]), teachers(404), "post"),
    Row("lti_grade_resend", lambda w: reverse("lti_grade_resend", args=[999999]), teachers(404), "post"),
    # Authoring, in the admin: every teacher reads and uses the whole bank; changing it follows ownership.
    Row("admin:index", lambda w: reverse("admin:index"), admin(OK)),
    Row("admin:quiz_question_changelist", lambda w: reverse("admin:quiz_question_changelist"), admin(OK)),
    Row("admin:quiz_question_change", lambda w: reverse("admin:quiz_question_change", args=[w.question.pk]), admin(OK)),
    Row(
        "admin:quiz_question_preview", lambda w: reverse("admin:quiz_question_preview", args=[w.question.pk]), admin(OK)
    ),
    Row("admin:quiz_question_citations", lambda w: reverse("admin:quiz_question_citations"), admin(OK)),
    Row(
        "admin:quiz_question_regrade",
        lambda w: reverse("admin:quiz_question_regrade") + f"?ids={w.question.pk}",
        admin(OK),
    ),
    Row("admin:quiz_question_import", lambda w: reverse("admin:quiz_question_import"), admin(OK)),
    Row("admin:quiz_question_import", lambda w: reverse("admin:quiz_question_import"), admin(400), "post"),
    Row("admin:quiz_question_export", lambda w: reverse("admin:quiz_question_export"), admin(OK)),
    Row("admin:quiz_quiz_change", lambda w: reverse("admin:quiz_quiz_change", args=[w.quiz.pk]), admin(OK)),
    # Ownership: the owner (and a superuser) change; another teacher may only use, never change what a class sees.
    Row(
        "admin:quiz_quiz_change",
        lambda w: reverse("admin:quiz_quiz_change", args=[w.quiz.pk]),
        admin(AWAY, other_teacher=403),
        "post",
        lambda w: closing_yesterday(w.quiz),
    ),
    Row(
        "admin:quiz_quiz_change",
        lambda w: reverse("admin:quiz_quiz_change", args=[w.other_quiz.pk]),
        # Olga owns it, but it is assigned to Tess's class: only a superuser changes it now.
        admin(403, superuser=AWAY),
        "post",
        lambda w: closing_yesterday(w.other_quiz),
    ),
    Row(
        "admin:quiz_question_change",
        lambda w: reverse("admin:quiz_question_change", args=[w.question.pk]),
        admin(AWAY, other_teacher=403),
        "post",
        lambda w: question_form(
            w.question.passage, initial_choices=list(w.question.choices.order_by("position")), key=w.question.key
        ),
    ),
    Row(
        "admin:content_source_change",
        lambda w: reverse("admin:content_source_change", args=[w.source.pk]),
        admin(AWAY, other_teacher=403),
        "post",
        lambda w: source_form(w.source),
    ),
    # A regrade is open to every teacher, over their own students only (tests/test_ownership.py).
    Row(
        "admin:quiz_question_regrade",
        lambda w: reverse("admin:quiz_question_regrade"),
        admin(AWAY),
        "post",
        lambda w: {"ids": w.question.pk, "confirm": "yes"},
    ),
    Row("admin:auth_user_changelist", lambda w: reverse("admin:auth_user_changelist"), admin(403, superuser=OK)),
    # Students' own data in the admin: only their teacher (and the superuser) should read it.
    Row(
        "admin:quiz_attempt_change",
        lambda w: reverse("admin:quiz_attempt_change", args=[w.finished.pk]),
        # Outside a teacher's classes the admin treats the attempt as missing: back to its index.
        admin(OK) | {"other_teacher": AWAY},
    ),
    Row(
        "admin:quiz_classroom_change",
        lambda w: reverse("admin:quiz_classroom_change", args=[w.classroom.pk]),
        admin(OK) | {"other_teacher": AWAY},
    ),
]


def outcome(response) -> object:
    if response.status_code in (301, 302, 303):
        return LOGIN if "/login/" in response["Location"] else AWAY
    if response.has_header("HX-Redirect"):
        return AWAY
    return OK if response.status_code == 200 else response.status_code


def _cases():
    for index, row in enumerate(TABLE):
        for role in ROLES:
            for shape in ("plain", "htmx"):
                marks = (
                    [pytest.mark.xfail(reason=row.leak, strict=True)] if row.leak and role == "other_teacher" else []
                )
                yield pytest.param(row, role, shape, id=f"{index}-{row.route}-{row.method}-{role}-{shape}", marks=marks)


@pytest.mark.django_db
@pytest.mark.parametrize("row, role, shape", list(_cases()))
def test_every_url_for_every_visitor(world: World, row: Row, role: str, shape: str):
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role], backend=MODEL_BACKEND)
    headers = HTMX if shape == "htmx" else {}

    response = getattr(client, row.method)(row.path(world), row.data(world), **headers)

    expected = row.expect[role]
    if isinstance(expected, tuple):
        expected = expected[0] if shape == "plain" else expected[1]
    assert outcome(response) == expected, response.content.decode()[:500]


def _named_routes(patterns=None, namespace=""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_url_of_the_site_has_a_row_in_the_table():
    """The admin's generic model pages are represented by the rows above; every other route needs its own."""
    generic_admin = (
        "_changelist",
        "_add",
        "_history",
        "_delete",
        "_change",
        "_autocomplete",
        "app_list",
        "view_on_site",
    )
    admin_routes = {
        "admin:index",
        "admin:login",
        "admin:logout",
        "admin:password_change",
        "admin:password_change_done",
        "admin:jsi18n",
        "admin:autocomplete",
    }
    routes = {
        name
        for name in _named_routes()
        if not (name.startswith("admin:") and (name.endswith(generic_admin) or name in admin_routes))
    }
    assert routes - {row.route for row in TABLE} == set()
