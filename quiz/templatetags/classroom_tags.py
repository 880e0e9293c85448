"""Template helpers for classes and dashboards."""

from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """83.4 → "83%"; nothing yet → an en dash."""
    return "–" if value is None else f"{value:.0f}%"


@register.filter
def whole(value) -> str:
    """A statistic rounded to a whole number (never "-0"); undefined → an en dash."""
    return "–" if value is None else str(int(round(value)) or 0)


@register.filter
def decimal2(value) -> str:
    """A statistic to two decimals; undefined → an en dash."""
    return "–" if value is None else f"{value:.2f}"


@register.filter
def seconds(value) -> str:
    """72 → "1 min 12 s"."""
    if value is None:
        return "–"
    value = round(value)
    return f"{value // 60} min {value % 60} s" if value >= 60 else f"{value} s"
