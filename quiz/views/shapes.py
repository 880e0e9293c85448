"""Pages with two shapes: the whole page, or one fragment of it for an htmx swap.

Every view whose URL answers in both shapes goes through ``two_shaped`` and picks its
shape with ``wants_fragment``, so the browser never shows a fragment as a page:

- ``Vary: HX-Request`` tells every cache that the same URL has two bodies (the pattern
  django-htmx documents), and a fragment is never stored (``no-store``), so Back and
  Forward, which reuse the HTTP cache without asking the server, find the page.
- htmx restores history it no longer holds (past about ten pages) with a GET that
  carries ``HX-Request`` and ``HX-History-Restore-Request`` and swaps the answer into
  ``<body>``: that request gets the whole page.
"""

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers


def wants_fragment(request: HttpRequest) -> bool:
    """htmx asked to swap a piece of the page (and not to restore a whole page from history)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def render_shaped(
    request: HttpRequest, template: str, fragment: str, context: dict | None = None, *, status: int = 200
) -> HttpResponse:
    """``template`` whole, or only its partial ``fragment`` when htmx swaps a piece."""
    name = f"{template}#{fragment}" if wants_fragment(request) else template
    return render(request, name, context, status=status)


def mark_two_shaped[Shaped: HttpResponseBase](request: HttpRequest, response: Shaped) -> Shaped:
    """Headers that keep a page and its fragment apart in every cache."""
    patch_vary_headers(response, ("HX-Request",))
    if wants_fragment(request):
        patch_cache_control(response, no_store=True)
    else:
        # Private (it is someone's own page) and checked with the server before reuse.
        patch_cache_control(response, private=True, no_cache=True)
    return response


def two_shaped[**Params, Shaped: HttpResponseBase](view: Callable[Params, Shaped]) -> Callable[Params, Shaped]:
    """Decorate a view whose URL answers with the whole page or, for htmx, a fragment."""

    @wraps(view)
    def shaped(*args: Params.args, **kwargs: Params.kwargs) -> Shaped:
        request = args[0]
        assert isinstance(request, HttpRequest)
        return mark_two_shaped(request, view(*args, **kwargs))

    return shaped
