"""What each hot path costs next to Django's own floor, in one process and one run.

    .venv/bin/python bench/request_cost.py                        # SQLite
    .venv/bin/python bench/request_cost.py --database postgres    # PostgreSQL
    .venv/bin/python bench/request_cost.py --profile answer       # pyinstrument over one path

The floor is a view that reads ``request.user`` (so the session and the user load,
as on every signed-in page) and returns two bytes, mounted in a URLconf of this
script's own that includes ``config.urls``: the product itself has no such URL.
Every request goes through Django's WSGI handler, as gunicorn calls it, with the
production settings (DEBUG off, hashed static names) and the same middleware.
Paths run in a shuffled order within each round, so drift on the machine touches
them all alike. Query counts come from a separate counted request per path;
timed requests run without the debug cursor.

The data comes from bench_dashboards.build (a class of students with whole
attempts); answering students are added here, one fresh attempt per 67 answers,
so every timed POST records a new answer.
"""

import argparse
import io
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1:8000"


# Django set-up shared with page_weight.py ------------------------------------------------


def production_environment(database_url: str) -> None:
    """Settings as a server runs them, except that the site is reached over plain HTTP here."""
    os.environ.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY="bench-secret-key-not-used-anywhere-else-0123456789",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(BENCH))


def fresh_database(kind: str, name: str) -> str:
    if kind == "sqlite":
        path = Path(tempfile.gettempdir()) / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    for statement in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", POSTGRES_ADMIN, "-q", "-c", statement], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def setup_django(urlconf: str | None = None) -> Path:
    """django.setup(), with static files collected (hashed and compressed) into a temporary folder.

    STATIC_ROOT points at that folder so a run never touches the working tree's
    ``staticfiles/``; WhiteNoise and the manifest storage read it from there.
    """
    import django
    from django.conf import settings

    static_root = Path(tempfile.mkdtemp(prefix="quiz-static-"))
    os.environ["STATIC_ROOT"] = str(static_root)
    django.setup()
    if urlconf:
        settings.ROOT_URLCONF = urlconf
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    return static_root


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes


def wsgi_environ(
    method: str,
    path: str,
    *,
    cookies: dict | None = None,
    query: str = "",
    body: bytes = b"",
    headers: dict | None = None,
) -> dict:
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": HOST,
        "HTTP_ACCEPT_ENCODING": "gzip, deflate, br",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    if cookies:
        environ["HTTP_COOKIE"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def wsgi_handler():
    """Django's WSGI application, as gunicorn loads it."""
    from django.core.wsgi import get_wsgi_application

    handler = get_wsgi_application()
    # Refused requests (422, 403) are part of what is measured; their log lines are not
    # news. Set after loading the handler, whose django.setup() resets the loggers.
    logging.getLogger("django.request").setLevel(logging.ERROR)
    return handler


def call(handler, environ: dict) -> Reply:
    """One request through the WSGI handler, the body read and the response closed (as a server does)."""
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = {name.lower(): value for name, value in response_headers}

    result = handler(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return Reply(started["status"], started["headers"], body)


def session_cookie(user) -> str:
    """A signed-in session for ``user``, as logging in would store it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


# The floor, in this script's own URLconf ------------------------------------------------


def floor(request):
    from django.http import HttpResponse

    # Reading the user loads the session and the user, as every signed-in page does.
    return HttpResponse(b"ok" if request.user.is_authenticated else b"no", content_type="text/plain")


def _urlpatterns():
    from django.urls import include, path

    return [path("bench-floor/", floor, name="bench_floor"), path("", include("config.urls"))]


def __getattr__(name):
    # Built on first use, after django.setup(), when Django's resolver imports this module.
    if name == "urlpatterns":
        return _urlpatterns()
    raise AttributeError(name)


# The paths measured -----------------------------------------------------------------------


@dataclass
class Measured:
    name: str
    make: object  # () -> WSGI environ; called before each request, outside the timing
    expect: int = 200
    timings: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    size: int = 0
    status: int = 0


def answer_data(question, shown_choice_ids: list[int]) -> dict:
    """A plausible answer: the first choice shown, or the right value / text."""
    from quiz.models import QuestionKind

    if question.kind == QuestionKind.MULTIPLE:
        return {"choices": [str(pk) for pk in shown_choice_ids[:2]]}
    if question.has_choices:
        return {"choice": str(shown_choice_ids[0])}
    if question.kind == QuestionKind.NUMERIC:
        return {"answer": f"{question.numeric_answer.normalize():f}"}
    return {"answer": question.accepted_answers[0]}


class AnswerFeed:
    """Endless fresh answers: the next unanswered question of an attempt, a new attempt when one ends."""

    def __init__(self, quiz, students: list, csrf: str):
        from quiz.models import Question

        self.quiz = quiz
        self.students = students
        self.csrf = csrf
        self.questions = {q.pk: q for q in Question.objects.all()}
        self.cookies = {student.pk: session_cookie(student) for student in students}
        self.turn = 0
        self.attempt = None
        self.position = 0

    def _next_attempt(self):
        from quiz.services import attempt_start

        student = self.students[self.turn % len(self.students)]
        self.turn += 1
        attempt = attempt_start(quiz=self.quiz, student=student)
        if attempt.answered_count:  # a leftover attempt: finish it and start clean
            from quiz.services import attempt_finish

            attempt_finish(attempt=attempt)
            attempt = attempt_start(quiz=self.quiz, student=student)
        self.attempt, self.position = attempt, 0

    def __call__(self) -> dict:
        if self.attempt is None or self.position >= self.attempt.question_count:
            self._next_attempt()
        self.position += 1
        question_id = self.attempt.question_ids[self.position - 1]
        data = answer_data(self.questions[question_id], self.attempt.choice_order.get(str(question_id), []))
        body = urlencode(data, doseq=True).encode()
        return wsgi_environ(
            "POST",
            f"/attempts/{self.attempt.public_id}/questions/{self.position}/",
            cookies={"sessionid": self.cookies[self.attempt.student_id], "csrftoken": self.csrf},
            body=body,
            headers={
                "HX-Request": "true",
                "HX-Current-URL": f"http://{HOST}/",
                "X-CSRFToken": self.csrf,
                "Origin": f"http://{HOST}",
            },
        )


def build_world(students: int, responses_each: int) -> list[Measured]:
    from bench_dashboards import build
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string

    from quiz.models import Attempt, Quiz
    from quiz.services import attempt_start

    world = build(students, responses_each)
    User = get_user_model()
    student = User.objects.get(pk=world["student"])
    teacher = User.objects.get(pk=world["teacher"])
    biggest = Quiz.objects.get(slug=world["quizzes"][0])
    csrf = _get_new_csrf_string()
    answerers = User.objects.bulk_create([User(username=f"answerer{n:03d}", password="!") for n in range(40)])

    # The question page: an attempt in progress with a few answers, viewed again and again.
    viewer = User.objects.create(username="viewer", password="!")
    viewing = attempt_start(quiz=biggest, student=viewer)
    viewer_cookies = {"sessionid": session_cookie(viewer), "csrftoken": csrf}
    finished = Attempt.objects.finished().filter(student=student, quiz=biggest).first()
    student_cookies = {"sessionid": session_cookie(student), "csrftoken": csrf}
    teacher_cookies = {"sessionid": session_cookie(teacher), "csrftoken": csrf}
    htmx = {"HX-Request": "true", "HX-Current-URL": f"http://{HOST}/"}

    def get(path, cookies, query="", headers=None):
        return lambda: wsgi_environ("GET", path, cookies=cookies, query=query, headers=headers)

    return [
        Measured("Floor: request.user + 2 bytes", get("/bench-floor/", student_cookies)),
        Measured("Question page (full)", get(f"/attempts/{viewing.public_id}/", viewer_cookies)),
        Measured("Next question (htmx)", get(f"/attempts/{viewing.public_id}/", viewer_cookies, headers=htmx)),
        Measured("Answer POST (htmx)", AnswerFeed(biggest, answerers, csrf)),
        Measured(
            f"Results page ({biggest.quiz_questions.count()} questions)",
            get(f"/attempts/{finished.public_id}/results/", student_cookies),
        ),
        Measured("Progress page /me/", get("/me/", student_cookies)),
        Measured("Teacher dashboard /teach/", get("/teach/", teacher_cookies, query=f"classroom={world['classroom']}")),
    ], world


def count_queries(handler, path: Measured) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    environ = path.make()
    with CaptureQueriesContext(connection) as captured:
        reply = call(handler, environ)
    path.queries = [query["sql"] for query in captured.captured_queries]
    path.size, path.status = len(reply.body), reply.status
    if reply.status != path.expect:
        raise SystemExit(f"{path.name}: status {reply.status}\n{reply.body[:2000].decode(errors='replace')}")


def is_statement(sql: str) -> bool:
    """A query that does work, not a transaction or savepoint marker."""
    return not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK"))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(handler, paths: list[Measured], rounds: int, warmup: int) -> None:
    rng = random.Random(6)
    order = list(paths)
    for round_number in range(warmup + rounds):
        rng.shuffle(order)
        for path in order:
            environ = path.make()
            began, began_cpu = time.perf_counter(), time.process_time()
            reply = call(handler, environ)
            elapsed, cpu = time.perf_counter() - began, time.process_time() - began_cpu
            if reply.status != path.expect:
                raise SystemExit(f"{path.name}: status {reply.status}")
            if round_number >= warmup:
                path.timings.append(elapsed)
                path.cpu.append(cpu)


def machine() -> str:
    import platform

    import django
    from django.db import connection

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + cursor.fetchone()[0].split()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            database = "SQLite " + cursor.fetchone()[0]
    return (
        f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()}, "
        f"Django {django.get_version()}, {database}"
    )


def table(paths: list[Measured]) -> str:
    floor_median, floor_cpu = statistics.median(paths[0].timings), statistics.median(paths[0].cpu)
    lines = [
        "| Path | Median (ms) | p95 (ms) | Median ÷ floor | CPU median (ms) | CPU ÷ floor | Queries "
        "| Statements with transaction | Bytes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for path in paths:
        median, cpu = statistics.median(path.timings), statistics.median(path.cpu)
        work = sum(1 for sql in path.queries if is_statement(sql))
        lines.append(
            f"| {path.name} | {1000 * median:.2f} | {1000 * percentile(path.timings, 0.95):.2f} | "
            f"{median / floor_median:.2f}× | {1000 * cpu:.2f} | {cpu / floor_cpu:.2f}× | {work} | "
            f"{len(path.queries)} | {path.size:,} |"
        )
    return "\n".join(lines)


def profile(handler, path: Measured, requests: int, flat: bool) -> None:
    """pyinstrument over ``requests`` requests of one path, after a warm-up like the timed run's."""
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    for _ in range(80):
        call(handler, path.make())
    environs = [path.make() for _ in range(requests)]
    profiler = Profiler(interval=0.0001)
    profiler.start()
    for environ in environs:
        call(handler, environ)
    profiler.stop()
    # Flat: every function with the time spent inside it and below, the most costly first.
    renderer = ConsoleRenderer(
        unicode=True, flat=flat, flat_time="total", show_all=flat, processor_options={"filter_threshold": 0.01}
    )
    print(profiler.output(renderer))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--name", default="quiz_request_cost", help="the database (PostgreSQL) or file (SQLite) to fill, emptied first"
    )
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=70, help="rounds before timing (67 fill the bank cache)")
    parser.add_argument("--students", type=int, default=100, help="students in the dashboard's class")
    parser.add_argument("--responses", type=int, default=100, help="responses per student")
    parser.add_argument(
        "--profile",
        metavar="PATH",
        help="profile one path instead: floor, question, next, answer, results, progress or dashboard",
    )
    parser.add_argument("--requests", type=int, default=300, help="requests profiled with --profile")
    parser.add_argument("--flat", action="store_true", help="with --profile: a flat list instead of the call tree")
    parser.add_argument("--show-sql", action="store_true", help="print every path's SQL")
    options = parser.parse_args()

    production_environment(fresh_database(options.database, options.name))
    setup_django(urlconf="request_cost")
    paths, world = build_world(options.students, options.responses)
    handler = wsgi_handler()
    if options.profile:
        names = ["floor", "question", "next", "answer", "results", "progress", "dashboard"]
        profile(handler, paths[names.index(options.profile)], options.requests, options.flat)
        return
    started = time.perf_counter()
    measure(handler, paths, 0, options.warmup)
    # Counted once warm, as the timed requests run: the bank cache holds the questions.
    for path in paths:
        count_queries(handler, path)
    measure(handler, paths, options.rounds, 0)
    print(f"Request cost, {options.database}: {machine()}; load average {os.getloadavg()[0]:.1f} at the end")
    print(
        f"{options.rounds} rounds after {options.warmup} warm-up rounds, {time.perf_counter() - started:.0f} s; "
        f"class of {options.students} students, {world['responses']:,} responses in all"
    )
    print()
    print(table(paths))
    if options.show_sql:
        for path in paths:
            print(f"\n{path.name}:")
            for sql in path.queries:
                print("   ", sql[:300])


if __name__ == "__main__":
    sys.modules.setdefault("request_cost", sys.modules["__main__"])
    main()
