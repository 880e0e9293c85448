from functools import partial

from django.db import transaction
from django.dispatch import receiver

from lti.services import grade_syncs_queue
from quiz.signals import attempt_graded


@receiver(attempt_graded, dispatch_uid="lti-grade-passback")
def queue_grade_passback(sender, attempt, **kwargs) -> None:
    transaction.on_commit(partial(_queue, attempt))


def _queue(attempt) -> None:
    from lti.tasks import send_grade

    for sync in grade_syncs_queue(attempt=attempt):
        send_grade.enqueue(sync.pk)
