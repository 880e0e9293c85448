"""Drafting a long source in the background: progress, cancel, failure, and the database-backed worker."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from content.models import Passage
from drafting import services
from drafting.models import Draft, DraftingJob, JobStatus
from tests.drafting_engines import TEST_ENGINES, GatedEngine
from tests.factories import SourceFactory

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def small_engines(settings):
    settings.DRAFTING_ENGINES = TEST_ENGINES
    settings.DRAFTING_ENGINE = "quote"
    settings.DRAFTING_INLINE_PASSAGES = 2
    settings.TASKS = IMMEDIATE


@pytest.fixture
def source(teacher):
    source = SourceFactory(slug="long", title="Long", owner=teacher)
    Passage.objects.bulk_create(
        Passage(source=source, position=n, kind="paragraph", text=f"Paragraph {n} says {n * 7} units were sold.")
        for n in range(1, 6)
    )
    return source


def test_a_short_source_drafts_within_the_request(teacher_client, teacher, settings):
    settings.DRAFTING_INLINE_PASSAGES = 40
    source = SourceFactory(slug="short", owner=teacher)
    Passage.objects.create(source=source, position=1, kind="paragraph", text="One short paragraph. Two sentences.")
    response = teacher_client.post(reverse("draft_start", args=[source.slug]))
    assert response["Location"] == reverse("source_drafts", args=[source.slug])
    assert DraftingJob.objects.get().status == JobStatus.DONE
    assert Draft.objects.count() == 2


def test_a_long_source_goes_to_the_task_and_the_page_follows_it(teacher_client, source):
    response = teacher_client.post(reverse("draft_start", args=[source.slug]))
    job = DraftingJob.objects.get()
    assert job.task_id  # it went through django.tasks (run at once by the immediate backend here)
    assert (job.status, job.passages_done, job.passages_total, job.drafts_saved) == (JobStatus.DONE, 5, 5, 10)
    page = teacher_client.get(response["Location"]).content.decode()
    assert "10 drafts are ready to review." in page


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_runs_the_job_in_the_worker(teacher, source, settings):
    settings.TASKS = DATABASE
    job = services.job_start(source=source, requested_by=teacher)
    assert job.status == JobStatus.QUEUED  # nothing ran inside the request
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO(), stderr=StringIO())
    job.refresh_from_db()
    assert (job.status, job.drafts_saved) == (JobStatus.DONE, 10)


@pytest.mark.django_db(transaction=True)
def test_progress_is_polled_and_a_cancel_stops_after_the_current_passage(teacher_client, source):
    job = services.job_create(source=source, requested_by=None, engine="gated")
    url = reverse("job_detail", args=[source.slug, job.pk])

    def work():
        try:
            services.job_run(job_id=job.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert GatedEngine.reached.acquire(timeout=10)  # passage 1 drafted, progress recorded
        fragment = teacher_client.get(url, headers={"HX-Request": "true"})
        body = fragment.content.decode()
        assert "HX-Request" in fragment["Vary"]
        assert "Drafting: 1 of 5 passages" in body
        assert 'hx-trigger="every 1s"' in body
        assert 'value="1"' in body and 'max="5"' in body
        page = teacher_client.get(url).content.decode()
        assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
        cancelled = teacher_client.post(reverse("job_cancel", args=[source.slug, job.pk]))
        assert cancelled.status_code == 302
        GatedEngine.gate.release()
    finally:
        GatedEngine.gate.release()
        worker.join(timeout=10)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.passages_done == 1
    assert job.drafts_saved == 2 == Draft.objects.count()  # the drafts of passage 1 are kept
    assert "Cancelled after 1 of 5 passages" in teacher_client.get(url).content.decode()


def test_a_job_cancelled_before_it_starts_never_runs(teacher, source):
    job = services.job_create(source=source, requested_by=teacher)
    services.job_cancel(job=job)
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert not Draft.objects.exists()


def test_a_failing_engine_leaves_a_clear_message_and_no_drafts(teacher_client, teacher, source):
    job = services.job_create(source=source, requested_by=teacher, engine="broken")
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Drafting stopped because the broken engine failed (RuntimeError).")
    assert "No drafts were saved" in job.error
    assert not Draft.objects.exists()
    page = teacher_client.get(reverse("job_detail", args=[source.slug, job.pk])).content.decode()
    assert "Drafting stopped because the broken engine failed" in page
    assert "Try again" in page


def test_a_second_job_is_refused_while_one_runs(teacher, source):
    services.job_create(source=source, requested_by=teacher)
    with pytest.raises(services.DraftingError, match="already being drafted"):
        services.job_create(source=source, requested_by=teacher)


def test_an_engine_that_is_not_installed_is_refused_with_a_sentence(teacher_client, source, settings):
    settings.DRAFTING_ENGINES = {"quote": "drafting.engines.nowhere.Engine"}
    response = teacher_client.post(reverse("draft_start", args=[source.slug]), follow=True)
    assert "The quote drafting engine is not installed on this server." in response.content.decode()
    assert not DraftingJob.objects.exists()


def test_another_teacher_cannot_follow_or_cancel_the_job(source, teacher):
    from tests.conftest import logged_in_client
    from tests.factories import TeacherFactory

    job = services.job_create(source=source, requested_by=teacher)
    outsider = logged_in_client(TeacherFactory(username="otto"))
    assert outsider.get(reverse("job_detail", args=[source.slug, job.pk])).status_code == 404
    assert outsider.post(reverse("job_cancel", args=[source.slug, job.pk])).status_code == 404
    job.refresh_from_db()
    assert not job.cancel_requested


def test_a_job_whose_worker_fell_silent_is_marked_failed_so_drafting_can_start_again(teacher, source):
    from datetime import timedelta

    from django.utils import timezone

    stuck = services.job_create(source=source, requested_by=teacher)
    long_ago = timezone.now() - timedelta(minutes=30)
    DraftingJob.objects.filter(pk=stuck.pk).update(status=JobStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago)
    fresh = services.job_create(source=source, requested_by=teacher)
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED
    assert "gave no sign of life for 10 minutes" in stuck.error
    assert fresh.status == JobStatus.QUEUED
