"""Practice at scale on PostgreSQL: 10,000 students × 500 cards (5 × 10^6 cards).

    .venv/bin/python bench/bench_practice.py                       # the full fill (minutes)
    .venv/bin/python bench/bench_practice.py --students 200 --keep # a quick look, keeping the database

Fills the database ``quiz_practice_bench`` (``--postgres-name``; dropped and made again, migrated) with
one source of 50 passages, 500 published questions, 10,000 students and one card
per student and question, by set-based SQL (``INSERT … SELECT`` over
``generate_series``): a bench needs volume, not realistic histories. Card states
are spread as a used deck has them: stability 1–60 days, last review up to 30 days
ago, due from 10 days ago to 30 days ahead (about a quarter due). Then VACUUM
ANALYZE, as autovacuum would leave the table, and it times, through the app's own
functions (ORM and Python included), a student's due count and next card, and the
per-passage recall of a class of 30; and reports the card table's size.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
QUESTIONS = 500
PASSAGES = 50


def fresh_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")


def fill(students: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from content.models import Passage, Source
    from quiz.models import Classroom, Question

    source = Source.objects.create(slug="bench", title="Bench source", text="x")
    passages = Passage.objects.bulk_create(
        Passage(source=source, position=n, kind="paragraph", text=f"Passage {n} says something.")
        for n in range(1, PASSAGES + 1)
    )
    Question.objects.bulk_create(
        Question(
            key=f"bench-{n}",
            prompt=f"Question {n}?",
            explanation="Because.",
            passage=passages[n % PASSAGES],
            quote="says something",
        )
        for n in range(QUESTIONS)
    )
    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,"
            " is_active, date_joined) SELECT '!', false, 'bench' || g, '', '', '', false, true, now()"
            " FROM generate_series(1, %s) AS g",
            [students],
        )
        cursor.execute(
            "INSERT INTO practice_card (student_id, question_id, state, step, stability, difficulty, due,"
            " last_review, reps, lapses, last_right)"
            " SELECT u.id, q.id, 2, NULL, 1 + random() * 59, 1 + random() * 9,"
            " now() - interval '10 days' + random() * interval '40 days',"
            " now() - random() * interval '30 days', 1 + floor(random() * 6), floor(random() * 3), random() < 0.7"
            " FROM auth_user AS u CROSS JOIN quiz_question AS q WHERE u.username LIKE 'bench%%'"
        )
        cards = cursor.rowcount
    filled = time.perf_counter() - began
    teacher = get_user_model().objects.create(username="bench-teacher", is_staff=True)
    classroom = Classroom.objects.create(name="Bench class", teacher=teacher)
    classroom.students.add(*get_user_model().objects.filter(username__startswith="bench").order_by("?")[:30])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"cards": cards, "fill_seconds": filled, "classroom": classroom}


def timed(function, runs: int) -> tuple[float, float]:
    """Median and worst of ``runs`` calls, in milliseconds, after one untimed call."""
    function()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), max(times)


def measure(classroom, runs: int) -> list[tuple[str, float, float, int]]:
    import random

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from practice import services

    now = timezone.now()
    students = list(get_user_model().objects.filter(username__startswith="bench").values_list("pk", flat=True))
    rng = random.Random(1)
    User = get_user_model()

    def a_student():
        return User(pk=rng.choice(students))

    checks = [
        ("A student's due count", lambda: services.due_count(student=a_student(), now=now)),
        ("A student's next card", lambda: services.next_card(student=a_student(), now=now)),
        (
            "Due count and next card together",
            lambda: (lambda s: (services.due_count(student=s, now=now), services.next_card(student=s, now=now)))(
                a_student()
            ),
        ),
        ("Class of 30: recall per passage", lambda: services.class_recall(classroom=classroom, now=now)),
        ("Class of 30: most forgotten questions", lambda: services.most_forgotten(classroom=classroom)),
    ]
    rows = []
    for name, check in checks:
        median, worst = timed(check, runs)
        with CaptureQueriesContext(connection) as captured:
            check()
        rows.append((name, median, worst, len(captured)))
    return rows


def sizes() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size('practice_card'), pg_indexes_size('practice_card'),"
            " pg_total_relation_size('practice_card'), (SELECT count(*) FROM practice_card)"
        )
        table, indexes, total, count = cursor.fetchone()
    return {"table": table, "indexes": indexes, "total": total, "count": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--keep", action="store_true", help="leave the database for a look with psql")
    parser.add_argument(
        "--postgres-name", default="quiz_practice_bench", help="the PostgreSQL database to fill (dropped first)"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"{SERVER}/{args.postgres_name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    fresh_database(args.postgres_name)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    filled = fill(args.students)
    size = sizes()
    per_million = 1_000_000 / size["count"]
    mib = 1024 * 1024
    print(
        f"{size['count']:,} cards ({args.students:,} students × {QUESTIONS}), filled in {filled['fill_seconds']:.0f} s"
    )
    print(
        f"card table: {size['table'] / mib:.0f} MiB rows + {size['indexes'] / mib:.0f} MiB indexes"
        f" = {size['total'] / mib:.0f} MiB; per million cards: {size['table'] * per_million / mib:.0f} MiB rows"
        f" + {size['indexes'] * per_million / mib:.0f} MiB indexes = {size['total'] * per_million / mib:.0f} MiB"
    )
    print(f"| Measure | Median (ms) | Worst of {args.runs} (ms) | Queries |")
    print("| --- | ---: | ---: | ---: |")
    for name, median, worst, queries in measure(filled["classroom"], args.runs):
        print(f"| {name} | {median:.1f} | {worst:.1f} | {queries} |")
    from django.db import connections

    connections.close_all()
    if not args.keep:
        import psycopg

        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {args.postgres_name}")


if __name__ == "__main__":
    main()
