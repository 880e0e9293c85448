"""Events other apps may follow without quiz importing them (imports run one way)."""

from django.dispatch import Signal

# Sent once when an attempt closes (its last answer, submitted early, or its time up),
# with ``attempt`` and ``now``: its answers are final from here on (practice feeds its
# cards from them). Never sent again for the attempt, not even by a regrade.
attempt_finished = Signal()

# Sent when an attempt's final score is settled or changed: it finished (last answer,
# submit, time up) or a regrade changed a finished attempt. Keyword argument: ``attempt``.
# Receivers run inside the request: keep them to queueing work, never to network calls.
attempt_graded = Signal()
