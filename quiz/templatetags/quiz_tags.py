from django import template

from quiz.models import citation_url as build_citation_url

register = template.Library()


@register.simple_tag
def citation_url(source_slug: str, position: int, quote: str) -> str:
    return build_citation_url(source_slug, position, quote)
