import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.urls import reverse


def reader_url(source_slug: str, position: int | None = None, quote: str = "") -> str:
    """The reader page of a source; scrolled to passage ``position``; with ``quote`` highlighted in it."""
    url = reverse("source_reader", args=[source_slug])
    if quote and position is not None:
        url += "?" + urlencode({"quote": quote, "p": position})
    return url if position is None else f"{url}#p{position}"


class Source(models.Model):
    """A text that questions are built from (first of all, the news article)."""

    slug = models.SlugField(unique=True, max_length=100)
    title = models.CharField(max_length=300)
    author = models.CharField(max_length=200, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    # Web addresses only: the reader prints this as the "original" link.
    url = models.URLField(blank=True, validators=[URLValidator(schemes=["http", "https"])])
    published_on = models.DateField(null=True, blank=True)
    text = models.TextField(help_text="The source as published; passages are split from it.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sources_owned",
        help_text="The teacher who brought the source in; shipped sources have none.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reader_url(self.slug)

    @property
    def web_url(self) -> str:
        """The original's address when it is a web address, else "" (an old row may hold anything)."""
        return self.url if self.url.lower().startswith(("http://", "https://")) else ""


# More paragraphs than any source has, and well inside every database's integer column.
MAX_PASSAGES = 100_000


class PassageKind(models.TextChoices):
    TITLE = "title", "Title"
    HEADING = "heading", "Heading"
    SUMMARY_POINT = "summary_point", "Summary point"
    PARAGRAPH = "paragraph", "Paragraph"


def text_fingerprint(text: str) -> str:
    """A short, stable digest of a passage's text, kept beside each citation."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Passage(models.Model):
    """One citable piece of a source; its anchor in the reader is ``#p<position>``."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(MAX_PASSAGES)])
    kind = models.CharField(max_length=20, choices=PassageKind.choices, default=PassageKind.PARAGRAPH)
    text = models.TextField()

    class Meta:
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="passage_unique_position"),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="passage_position_positive"),
        ]

    def __str__(self) -> str:
        preview = self.text if len(self.text) <= 60 else self.text[:57] + "…"
        return f"¶{self.position} {preview}"

    def get_absolute_url(self) -> str:
        return reader_url(self.source.slug, self.position)

    @property
    def anchor(self) -> str:
        return f"p{self.position}"

    @property
    def fingerprint(self) -> str:
        return text_fingerprint(self.text)
