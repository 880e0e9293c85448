"""Bad input never gives a 500, and what is refused leaves nothing behind.

Property-based tests post generated bodies (hypothesis; how many examples is the
profile's, see tests/conftest.py) to the endpoints that
take user input; explicit cases pin the kinds of bad input named in the brief:
missing fields, wrong types, huge strings, odd Unicode, ids of other objects,
negative or absurd numbers and malformed UUIDs.
"""

import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from quiz.models import Attempt, QuestionKind, Response
from quiz.services import attempt_start
from tests.conftest import HTMX
from tests.factories import QuestionFactory, QuizFactory, UserFactory

# Text a person (or an attacker) could send: any Unicode that UTF-8 can carry, NUL,
# right-to-left marks, combining characters and full-width digits included.
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
odd_strings = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "1\x00",
        "٨٤",
        "８４",
        "84\u200f",
        "e\u0301",
        "\ufeff84",
        "NaN",
        "Infinity",
        "-0",
        "1e309",
        "9" * 5000,
        "A" * 100_000,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "%00",
        "../../etc/passwd",
        "null",
        "[]",
        "{}",
    ]
)
numbers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
field_names = st.sampled_from(
    ["choice", "choices", "answer", "csrfmiddlewaretoken", "question", "attempt", "score", "is_correct", "position"]
) | st.text(max_size=20)


def values(known_ids: list[str]):
    single = any_text | odd_strings | numbers | st.sampled_from(known_ids)
    return single | st.lists(single, max_size=6)


RAW_CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "application/json",
    "text/plain; charset=latin-1",
    "application/x-www-form-urlencoded; charset=utf-16",
]


# ---------------------------------------------------------------- the answer endpoint


@pytest.fixture
def every_kind_attempt(db):
    """An attempt whose five questions are one of each kind, plus ids that belong elsewhere."""
    student = UserFactory(username="alice")
    questions = [
        QuestionFactory(),
        QuestionFactory(kind=QuestionKind.MULTIPLE),
        QuestionFactory(kind=QuestionKind.TRUE_FALSE),
        QuestionFactory(numeric=True),
        QuestionFactory(short_text=True),
    ]
    attempt = attempt_start(quiz=QuizFactory(questions=questions), student=student)
    stranger = QuestionFactory()
    others_attempt = attempt_start(quiz=QuizFactory(questions=1), student=UserFactory(username="bob"))
    client = Client()
    client.force_login(student)
    known_ids = [str(pk) for ids in attempt.choice_order.values() for pk in ids]
    known_ids += [str(choice.pk) for choice in stranger.choices.all()] + [str(stranger.pk), str(others_attempt.pk)]
    return attempt, client, known_ids


def _reset(attempt: Attempt) -> None:
    Response.objects.filter(attempt=attempt).delete()
    Attempt.objects.filter(pk=attempt.pk).update(answered_count=0, score=Decimal("0"), finished_at=None)


def _assert_stored_answer_is_sane(attempt: Attempt, position: int) -> None:
    stored = list(Response.objects.filter(attempt=attempt))
    assert len(stored) == 1
    response = stored[0]
    assert response.question_id == attempt.question_ids[position - 1]
    shown = set(attempt.choice_order.get(str(response.question_id), []))
    assert set(response.selected_choice_ids) <= shown
    assert "\x00" not in response.answer_text and len(response.answer_text) <= 200
    assert Decimal("0") <= response.fraction <= Decimal("1")


def _check_answer_post(attempt, client, position, status_code):
    assert status_code < 500
    if status_code >= 400:
        assert not Response.objects.filter(attempt=attempt).exists()
        attempt.refresh_from_db()
        assert attempt.answered_count == 0 and attempt.score == 0
    elif 1 <= position <= attempt.question_count:
        _assert_stored_answer_is_sane(attempt, position)


def test_generated_form_bodies_to_the_answer_endpoint_never_crash_or_store_rejected_input(every_kind_attempt):
    attempt, client, known_ids = every_kind_attempt

    @given(
        position=st.sampled_from([1, 2, 3, 4, 5]) | st.integers(min_value=0, max_value=10**20),
        body=st.dictionaries(field_names, values(known_ids), max_size=5),
        htmx=st.booleans(),
    )
    def post_generated_body(position, body, htmx):
        _reset(attempt)
        url = reverse("attempt_answer", args=[attempt.public_id, position])
        reply = client.post(url, body, **(HTMX if htmx else {}))
        _check_answer_post(attempt, client, position, reply.status_code)

    post_generated_body()


def test_generated_raw_bodies_to_the_answer_endpoint_never_crash_or_store_rejected_input(every_kind_attempt):
    attempt, client, _known_ids = every_kind_attempt

    @given(
        position=st.sampled_from([1, 2, 3, 4, 5]),
        raw=st.binary(max_size=3000)
        | st.sampled_from(
            [b"choice=%00", b"answer=%FF%FE", b"choices=1&choices=", b"--xyz\r\n", b"answer=" + b"9" * 5000]
        ),
        content_type=st.sampled_from(RAW_CONTENT_TYPES),
    )
    def post_raw_body(position, raw, content_type):
        _reset(attempt)
        url = reverse("attempt_answer", args=[attempt.public_id, position])
        reply = client.generic("POST", url, raw, content_type=content_type, **HTMX)
        _check_answer_post(attempt, client, position, reply.status_code)

    post_raw_body()


@pytest.mark.parametrize(
    "position, body, status, message",
    [
        (1, {}, 422, "Pick one answer."),
        (2, {}, 422, "Tick at least one answer."),
        (4, {}, 422, "Type a number."),
        (5, {}, 422, "Type your answer."),
        (1, {"choice": "not-a-number"}, 422, "not one of this question"),
        (1, {"choice": ["x", "-2"]}, 422, "not one of this question"),
        (1, {"choice": "-1"}, 422, "not one of this question"),
        (1, {"choice": str(10**40)}, 422, "not one of this question"),
        (1, {"choice": "１"}, 422, "not one of this question"),
        (2, {"choices": ["x", "y"]}, 422, "not one of this question"),
        (4, {"answer": "9" * 5000}, 422, "too long for a number"),
        (4, {"answer": "-1e309"}, 422, "Type a number"),
        (4, {"answer": "NaN"}, 422, "Type a number"),
        # Refused for the whole site before any view (config.middleware.refuse_nul_characters).
        (4, {"answer": "84\x00"}, 400, "NUL character"),
        (5, {"answer": "GPU\x00s"}, 400, "NUL character"),
        (5, {"answer": "x" * 100_000}, 422, "Keep your answer under 200 characters"),
        (5, {"answer": "   "}, 422, "Type your answer."),
    ],
)
def test_bad_answers_get_a_clear_message_and_store_nothing(every_kind_attempt, position, body, status, message):
    attempt, client, _known_ids = every_kind_attempt
    for headers in ({}, HTMX):
        reply = client.post(reverse("attempt_answer", args=[attempt.public_id, position]), body, **headers)
        assert reply.status_code == status
        assert message in reply.content.decode()
    assert not Response.objects.exists()


def test_a_choice_from_another_question_or_attempt_is_refused(every_kind_attempt):
    attempt, client, known_ids = every_kind_attempt
    own = set(map(str, attempt.choice_order[str(attempt.question_ids[0])]))
    for foreign in [pk for pk in known_ids if pk not in own]:
        reply = client.post(reverse("attempt_answer", args=[attempt.public_id, 1]), {"choice": foreign}, **HTMX)
        assert reply.status_code == 422
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/attempts/not-a-uuid/questions/1/",
        "/attempts/12345678-1234-1234-1234-1234567890/questions/1/",
        "/attempts/{uuid}/questions/-1/",
        "/attempts/{uuid}/questions/0/",
        "/attempts/{uuid}/questions/6/",
        "/attempts/{uuid}/questions/99999999999999999999999/",
        "/attempts/{uuid}/questions/1.5/",
        "/attempts/{random}/questions/1/",
        "/attempts/{random}/submit/",
        "/attempts/{random}/results/",
        "/attempts/%00/",
        "/quizzes/%00/start/",
        "/quizzes/no-such-quiz/start/",
    ],
)
def test_malformed_or_unknown_ids_in_the_address_are_404(every_kind_attempt, path):
    attempt, client, _known_ids = every_kind_attempt
    url = path.format(uuid=attempt.public_id, random=uuid.uuid4())
    assert client.post(url, {"choice": "1"}).status_code in (404, 405)
    assert client.get(url, **HTMX).status_code in (404, 405)
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    "query", ["?p=-1", "?p=99999999999999999999", "?p=x&quote=%00", "?quote=" + "a" * 10000, "?p=1&quote=%FF"]
)
def test_the_reader_shrugs_off_absurd_parameters(client, loaded_bank, query):
    # A NUL character is refused for the whole site with a sentence; the rest is shrugged off.
    assert client.get("/sources/russia-ai-chips/" + query).status_code == (400 if "%00" in query else 200)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "x" * 10_000, "password": "y"},
        {"username": "a\x00b", "password": "c\x00d"},
        {"username": ["a", "b"], "password": ["c"]},
        {"username": "é\u0301\u200f", "password": "\ufeff"},
    ],
)
def test_log_in_and_sign_up_refuse_bad_bodies_with_a_4xx(client, body):
    signup_body = {"username": body.get("username", ""), "password1": body.get("password", ""), "password2": "z"}
    assert 400 <= client.post(reverse("login"), body).status_code < 500
    assert 400 <= client.post(reverse("signup"), signup_body).status_code < 500
    assert "_auth_user_id" not in client.session


# ---------------------------------------------------------------- the join-class endpoint


def test_generated_bodies_to_the_join_class_endpoint_never_crash_or_join_a_class_by_mistake(db):
    from quiz.models import Classroom
    from tests.factories import ClassroomFactory

    classroom = ClassroomFactory()
    student = UserFactory(username="alice")
    client = Client()
    client.force_login(student)
    codes = [classroom.join_code, classroom.join_code.lower(), f" {classroom.join_code[:4]}-{classroom.join_code[4:]} "]

    @given(
        body=st.dictionaries(
            st.sampled_from(["join_code", "classroom", "student", "csrfmiddlewaretoken"]) | st.text(max_size=20),
            values(codes + [str(classroom.pk), str(student.pk)]),
            max_size=4,
        ),
        htmx=st.booleans(),
    )
    def post_generated_body(body, htmx):
        classroom.students.clear()
        reply = client.post(reverse("join_class"), body, **(HTMX if htmx else {}))
        assert reply.status_code < 500
        joined = Classroom.students.through.objects.filter(user_id=student.pk).count()
        if reply.status_code >= 400:
            assert joined == 0
        else:
            # Accepted only for the one real code, however it was typed.
            code = body.get("join_code")
            code = code[-1] if isinstance(code, list) else code
            typed = "".join(str(code).split()).replace("-", "").upper()
            assert typed == classroom.join_code and joined == 1

    post_generated_body()


@pytest.mark.parametrize(
    "join_code",
    ["", "   ", "\x00", "A" * 10_000, "٨٤", "ＫＬＭＮ", "-1", "99999999999999999999", "<script>", "' OR 1=1"],
)
def test_bad_join_codes_get_a_4xx_with_a_message_and_join_nothing(db, join_code):
    from quiz.models import Classroom
    from tests.factories import ClassroomFactory

    ClassroomFactory()
    client = Client()
    client.force_login(UserFactory(username="alice"))
    for headers in ({}, HTMX):
        reply = client.post(reverse("join_class"), {"join_code": join_code}, **headers)
        assert 400 <= reply.status_code < 500
        page = reply.content.decode()
        assert 'class="error' in page or "errorlist" in page or "NUL character" in page
    assert not Classroom.students.through.objects.exists()


# ---------------------------------------------------------------- the admin's bank import


BANK_KEYS = [
    "version",
    "questions",
    "quizzes",
    "sources",
    "key",
    "kind",
    "prompt",
    "explanation",
    "source",
    "passage",
    "quote",
    "choices",
    "text",
    "correct",
    "feedback",
    "numeric_answer",
    "tolerance",
    "unit",
    "accepted_answers",
    "points",
    "published",
    "slug",
    "title",
    "passages",
    "position",
    "opens_at",
    "closes_at",
    "time_limit_minutes",
    "attempts_allowed",
    "pass_mark",
    "feedback_mode",
    "author",
]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats()
    | any_text
    | odd_strings,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(BANK_KEYS), children, max_size=6),
    max_leaves=25,
)
bank_like = st.fixed_dictionaries(
    {"version": st.sampled_from([1, 2, "1", None])},
    optional={key: json_values for key in ("questions", "quizzes", "sources")},
)


def _bank_files():
    import json

    as_json = (bank_like | json_values).map(lambda data: json.dumps(data).encode())
    gift_like = st.lists(
        st.sampled_from(
            ["::q1:: ", "What? ", "{", "}", "=", "~", "#", "T", "F", "%50%", "\\{", "//", "\n\n", "1:2", "[html]"]
        )
        | any_text,
        max_size=20,
    ).map(lambda parts: "".join(parts).encode())
    return as_json | gift_like | st.binary(max_size=2000)


def test_generated_files_to_the_bank_import_never_crash_and_rejected_ones_import_nothing(db):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from content.models import Passage, Source
    from quiz.models import Choice, Question, Quiz

    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    QuestionFactory()
    models = (Question, Choice, Quiz, Source, Passage)

    @given(
        content=_bank_files(),
        name=st.sampled_from(["bank.json", "bank.gift", "bank.txt", "", "../../x.json", "b\u202eank.json"]),
        fmt=st.sampled_from(["auto", "json", "gift", "", "xml", "\x00"]),
    )
    def post_generated_file(content, name, fmt):
        before = [model.objects.count() for model in models]
        upload = SimpleUploadedFile(name or "upload", content)
        reply = client.post(reverse("admin:quiz_question_import"), {"bank": upload, "format": fmt})
        assert reply.status_code < 500
        if reply.status_code >= 400:
            assert [model.objects.count() for model in models] == before
            assert (
                "Nothing was imported" in reply.content.decode()
                or "not UTF-8" in reply.content.decode()
                or ("Choose a file" in reply.content.decode())
                or ("NUL character" in reply.content.decode())
            )

    post_generated_file()


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "Choose a file"),
        (b"", "Nothing was imported"),
        (b"\xff\xfe\x00\x00garbage", "not UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "Nothing was imported"),
        (b'{"version": 1, "questions": [{"key": "k\\u0000", "prompt": "\\u0000"}]}', "Nothing was imported"),
        (
            b'{"version": 1, "questions": [{"key": "k", "points": -5, "kind": "numeric", '
            b'"numeric_answer": "1e999999"}]}',
            "Nothing was imported",
        ),
        (b'{"version": 99999999999999999999999, "questions": []}', "Nothing was imported"),
        (b"x" * (6 * 1024 * 1024), "larger than"),
    ],
    ids=["no-file", "empty", "not-utf8", "deep-nesting", "nul-bytes", "absurd-numbers", "absurd-version", "huge"],
)
def test_bad_bank_files_are_refused_with_a_message_and_import_nothing(superuser_client, content, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from quiz.models import Question

    body = {"format": "auto"}
    if content is not None:
        body["bank"] = SimpleUploadedFile("bank.json", content)
    reply = superuser_client.post(reverse("admin:quiz_question_import"), body)
    assert reply.status_code == 400
    assert message in reply.content.decode()
    assert not Question.objects.exists()
