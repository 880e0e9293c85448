from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from content.models import Source

MAX_QUOTE_LENGTH = 2000
MAX_BACK_LABEL_LENGTH = 60


def _back_link(request: HttpRequest) -> tuple[str, str]:
    """Where the reader came from (``?back=/path&back_label=question 3``): a path on this site only."""
    back = request.GET.get("back", "")
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return "", ""
    return back, request.GET.get("back_label", "")[:MAX_BACK_LABEL_LENGTH] or "where you were"


def _highlight(text: str, quote: str) -> list[tuple[str, bool]]:
    """Split ``text`` into (piece, is_quote) runs; the template escapes each piece."""
    start = text.find(quote) if quote else -1
    if start < 0:
        return [(text, False)]
    end = start + len(quote)
    return [(piece, marked) for piece, marked in ((text[:start], False), (quote, True), (text[end:], False)) if piece]


@require_safe
def source_reader(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole source, passage by passage, with a cited quote highlighted.

    ``?quote=...&p=N`` marks the quote in passage N (or, without p, the first
    passage holding it); the ``#pN`` anchor scrolls to it without JavaScript.
    """
    source = get_object_or_404(Source, slug=slug)
    quote = request.GET.get("quote", "")[:MAX_QUOTE_LENGTH]
    try:
        cited_position = int(request.GET.get("p", ""))
    except ValueError:
        cited_position = None
    passages = list(source.passages.all())
    if quote and cited_position is None:
        cited_position = next((p.position for p in passages if quote in p.text), None)
    found = False
    for passage in passages:
        is_cited = passage.position == cited_position and bool(quote) and quote in passage.text
        # Shown by the template beside the passage's own fields.
        passage.runs = _highlight(passage.text, quote) if is_cited else [(passage.text, False)]  # type: ignore[attr-defined]
        passage.is_cited = is_cited  # type: ignore[attr-defined]
        found = found or is_cited
    back_url, back_label = _back_link(request)
    return render(
        request,
        "content/reader.html",
        {
            "source": source,
            "passages": passages,
            "quote": quote,
            "quote_found": found,
            "back_url": back_url,
            "back_label": back_label,
        },
    )
