"""What the accounts app stores: the log-in failure counters the throttle reads."""

from django.db import models
from django.utils import timezone


class LoginFailure(models.Model):
    """Failed log-ins in the current window, for one username or one client address.

    Kept in the database so every app server and worker counts the same failures;
    a counter in a process's memory would let an attacker spread guesses over workers.
    """

    key = models.CharField(max_length=300, unique=True, help_text='"user:<name>" or "addr:<ip>".')
    failures = models.PositiveIntegerField(default=0)
    window_started_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        # The table was created when this model lived in the quiz app; it keeps its name.
        db_table = "quiz_loginfailure"

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
