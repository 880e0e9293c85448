"""The kinds of question: a plain enumeration, importable without the models."""

from django.db import models


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Single choice"
    MULTIPLE = "multiple", "Multiple choice"
    TRUE_FALSE = "true_false", "True / false"
    NUMERIC = "numeric", "Numeric"
    SHORT_TEXT = "short_text", "Short text"


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE}
