"""Bytes a student downloads: the first quiz pages with all their static files, and every htmx fragment.

    .venv/bin/python bench/page_weight.py

Production settings (DEBUG off), static files collected by the manifest storage
into a temporary folder and served by WhiteNoise, as a server runs them. The
demo data (``seed_demo``) fills the database. Each static file a page links is
fetched twice: without Accept-Encoding (its size) and with "gzip, br" (what
travels), with its Cache-Control. Fragments are every htmx response a student
or a teacher gets; for the question and the feedback fragments, every question
of the whole-article quiz is measured and the largest is reported per kind.
Pages and fragments themselves are not compressed by Django (compressing a page
that holds a CSRF token invites BREACH); their gzip size is shown for a proxy
that would.
"""

import gzip
import io
import re
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import request_cost as cost  # noqa: E402

PAGE_BUDGET = 60 * 1024
FRAGMENT_BUDGET = 4 * 1024
HASHED = re.compile(r"\.[0-9a-f]{12}\.")


class StaticLinks(HTMLParser):
    """The stylesheets and scripts a page makes the browser fetch."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "stylesheet" and attributes.get("href"):
            self.urls.append(attributes["href"])
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"])


def kib(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def gzipped(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


class Site:
    def __init__(self):
        from django.middleware.csrf import _get_new_csrf_string

        self.handler = cost.wsgi_handler()
        self.csrf = _get_new_csrf_string()

    def get(self, path, user=None, query="", htmx=False, encoding=None):
        headers = {"HX-Request": "true"} if htmx else {}
        environ = cost.wsgi_environ("GET", path, cookies=self._cookies(user), query=query, headers=headers)
        if encoding is None:
            environ.pop("HTTP_ACCEPT_ENCODING")
        else:
            environ["HTTP_ACCEPT_ENCODING"] = encoding
        return cost.call(self.handler, environ)

    def post(self, path, data, user, htmx=True):
        headers = {"X-CSRFToken": self.csrf, "Origin": f"http://{cost.HOST}"}
        if htmx:
            headers["HX-Request"] = "true"
        body = urlencode(data, doseq=True).encode()
        return cost.call(
            self.handler, cost.wsgi_environ("POST", path, cookies=self._cookies(user), body=body, headers=headers)
        )

    def _cookies(self, user):
        cookies = {"csrftoken": self.csrf}
        if user is not None:
            if not hasattr(user, "bench_session"):
                user.bench_session = cost.session_cookie(user)
            cookies["sessionid"] = user.bench_session
        return cookies


def page_with_static(site: Site, name: str, path: str, user) -> tuple[list[str], int]:
    reply = site.get(path, user)
    assert reply.status == 200, (name, reply.status)
    links = StaticLinks()
    links.feed(reply.body.decode())
    rows = [
        f"| {name}: HTML | {len(reply.body):,} | {len(reply.body):,} (gzip by a proxy: {gzipped(reply.body):,}) | "
        f"{reply.headers.get('cache-control', '—')} | — |"
    ]
    total, wire = len(reply.body), len(reply.body)
    for url in links.urls:
        plain = site.get(urlsplit(url).path)
        packed = site.get(urlsplit(url).path, encoding="gzip, br")
        assert plain.status == 200 and packed.status == 200, url
        total += len(plain.body)
        wire += len(packed.body)
        rows.append(
            f"| {Path(urlsplit(url).path).name} | {len(plain.body):,} | {len(packed.body):,} "
            f"({packed.headers.get('content-encoding', 'identity')}) | {packed.headers.get('cache-control', '—')} | "
            f"{'yes' if HASHED.search(url) else 'no'} |"
        )
    verdict = "within" if total <= PAGE_BUDGET else "over"
    rows.append(
        f"| **{name}, all files** | **{total:,}** | **{wire:,}** | {verdict} the 60 KB budget ({kib(total)}) | |"
    )
    return rows, total


def answer_for(question, shown: list[int], right: bool) -> dict:
    from quiz.models import QuestionKind

    choices = {c.pk: c for c in question.choices.all()}
    if question.has_choices:
        picks = [pk for pk in shown if choices[pk].is_correct == right][:1]
        if question.kind == QuestionKind.MULTIPLE:
            return {"choices": [str(pk) for pk in picks]}
        return {"choice": str(picks[0])}
    if question.kind == QuestionKind.NUMERIC:
        value = question.numeric_answer if right else question.numeric_answer + 1000
        return {"answer": f"{value.normalize():f}"}
    return {"answer": question.accepted_answers[0] if right else "something else"}


def fragments(site: Site, student, teacher, other_student, dump: Path | None) -> list[tuple[str, int, int, int]]:
    """(fragment, status, largest size, how many measured) for every htmx response.

    With ``dump``, the largest body of each fragment is written there to be read.
    """
    from django.urls import reverse

    from quiz.models import Classroom, Question, Quiz
    from quiz.services import attempt_start

    measured: dict[str, list[tuple[int, int]]] = defaultdict(list)

    def add(name, reply, expect=200):
        assert reply.status == expect, (name, reply.status, reply.body[:300])
        if dump and len(reply.body) >= max((size for size, _ in measured[name]), default=0):
            (dump / (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".html")).write_bytes(reply.body)
        measured[name].append((len(reply.body), reply.status))

    quiz = Quiz.objects.get(slug="whole-article")
    attempt = attempt_start(quiz=quiz, student=other_student)
    questions = {q.pk: q for q in Question.objects.prefetch_related("choices")}
    add(
        "Next question (first)",
        site.get(reverse("attempt_question", args=[attempt.public_id]), other_student, htmx=True),
    )
    for position, question_id in enumerate(attempt.question_ids, start=1):
        question = questions[question_id]
        url = reverse("attempt_answer", args=[attempt.public_id, position])
        add(f"Question form: {question.get_kind_display()}", site.get(url, other_student, htmx=True))
        if position == 1:
            add("Answer refused: nothing picked (422)", site.post(url, {}, other_student), expect=422)
        shown = attempt.choice_order.get(str(question_id), [])
        right = position % 2 == 0
        add(
            f"Feedback: {question.get_kind_display()}, {'right' if right else 'wrong'}",
            site.post(url, answer_for(question, shown, right), other_student),
        )
    classroom = Classroom.objects.get(teacher=teacher)
    some_student = classroom.students.exclude(pk=student.pk).first()
    add("Progress: missed answers, page 2", site.get("/me/", student, query="missed_page=2", htmx=True))
    add("Progress: whole panel", site.get("/me/", student, htmx=True))
    add("Join a class: my classes", site.get(reverse("join_class"), student, htmx=True))
    add("Teacher: class dashboard", site.get("/teach/", teacher, query=f"classroom={classroom.pk}", htmx=True))
    assigned = classroom.assignments.select_related("quiz").first().quiz
    add(
        "Teacher: quiz statistics",
        site.get(
            reverse("quiz_statistics", args=[assigned.slug]), teacher, query=f"classroom={classroom.pk}", htmx=True
        ),
    )
    add(
        "Teacher: a student's answers",
        site.get(reverse("student_detail", args=[classroom.pk, some_student.pk]), teacher, htmx=True),
    )
    add("Teacher: new class form", site.get(reverse("classroom_create"), teacher, htmx=True))
    add("Not a teacher (403)", site.get("/teach/", student, htmx=True), expect=403)
    return [(name, sizes[0][1], max(size for size, _ in sizes), len(sizes)) for name, sizes in measured.items()]


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write the largest body of each fragment into this folder")
    options = parser.parse_args()
    if options.dump:
        options.dump.mkdir(parents=True, exist_ok=True)
    cost.production_environment(cost.fresh_database("sqlite", "quiz_page_weight"))
    cost.setup_django(urlconf=None)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.urls import reverse

    from quiz.models import Quiz
    from quiz.services import attempt_start

    quiet = io.StringIO()
    call_command("migrate", verbosity=0)
    call_command("load_content", stdout=quiet)
    with override_settings(DEBUG=True):  # the demo accounts are refused in production, not for a benchmark
        call_command("seed_demo", stdout=quiet)
    User = get_user_model()
    student, teacher = User.objects.get(username="student1"), User.objects.get(username="teacher")
    newcomer = User.objects.create(username="newcomer", password="!")
    site = Site()
    quiz = Quiz.objects.get(slug="hardware-and-sanctions")
    attempt = attempt_start(quiz=quiz, student=newcomer)

    print(f"Page weight: {cost.machine()}")
    print()
    print("| File | Bytes | Bytes sent (encoding) | Cache-Control | Hashed name |")
    print("| --- | ---: | ---: | --- | --- |")
    totals = {}
    for name, path in (
        ("Quiz page", reverse("quiz_detail", args=[quiz.slug])),
        ("First question page", reverse("attempt_question", args=[attempt.public_id])),
    ):
        rows, totals[name] = page_with_static(site, name, path, newcomer)
        print("\n".join(rows))
    print()
    print("| htmx fragment | Status | Largest (bytes) | Measured | Within 4 KB |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, status, largest, count in fragments(
        site, student, teacher, User.objects.create(username="taker"), options.dump
    ):
        print(f"| {name} | {status} | {largest:,} | {count} | {'yes' if largest <= FRAGMENT_BUDGET else 'no'} |")


if __name__ == "__main__":
    main()
