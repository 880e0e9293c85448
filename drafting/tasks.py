"""The background task that drafts a long source; the work itself is ``services.job_run``."""

from django.tasks import task


@task()
def run_drafting_job(job_id: int) -> None:
    from drafting.services import job_run

    job_run(job_id=job_id)
