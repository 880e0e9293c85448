"""Load test: many students answering whole quizzes at once, against gunicorn on PostgreSQL.

    .venv/bin/python bench/load_test.py [--students 100] [--workers 4] [--threads 4] [--quiz whole-article]

What it does, on loopback only, and bounded in requests and in time:

1. Creates a fresh PostgreSQL database (``--database``, default ``quiz_load``), migrates
   it, loads the article and its quizzes, and creates the students with sessions
   ready (log-in's deliberately slow password hashing is not what is measured here).
2. Starts gunicorn with production settings (DEBUG off, whitenoise, manifest static
   files) and several workers on 127.0.0.1.
3. Releases every student at once. Each one opens the quiz page, starts an attempt,
   then answers every question the way htmx does (GET the next question fragment,
   POST the answer with the CSRF header), sending every fifth answer twice as an
   impatient double click would, and finally opens the results page.
4. Reports requests/s, p50/p95/p99 latency and errors, per kind of request.
5. Kills gunicorn outright (SIGKILL, no graceful shutdown), starts it again and
   checks that every acknowledged answer is still there, in the database and on each
   student's results page; then checks that the database holds exactly one response per
   answered question and that every score equals a recomputation from the responses.

Exit status 0 only when there were no errors and nothing was lost, duplicated or
mis-scored.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"  # loopback only: this test never sends traffic anywhere else
REQUEST_TIMEOUT = 60
STUDENT_PASSWORD_HASH = "!"  # unusable password: students come with sessions, nobody logs in


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--quiz", default="whole-article")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="quiz_load")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--time-limit", type=int, default=600, help="seconds before every student stops")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    return parser.parse_args()


# ---------------------------------------------------------------- the server


def server_env(args, static_root: Path) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"{args.pg}/{args.database}",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        STATIC_ROOT=str(static_root),
        # Plain HTTP on loopback: no TLS to redirect to, so no secure-only cookies either.
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="ERROR",
    )
    return env


def manage(env, *command):
    subprocess.run([PYTHON, "manage.py", *command], cwd=BASE_DIR, env=env, check=True, stdout=subprocess.DEVNULL)


def recreate_database(args) -> None:
    import psycopg

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{args.database}"')


def start_gunicorn(args, env) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--backlog",
            "2048",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=BASE_DIR,
        env=env,
        start_new_session=True,  # its own process group, so it can be killed whole
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, args.port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not answer within 30 s")


def kill_hard(process: subprocess.Popen) -> None:
    """SIGKILL to the whole group: no worker finishes anything it had not already committed."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


# ---------------------------------------------------------------- one simulated student


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int | None
    error: str = ""


@dataclass
class Student:
    username: str
    session_key: str
    cookies: dict = field(default_factory=dict)
    csrf_token: str = ""
    attempt_path: str = ""
    acknowledged: set = field(default_factory=set)  # positions whose answer the server confirmed
    errors: list = field(default_factory=list)


class Browser:
    """Just enough of a browser: cookies, the CSRF token from the page, htmx's headers."""

    def __init__(self, port: int, student: Student, samples: list, lock: threading.Lock):
        self.port, self.student, self.samples, self.lock = port, student, samples, lock
        self.connection = None

    def request(self, kind: str, method: str, path: str, body: dict | None = None, htmx: bool = False):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.student.cookies.items())}
        payload = None
        if htmx:
            headers["HX-Request"] = "true"
        if method == "POST":
            headers["X-CSRFToken"] = self.student.csrf_token
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{HOST}:{self.port}"
            payload = urlencode(body or {}, doseq=True)
        started = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
            self.connection.request(method, path, body=payload, headers=headers)
            response = self.connection.getresponse()
            content = response.read().decode()
        except (OSError, http.client.HTTPException) as problem:
            self.connection = None
            self._record(Sample(kind, time.perf_counter() - started, None, repr(problem)))
            raise
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.student.cookies[name.strip()] = rest.split(";")[0]
        sample = Sample(kind, time.perf_counter() - started, response.status)
        self._record(sample)
        return response, content

    def _record(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def expect(student: Student, response, content: str, *statuses) -> None:
    if response.status not in statuses:
        raise RuntimeError(f"{student.username}: HTTP {response.status} where {statuses} was expected: {content[:200]}")


FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)" hx-post=')
CHOICE_INPUT = re.compile(r'<input type="(radio|checkbox)"\s+name="(choices?)"\s+value="(\d+)"')


def answer_for(content: str, rng: random.Random) -> dict:
    options = CHOICE_INPUT.findall(content)
    if not options and 'inputmode="decimal"' in content:
        return {"answer": rng.choice(["84", "28", "100,000", "9k", "2.5", "1990"])}
    if not options:
        return {"answer": rng.choice(["GPUs", "China", "Yandex", "Armenia", "no idea"])}
    kind, name = options[0][0], options[0][1]
    values = [value for _, _, value in options]
    if kind == "checkbox":
        return {name: rng.sample(values, rng.randint(1, len(values)))}
    return {name: rng.choice(values)}


def take_quiz(browser: Browser, quiz_slug: str, rng: random.Random, stop_at: float, max_requests: int) -> None:
    student = browser.student
    response, content = browser.request("quiz page", "GET", f"/quizzes/{quiz_slug}/")
    expect(student, response, content, 200)
    student.csrf_token = re.search(r'"X-CSRFToken": "([^"]+)"', content).group(1)
    response, content = browser.request("start", "POST", f"/quizzes/{quiz_slug}/start/")
    expect(student, response, content, 302)
    student.attempt_path = response.getheader("Location")
    for answered in range(max_requests):
        if time.monotonic() > stop_at:
            raise RuntimeError(f"{student.username}: stopped by the time limit")
        response, content = browser.request("next question", "GET", student.attempt_path, htmx=True)
        expect(student, response, content, 200)
        if response.getheader("HX-Redirect"):
            break
        action = FORM_ACTION.search(content).group(1)
        body = answer_for(content, rng)
        sends = 2 if answered % 5 == 4 else 1  # every fifth answer double-clicked
        for _ in range(sends):
            response, content = browser.request("answer", "POST", action, body, htmx=True)
            expect(student, response, content, 200)
        if "verdict" in content:
            student.acknowledged.add(int(action.rstrip("/").rsplit("/", 1)[1]))
    response, content = browser.request("results", "GET", student.attempt_path.rstrip("/") + "/results/")
    expect(student, response, content, 200)


# ---------------------------------------------------------------- figures and checks


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summarise(samples: list[Sample], wall: float) -> dict:
    kinds = defaultdict(list)
    for sample in samples:
        kinds[sample.kind].append(sample)
    kinds["all"] = samples

    def row(group):
        seconds = [s.seconds * 1000 for s in group]
        return {
            "requests": len(group),
            "errors": sum(1 for s in group if s.error or s.status is None or s.status >= 500),
            "p50_ms": round(percentile(seconds, 0.50), 1),
            "p95_ms": round(percentile(seconds, 0.95), 1),
            "p99_ms": round(percentile(seconds, 0.99), 1),
            "mean_ms": round(statistics.fmean(seconds), 1),
        }

    return {
        "wall_seconds": round(wall, 2),
        "requests_per_second": round(len(samples) / wall, 1),
        "by_kind": {kind: row(group) for kind, group in kinds.items()},
    }


def verify_database(students: list[Student]) -> dict:
    from django.db.models import Count, Sum

    from quiz.models import Attempt, Choice, Question, Response, SubmittedAnswer

    problems = []
    attempts = {
        attempt.public_id.hex: attempt
        for attempt in Attempt.objects.filter(student__username__startswith="load-").select_related("student")
    }
    duplicates = Response.objects.values("attempt", "question").annotate(n=Count("id")).filter(n__gt=1).count()
    if duplicates:
        problems.append(f"{duplicates} (attempt, question) pairs hold more than one response")
    responses = defaultdict(list)
    for response in Response.objects.filter(attempt__in=attempts.values()):
        responses[response.attempt_id].append(response)
    questions = Question.objects.in_bulk({r.question_id for group in responses.values() for r in group})
    choices = defaultdict(list)
    for choice in Choice.objects.filter(question__in=questions.keys()):
        choices[choice.question_id].append(choice)
    regraded = 0
    for student in students:
        uuid_hex = student.attempt_path.rstrip("/").rsplit("/", 1)[-1].replace("-", "")
        attempt = attempts.get(uuid_hex)
        if attempt is None:
            problems.append(f"{student.username}: no attempt in the database")
            continue
        stored = responses[attempt.pk]
        stored_positions = {attempt.question_ids.index(r.question_id) + 1 for r in stored}
        if stored_positions != student.acknowledged:
            problems.append(
                f"{student.username}: acknowledged {sorted(student.acknowledged)}, stored {sorted(stored_positions)}"
            )
        if attempt.answered_count != len(stored):
            problems.append(f"{student.username}: answered_count {attempt.answered_count} for {len(stored)} responses")
        if not attempt.is_finished:
            problems.append(f"{student.username}: attempt not finished")
        total = sum((r.points_awarded for r in stored), Decimal("0"))
        if attempt.score != total:
            problems.append(f"{student.username}: score {attempt.score} but responses add up to {total}")
        for response in stored:
            question = questions[response.question_id]
            given = SubmittedAnswer(choice_ids=frozenset(response.selected_choice_ids), text=response.answer_text)
            points = (question.grade(given, choices[question.pk]) * question.points).quantize(Decimal("0.01"))
            regraded += 1
            if points != response.points_awarded:
                problems.append(
                    f"{student.username}: response {response.pk} holds {response.points_awarded}, regrades to {points}"
                )
    sums = Response.objects.filter(attempt__in=attempts.values()).aggregate(n=Count("id"), points=Sum("points_awarded"))
    return {
        "attempts": len(attempts),
        "responses": sums["n"],
        "acknowledged_answers": sum(len(s.acknowledged) for s in students),
        "duplicated_responses": duplicates,
        "responses_regraded": regraded,
        "problems": problems,
    }


def verify_after_restart(args, students: list[Student]) -> list[str]:
    """Every student's results page, served by a freshly started server, counts their acknowledged answers."""
    problems = []
    lock = threading.Lock()
    for student in students:
        browser = Browser(args.port, student, [], lock)
        response, content = browser.request("results", "GET", student.attempt_path.rstrip("/") + "/results/")
        match = re.search(r"(\d+) of (\d+) questions answered", content)
        if response.status != 200 or match is None or int(match.group(1)) != len(student.acknowledged):
            shown = match.group(0) if match else content[:120]
            problems.append(f"{student.username}: HTTP {response.status} after restart, showing {shown!r}")
    return problems


def create_students(count: int) -> list[Student]:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    User = get_user_model()
    User.objects.bulk_create([User(username=f"load-{n:03d}", password=STUDENT_PASSWORD_HASH) for n in range(count)])
    students = []
    for user in User.objects.filter(username__startswith="load-").order_by("username"):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        students.append(Student(user.username, session.session_key, cookies={"sessionid": session.session_key}))
    return students


def main() -> int:
    args = parse_args()
    static_root = Path(tempfile.mkdtemp(prefix="quiz-static-"))
    env = server_env(args, static_root)
    print(f"Preparing database {args.database}, static files and {args.students} students…", flush=True)
    recreate_database(args)
    manage(env, "migrate", "--no-input")
    manage(env, "load_content")
    manage(env, "collectstatic", "--no-input")
    os.environ.update(
        {
            key: env[key]
            for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "STATIC_ROOT")
        }
    )
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from quiz.models import Quiz

    question_count = Quiz.objects.get(slug=args.quiz).quiz_questions.filter(question__is_published=True).count()
    students = create_students(args.students)
    server = start_gunicorn(args, env)
    print(
        f"gunicorn: {args.workers} workers × {args.threads} threads on {HOST}:{args.port}; "
        f"{args.students} students × {question_count} questions of “{args.quiz}”",
        flush=True,
    )

    samples: list[Sample] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(students))
    stop_at = time.monotonic() + args.time_limit

    def run(student: Student, seed: int) -> None:
        browser = Browser(args.port, student, samples, lock)
        barrier.wait()
        try:
            take_quiz(browser, args.quiz, random.Random(seed), stop_at, max_requests=question_count + 5)
        except Exception as problem:  # counted and reported, never hidden
            student.errors.append(repr(problem))

    threads = [threading.Thread(target=run, args=(student, n)) for n, student in enumerate(students)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.time_limit + REQUEST_TIMEOUT)
    wall = time.perf_counter() - started

    report = {
        "students": args.students,
        "questions_per_quiz": question_count,
        "workers": args.workers,
        "threads": args.threads,
        **summarise(samples, wall),
    }
    report["student_errors"] = [error for s in students for error in s.errors]
    kill_hard(server)
    server = start_gunicorn(args, env)
    try:
        report["after_restart_problems"] = verify_after_restart(args, students)
    finally:
        kill_hard(server)
    report["database"] = verify_database(students)

    print(json.dumps(report, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    failed = (
        report["by_kind"]["all"]["errors"]
        or report["student_errors"]
        or report["after_restart_problems"]
        or report["database"]["problems"]
    )
    print("FAILED" if failed else "OK: no errors, nothing lost, duplicated or mis-scored", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
