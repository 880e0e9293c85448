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


@register.simple_tag(takes_context=True)
def join_link(context, classroom) -> str:
    """The address a student opens to join ``classroom``: the join page with its code filled in."""
    from urllib.parse import urlencode

    from django.urls import reverse

    path = f"{reverse('join_class')}?{urlencode({'code': classroom.join_code})}"
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def qr_code_svg(text: str, label: str) -> str:
    """``text`` as a QR code, an inline SVG made on the server (segno): no script, no image request.

    Drawn with attributes only, which the strict CSP allows (it refuses style attributes).
    """
    import segno
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    code = segno.make(text, error="m")
    svg = code.svg_inline(scale=4, border=2, dark="#000", light="#fff", svgclass="join-qr", title=escape(label))
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno's own markup, label escaped
