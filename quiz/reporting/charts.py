"""Charts drawn on the server as inline SVG.

No script and no CDN: the picture is in the HTML, so it shows with JavaScript
off and under the strict CSP. Colours come from classes styled in app.css
(so dark mode follows), never from style attributes. Every chart is
``role="img"`` with a <title> and a <desc> that say what it shows in words,
and the pages put the same figures in a table beside it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from string import Formatter

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: nothing to show yet (drawn as "no data")
    note: str = ""


def _svg(template: str, *args) -> SafeString:
    """Like format_html, but number formats such as {:.1f} still apply.

    format_html escapes every argument first, which turns numbers into strings
    and loses their format; here numbers with a format are formatted (digits
    need no escaping) and everything else is escaped.
    """
    parts = []
    values = iter(args)
    for literal, field, spec, _ in Formatter().parse(template):
        parts.append(literal)
        if field is not None:
            value = next(values)
            parts.append(format(value, spec) if spec else str(conditional_escape(value)))
    return mark_safe("".join(parts))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _frame(chart_id: str, title: str, description: str, height: int, body: Sequence[str]) -> SafeString:
    head = _svg(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
    )
    return mark_safe(head + "".join(body) + "</svg>")


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, description: str, unit: str = "%") -> SafeString:
    """Horizontal bars on a 0-100 scale, one row per item, labelled on the left."""
    row, top, label_width = 30, 8, 270
    scale = WIDTH - label_width - 70
    height = top * 2 + row * max(1, len(bars))
    body = []
    for index, bar in enumerate(bars):
        y = top + index * row
        value_text = "no data" if bar.value is None else f"{bar.value:.0f}{unit}"
        body.append(
            _svg(
                '<g class="chart-row"><title>{}: {}{}</title>',
                bar.label,
                value_text,
                f" ({bar.note})" if bar.note else "",
            )
        )
        body.append(
            _svg(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                label_width - 8,
                y + 19,
                _shorten(bar.label, 34),
            )
        )
        body.append(
            _svg(
                '<rect class="chart-track" x="{}" y="{}" width="{}" height="18" rx="3"></rect>',
                label_width,
                y + 6,
                scale,
            )
        )
        if bar.value is not None:
            width = max(0.0, min(100.0, bar.value)) * scale / 100
            body.append(
                _svg(
                    '<rect class="chart-bar" x="{}" y="{}" width="{:.1f}" height="18" rx="3"></rect>',
                    label_width,
                    y + 6,
                    width,
                )
            )
        body.append(
            _svg('<text class="chart-value" x="{}" y="{}">{}</text>', label_width + scale + 6, y + 19, value_text)
        )
        body.append(mark_safe("</g>"))
    return _frame(chart_id, title, description, height, body)


def histogram_chart(counts: Sequence[tuple[str, int]], *, chart_id: str, title: str, description: str) -> SafeString:
    """Vertical columns: how many attempts fall in each score band."""
    height, left, bottom, top = 240, 40, 36, 16
    plot_height = height - bottom - top
    plot_width = WIDTH - left - 10
    peak = max([count for _, count in counts] + [1])
    column = plot_width / max(1, len(counts))
    body = [
        _svg(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>',
            left,
            height - bottom,
            WIDTH - 10,
            height - bottom,
        ),
        _svg('<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>', left - 6, top + 10, peak),
        _svg('<text class="chart-label" x="{}" y="{}" text-anchor="end">0</text>', left - 6, height - bottom),
    ]
    for index, (label, count) in enumerate(counts):
        x = left + index * column
        bar_height = plot_height * count / peak
        body.append(
            _svg('<g class="chart-column"><title>{}: {} attempt{}</title>', label, count, "" if count == 1 else "s")
        )
        body.append(
            _svg(
                '<rect class="chart-bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"></rect>',
                x + 3,
                height - bottom - bar_height,
                column - 6,
                bar_height,
            )
        )
        if count:
            body.append(
                _svg(
                    '<text class="chart-value" x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>',
                    x + column / 2,
                    height - bottom - bar_height - 4,
                    count,
                )
            )
        body.append(
            _svg(
                '<text class="chart-label" x="{:.1f}" y="{}" text-anchor="middle">{}</text>',
                x + column / 2,
                height - bottom + 16,
                label,
            )
        )
        body.append(mark_safe("</g>"))
    return _frame(chart_id, title, description, height, body)


def line_chart(
    points: Sequence[tuple[str, float]], *, chart_id: str, title: str, description: str, reference: float | None = None
) -> SafeString:
    """Scores (0-100) in order of time, joined by a line; an optional dashed reference line."""
    height, left, bottom, top, right = 220, 44, 34, 14, 16
    plot_height = height - bottom - top
    plot_width = WIDTH - left - right

    def y_of(value: float) -> float:
        return top + plot_height * (1 - max(0.0, min(100.0, value)) / 100)

    step = plot_width / max(1, len(points) - 1)
    xs = [left + (index * step if len(points) > 1 else plot_width / 2) for index in range(len(points))]
    body = []
    for level in (0, 50, 100):
        body.append(
            _svg(
                '<line class="chart-grid" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}"></line>',
                left,
                y_of(level),
                WIDTH - right,
                y_of(level),
            )
        )
        body.append(
            _svg(
                '<text class="chart-label" x="{}" y="{:.1f}" text-anchor="end">{}%</text>',
                left - 6,
                y_of(level) + 4,
                level,
            )
        )
    if reference is not None:
        body.append(
            _svg(
                '<line class="chart-reference" x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}"></line>',
                left,
                y_of(reference),
                WIDTH - right,
                y_of(reference),
            )
        )
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y_of(value):.1f}" for x, (_, value) in zip(xs, points, strict=True))
        body.append(_svg('<polyline class="chart-line" points="{}"></polyline>', path))
    for x, (label, value) in zip(xs, points, strict=True):
        body.append(
            _svg(
                '<circle class="chart-point" cx="{:.1f}" cy="{:.1f}" r="4"><title>{}: {:.0f}%</title></circle>',
                x,
                y_of(value),
                label,
                value,
            )
        )
    if points:
        body.append(
            _svg(
                '<text class="chart-label" x="{:.1f}" y="{}" text-anchor="start">{}</text>',
                xs[0],
                height - 10,
                points[0][0],
            )
        )
        if len(points) > 1:
            body.append(
                _svg(
                    '<text class="chart-label" x="{:.1f}" y="{}" text-anchor="end">{}</text>',
                    xs[-1],
                    height - 10,
                    points[-1][0],
                )
            )
    return _frame(chart_id, title, description, height, body)
