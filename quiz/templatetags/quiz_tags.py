import functools

from django import template
from django.urls import get_script_prefix

from content.models import reader_url

register = template.Library()


# Memoised: a results page cites up to a whole quiz's passages, and reversing and
# encoding each again cost more than the rest of its citation (bench/request_cost.py).
# The script prefix is part of the key, since reverse() depends on it.
@functools.lru_cache(maxsize=2048)
def _citation_url(prefix: str, source_slug: str, position: int, quote: str) -> str:
    return reader_url(source_slug, position, quote)


@functools.lru_cache(maxsize=2048)
def _passage_url(prefix: str, source_slug: str, position: int) -> str:
    return reader_url(source_slug, position)


@register.simple_tag
def citation_url(source_slug: str, position: int, quote: str) -> str:
    """The reader page, scrolled to the passage, with the quote highlighted."""
    return _citation_url(get_script_prefix(), source_slug, position, quote)


@register.simple_tag
def passage_url(source_slug: str, position: int) -> str:
    """The reader page, scrolled to the passage."""
    return _passage_url(get_script_prefix(), source_slug, position)
