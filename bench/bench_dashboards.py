"""Time and count the queries of every dashboard page on a big class, on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_dashboards.py                      # both scales, both databases
    .venv/bin/python bench/bench_dashboards.py --scales 1000x40 --databases sqlite
    .venv/bin/python bench/bench_dashboards.py --write-results      # also update bench/RESULTS.md

A scale "STUDENTSxRESPONSES" puts that many students in one class, each with
about that many responses: whole attempts at the shipped quizzes (largest that
still fits first) and one attempt left half done with the remainder. Answers
come from the same ability model as the demo data, are graded by the real
scoring rules and carry real question snapshots; rows go in with bulk_create.
Each (database, scale) runs in a fresh database in its own process, because
settings read DATABASE_URL once. PostgreSQL uses the database "quiz_bench" on
127.0.0.1:5432 (dropped and created again; ``--postgres-name`` picks another),
SQLite a file in the temp folder.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432/"
RUNS = 3


def build(students: int, responses_each: int) -> dict:
    """Fill the database; return what the measuring step needs."""
    from datetime import timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.roles import make_teacher
    from quiz.bank.shipped import load_all
    from quiz.management.commands.seed_demo import simulated_answer
    from quiz.models import Assignment, Attempt, Classroom, Question, Quiz, Response
    from quiz.services import question_snapshot

    call_command("migrate", verbosity=0)
    load_all()
    User = get_user_model()
    rng = random.Random(4)
    now = timezone.now()
    teacher = User.objects.create(username="bench-teacher")
    make_teacher(teacher)
    classroom = Classroom.objects.create(teacher=teacher, name="Bench class")
    quizzes = sorted(Quiz.objects.all(), key=lambda q: -q.quiz_questions.count())
    for days, quiz in enumerate(quizzes):
        Assignment.objects.create(classroom=classroom, quiz=quiz, due_at=now - timedelta(days=days))
    questions = {q.pk: q for q in Question.objects.select_related("passage__source").prefetch_related("choices")}
    choices = {pk: list(q.choices.all()) for pk, q in questions.items()}
    snapshots = {pk: question_snapshot(q, choices[pk]) for pk, q in questions.items()}
    layout = {quiz.pk: [link.question_id for link in quiz.quiz_questions.order_by("position")] for quiz in quizzes}

    plan = []  # (quiz, how many questions answered) per student, the same for all
    budget = responses_each
    for quiz in quizzes:
        if len(layout[quiz.pk]) <= budget:
            plan.append((quiz, len(layout[quiz.pk])))
            budget -= len(layout[quiz.pk])
    if budget:
        spare = next((quiz for quiz in quizzes if quiz not in [p[0] for p in plan]), quizzes[-1])
        plan.append((spare, min(budget, len(layout[spare.pk]))))

    started = time.perf_counter()
    batch = 500
    with transaction.atomic():
        for first in range(0, students, batch):
            users = User.objects.bulk_create(
                [User(username=f"s{index:06d}", password="!") for index in range(first, min(students, first + batch))]
            )
            Classroom.students.through.objects.bulk_create(
                [Classroom.students.through(classroom_id=classroom.pk, user_id=user.pk) for user in users]
            )
            attempts, answer_sets = [], []
            for user in users:
                ability = rng.gauss(0, 1)
                for quiz, answered in plan:
                    order = layout[quiz.pk][:]
                    rng.shuffle(order)
                    begin = now - timedelta(days=rng.uniform(1, 60))
                    moment, score, rows = begin, Decimal(0), []
                    for question_id in order[:answered]:
                        question = questions[question_id]
                        answer = simulated_answer(question, choices[question_id], ability, rng)
                        fraction = question.grade(answer, choices[question_id])
                        points = (fraction * question.points).quantize(Decimal("0.01"))
                        moment += timedelta(seconds=rng.randint(6, 90))
                        score += points
                        rows.append((question_id, answer, fraction, points, moment))
                    finished = answered == len(order)
                    attempts.append(
                        Attempt(
                            quiz=quiz,
                            student=user,
                            number=1,
                            started_at=begin,
                            score=score,
                            max_score=sum(Decimal(questions[pk].points) for pk in order),
                            finished_at=moment if finished else None,
                            answered_count=answered,
                            question_ids=order,
                            choice_order={str(pk): [c.pk for c in choices[pk]] for pk in order},
                        )
                    )
                    answer_sets.append((begin, rows))
            Attempt.objects.bulk_create(attempts)
            Response.objects.bulk_create(
                [
                    Response(
                        attempt=attempt,
                        question_id=question_id,
                        selected_choice_ids=sorted(answer.choice_ids),
                        answer_text=answer.text,
                        answer_display=answer.text,
                        is_correct=fraction == 1,
                        fraction=fraction,
                        points_awarded=points,
                        question_snapshot=snapshots[question_id],
                        answered_at=moment,
                        seconds_taken=int((moment - begin).total_seconds()),
                    )
                    for attempt, (begin, rows) in zip(attempts, answer_sets, strict=True)
                    for question_id, answer, fraction, points, moment in rows
                ],
                batch_size=5000,
            )
    filled = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "classroom": classroom.pk,
        "teacher": teacher.pk,
        "student": User.objects.get(username="s000000").pk,
        "quizzes": [quiz.slug for quiz, _ in plan if _ == len(layout[quiz.pk])],
        "responses": Response.objects.count(),
        "attempts": Attempt.objects.count(),
        "fill_seconds": filled,
    }


def measure(world: dict) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    User = get_user_model()
    teacher, student = Client(), Client()
    teacher.force_login(User.objects.get(pk=world["teacher"]), backend="django.contrib.auth.backends.ModelBackend")
    student.force_login(User.objects.get(pk=world["student"]), backend="django.contrib.auth.backends.ModelBackend")
    classroom = world["classroom"]
    last_page = -(-User.objects.filter(classrooms=classroom).count() // 50)
    biggest = world["quizzes"][0]
    pages = [
        ("Class dashboard, first page", teacher, f"{reverse('teach_dashboard')}?classroom={classroom}"),
        ("Class dashboard, last page", teacher, f"{reverse('teach_dashboard')}?classroom={classroom}&page={last_page}"),
        (
            f"Statistics {biggest}, first attempts",
            teacher,
            f"{reverse('quiz_statistics', args=[biggest])}?classroom={classroom}",
        ),
        (
            f"Statistics {biggest}, all attempts",
            teacher,
            f"{reverse('quiz_statistics', args=[biggest])}?classroom={classroom}&attempts=all",
        ),
        ("Statistics CSV", teacher, f"{reverse('quiz_statistics_csv', args=[biggest])}?classroom={classroom}"),
        ("Gradebook CSV", teacher, reverse("gradebook_csv", args=[classroom])),
        ("Student drill-down", teacher, reverse("student_detail", args=[classroom, world["student"]])),
        ("Student progress (/me/)", student, reverse("my_progress")),
    ]
    results = []
    for name, client, url in pages:
        timings, queries, status = [], 0, 0
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                timings.append(time.perf_counter() - began)
            queries, status = len(captured), response.status_code
        results.append(
            {
                "page": name,
                "status": status,
                "queries": queries,
                "bytes": len(body),
                "median_ms": 1000 * statistics.median(timings),
                "first_ms": 1000 * timings[0],
            }
        )
    return results


def child(scale: str) -> None:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    students, responses_each = (int(part) for part in scale.split("x"))
    world = build(students, responses_each)
    world["pages"] = measure(world)
    print("RESULT " + json.dumps(world))


def fresh_database(kind: str, postgres_name: str = "quiz_bench") -> str:
    if kind == "sqlite":
        path = Path(tempfile.gettempdir()) / "quiz-bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"
    for statement in (f"DROP DATABASE IF EXISTS {postgres_name}", f"CREATE DATABASE {postgres_name}"):
        subprocess.run(["psql", POSTGRES_ADMIN, "-q", "-c", statement], check=True)
    return POSTGRES_SERVER + postgres_name


def run(kind: str, scale: str, postgres_name: str) -> dict:
    env = {**os.environ, "DATABASE_URL": fresh_database(kind, postgres_name), "DEBUG": "true", "LOG_LEVEL": "ERROR"}
    began = time.perf_counter()
    done = subprocess.run([sys.executable, __file__, "--child", scale], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"{kind} {scale} failed")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result.update(database=kind, scale=scale, total_seconds=time.perf_counter() - began)
    return result


def report(results: list[dict]) -> str:
    lines = []
    for result in results:
        lines.append(
            f"### {result['database']}, {result['scale']} ({result['attempts']:,} attempts, "
            f"{result['responses']:,} responses; filled in {result['fill_seconds']:.0f} s)"
        )
        lines.append("")
        lines.append("| Page | Status | Queries | Median of 3 (ms) | First run (ms) |")
        lines.append("| --- | --- | --- | --- | --- |")
        for page in result["pages"]:
            lines.append(
                f"| {page['page']} | {page['status']} | {page['queries']} "
                f"| {page['median_ms']:.0f} | {page['first_ms']:.0f} |"
            )
        lines.append("")
    return "\n".join(lines)


def write_results(text: str) -> None:
    """Replace the "Dashboards" section of bench/RESULTS.md, keeping every other section."""
    path = ROOT / "bench" / "RESULTS.md"
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    section = (
        "## Dashboards\n\n"
        "`bench/bench_dashboards.py`: one class of N students with about R responses each, every "
        "dashboard page requested 3 times through Django's test client (no network), on a 2-core machine. "
        "The query count is the same at both scales: aggregates run in SQL, one query each.\n\n" + text
    )
    start = existing.find("## Dashboards")
    if start == -1:
        updated = existing.rstrip("\n") + "\n\n" + section
    else:
        following = existing.find("\n## ", start + 1)
        updated = existing[:start] + section + ("" if following == -1 else existing[following:])
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1000x40,10000x100")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--write-results", action="store_true")
    parser.add_argument("--postgres-name", default="quiz_bench", help="the PostgreSQL database to fill (dropped first)")
    parser.add_argument("--child")
    options = parser.parse_args()
    if options.child:
        child(options.child)
        return
    results = []
    for kind in options.databases.split(","):
        for scale in options.scales.split(","):
            print(f"… {kind} {scale}", flush=True)
            results.append(run(kind, scale, options.postgres_name))
            print(report(results[-1:]), flush=True)
    if options.write_results:
        write_results(report(results))


if __name__ == "__main__":
    main()
