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
def citation_url(source_slug: str, position: int, quote: str, back: str = "", back_label: str = "") -> str:
    """The reader page, scrolled to the passage, with the quote highlighted; with ``back``, the
    reader offers a link back there ("Back to question 3")."""
    url = _citation_url(get_script_prefix(), source_slug, position, quote)
    if not back:
        return url
    from urllib.parse import urlencode

    address, _, anchor = url.partition("#")
    return f"{address}&{urlencode({'back': back, 'back_label': back_label})}#{anchor}"


@register.simple_tag
def passage_url(source_slug: str, position: int) -> str:
    """The reader page, scrolled to the passage."""
    return _passage_url(get_script_prefix(), source_slug, position)


# Words a student may type for a unit instead of the unit's own name ("80%" for percent).
UNIT_SPELLINGS = {"percent": ("percent", "per cent", "%"), "nm": ("nm", "nanometres", "nanometers")}


@register.filter
def with_unit(answer: str, unit: str) -> str:
    """The answer as typed, followed by the question's unit unless the student already wrote it
    ("28nm", "80%", "28th place" stay as they are)."""
    answer = (answer or "").strip()
    if not answer or not unit:
        return answer
    spellings = UNIT_SPELLINGS.get(unit.lower(), (unit.lower(),))
    if answer.lower().endswith(spellings):
        return answer
    return f"{answer} {unit}"


@register.filter
def main_and_also_accepted(snapshot: dict) -> tuple[str, list[str]]:
    """A short-text question's main answer and the other spellings accepted, from an answer's snapshot."""
    accepted = snapshot.get("accepted_answers")
    if accepted is None:  # answers recorded before the snapshot kept the list
        accepted = [part for part in snapshot.get("correct_answer", "").split(" / ") if part]
    return (accepted[0] if accepted else "", accepted[1:])
