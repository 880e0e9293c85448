"""Events other apps may follow without quiz importing them."""

from django.dispatch import Signal

# Sent when an attempt's final score is settled or changed: it finished (last answer,
# submit, time up) or a regrade changed a finished attempt. Keyword argument: ``attempt``.
# Receivers run inside the request: keep them to queueing work, never to network calls.
attempt_graded = Signal()
