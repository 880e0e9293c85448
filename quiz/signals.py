"""Signals other apps listen to, so that quiz never imports them (imports run one way)."""

from django.dispatch import Signal

# Sent once when an attempt closes (its last answer, submitted early, or its time up),
# with ``attempt`` and ``now``; its answers are final from here on.
attempt_finished = Signal()
