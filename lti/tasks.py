"""Background work of the LMS connection, run by the task worker (Django's tasks framework)."""

from django.tasks import default_task_backend, task

from lti.models import GradeSync, GradeSyncState
from lti.services import grade_sync_send, grade_syncs_due


@task
def send_grade(sync_id: int) -> bool:
    """Send one pending grade; when the LMS fails, schedule the next try with backoff."""
    sync = (
        GradeSync.objects.filter(pk=sync_id, state=GradeSyncState.PENDING)
        .select_related("placement__course__context__deployment__registration")
        .first()
    )
    if sync is None:  # sent already, replaced by a newer score, or given up on
        return False
    delivered = grade_sync_send(sync=sync)
    if not delivered:
        sync.refresh_from_db()
        if sync.state == GradeSyncState.PENDING and default_task_backend.supports_defer:
            send_grade.using(run_after=sync.next_try_at).enqueue(sync.pk)
        # Without deferred tasks, `manage.py lti_send_grades` (run by the worker loop) picks it up.
    return delivered


def send_due_grades() -> int:
    """Send every pending grade whose next try is due; return how many the LMS took."""
    return sum(grade_sync_send(sync=sync) for sync in grade_syncs_due())
