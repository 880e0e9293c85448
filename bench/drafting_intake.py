"""Time a 50-page PDF from upload to saved drafts, through the same path a teacher's upload takes.

    .venv/bin/python bench/drafting_intake.py                  # print the figures
    .venv/bin/python bench/drafting_intake.py --write-results  # also update bench/RESULTS.md

The PDF is made here (tests/documents.py's writer): 50 pages of report prose with
quantities, years, names and places, about 20,000 words. Steps: read the upload into
blocks (pypdf), save the source and its passages, queue the drafting job on the
database-backed tasks backend, run it in a worker as `manage.py db_worker` does, with
the offline engine reporting progress after every passage. Runs on SQLite in a fresh
temporary database, in this process.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = Path(tempfile.gettempdir()) / f"drafting-bench-{os.getpid()}.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

PLACES = ["Bergen", "Oslo", "Trondheim", "Stavanger", "Tromsø", "Bodø", "Ålesund", "Molde", "Florø", "Hammerfest"]
COMPANIES = ["Norled", "Fjord1", "Boreal", "Torghatten", "Statnett", "Enova", "Siemens Energy", "Kongsberg"]
PEOPLE = ["Ingrid Solberg", "Kari Lunde", "Jon-Ivar Nygård", "Per Hansen", "Sigrid Berg", "Ola Nordmann"]


def report_page(rng: random.Random, page: int) -> list[tuple[str, str]]:
    blocks = [("heading", f"Part {page}: the routes around {rng.choice(PLACES)}")]
    for _ in range(5):
        place, company, person = rng.choice(PLACES), rng.choice(COMPANIES), rng.choice(PEOPLE)
        year, share, count = rng.randint(2012, 2024), rng.randint(5, 95), rng.randint(20, 9000)
        blocks.append(
            (
                "paragraph",
                f"In {year} the operator {company} moved {count:,} cars across the fjord near {place}, "
                f"about {share} percent more than the year before. The transport analyst {person} says the "
                f"growth came from new housing on the far shore and from tourists in the summer months. "
                f"The ferry that serves the crossing was built in {year - rng.randint(2, 9)} and carries up to "
                f"{rng.randint(40, 200)} cars on each trip. Local councils in {rng.choice(PLACES)} have asked the "
                f"state for a second vessel, which would cost roughly {rng.randint(90, 400)} million kroner.",
            )
        )
    return blocks


def make_report(pages: int = 50) -> bytes:
    from tests.documents import make_pdf

    rng = random.Random(50)
    return make_pdf([report_page(rng, n) for n in range(1, pages + 1)], title="Fifty pages of ferries")


def run(pages: int) -> dict:
    from django.test.utils import override_settings

    from drafting import services
    from drafting.models import DraftingJob
    from tests.drafting_engines import database_worker
    from tests.factories import TeacherFactory

    call_command("migrate", verbosity=0)
    teacher = TeacherFactory(username="bench-teacher")
    pdf = make_report(pages)
    figures = {"pages": pages, "pdf_kb": len(pdf) / 1024}
    started = time.perf_counter()
    extracted = services.extract_file("report.pdf", pdf)
    figures["read_s"] = time.perf_counter() - started
    figures["words"] = extracted.word_count
    mark = time.perf_counter()
    source = services.source_create(owner=teacher, details=extracted.details, blocks=extracted.blocks)
    figures["save_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    with override_settings(DRAFTING_INLINE_PASSAGES=0):
        job = services.job_start(source=source, requested_by=teacher, engine="offline")
    figures["queue_s"] = time.perf_counter() - mark
    saving = []
    real_save = services.drafts_save

    def timed_save(**kwargs):
        began = time.perf_counter()
        try:
            return real_save(**kwargs)
        finally:
            saving.append(time.perf_counter() - began)

    services.drafts_save = timed_save
    mark = time.perf_counter()
    database_worker(batch=True, worker_id="bench").run()
    figures["draft_s"] = time.perf_counter() - mark
    figures["total_s"] = time.perf_counter() - started
    services.drafts_save = real_save
    figures["save_drafts_s"] = sum(saving)
    figures.update(review_page(source, teacher))
    job = DraftingJob.objects.get(pk=job.pk)
    figures.update(
        status=job.status,
        passages=job.passages_total,
        progress_reports=job.passages_done,
        drafts=job.drafts_saved,
        dropped=sum(job.dropped.values()),
    )
    return figures


def review_page(source, teacher) -> dict:
    """The review page of all those drafts: time to render it, its size, its queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(teacher, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("source_drafts", args=[source.slug])
    client.get(url)  # warm the template cache
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - began
    return {"review_s": elapsed, "review_kb": len(response.content) / 1024, "review_queries": len(queries)}


def as_markdown(figures: dict) -> str:
    drafting = f"{figures['draft_s']:.2f} s"
    return f"""## Drafting intake: a {figures["pages"]}-page PDF from upload to drafts

`bench/drafting_intake.py` makes a {figures["pages"]}-page PDF ({figures["pdf_kb"]:.0f} KB,
{figures["words"]:,} words of report prose with quantities, years, names and places) and takes it the way
a teacher's upload goes: read it into blocks, save the source and its passages, queue the drafting job on
the database-backed tasks backend, and run it in a worker with the offline engine, which reports progress
after each passage. SQLite, one process, on the 2-core development machine.

| Step | Time |
| --- | --- |
| Read the PDF into blocks (pypdf, layout mode) | {figures["read_s"]:.2f} s |
| Save the source and its {figures["passages"]} passages | {figures["save_s"]:.2f} s |
| Queue the job | {figures["queue_s"]:.2f} s |
| Draft in the worker (offline engine, {figures["progress_reports"]} progress reports), save them | {drafting} |
| … of which saving the drafts (questions, choices, review records) | {figures["save_drafts_s"]:.2f} s |
| **Upload to drafts, in all** | **{figures["total_s"]:.2f} s** |

The job ended "{figures["status"]}" with {figures["drafts"]} drafts saved ({figures["dropped"]} more dropped by the
engine's quality rules); the page polls its progress every second meanwhile. The review page of those
{figures["drafts"]} drafts then takes {figures["review_s"]:.2f} s to render ({figures["review_kb"]:,.0f} KB,
{figures["review_queries"]} queries).
"""


def write_results(section: str) -> None:
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text(encoding="utf-8")
    heading = section.splitlines()[0]
    start = text.find("## Drafting intake")
    if start >= 0:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    results.write_text(text, encoding="utf-8")
    print(f"Updated {results.relative_to(ROOT)}: {heading}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--write-results", action="store_true")
    args = parser.parse_args()
    try:
        section = as_markdown(run(args.pages))
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
    print(section)
    if args.write_results:
        write_results(section)


if __name__ == "__main__":
    main()
