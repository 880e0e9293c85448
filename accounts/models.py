"""What the accounts app stores: the rate-limit counters (the log-in throttle's among them)."""

from django.db import models
from django.utils import timezone


class LoginFailure(models.Model):
    """One rate-limit counter in its current window (``accounts.rate_limit``).

    Log-in attempts for an account from an address or a device, sign-ups from an address,
    wrong class codes of a student. Kept in the database so every app server and worker counts the same attempts;
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
