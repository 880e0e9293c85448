"""Rules every request and response of the site follows, kept in one place rather than view by view."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import patch_cache_control

NUL_REFUSAL = (
    "This request holds a NUL character (\\0), which no page of this site accepts. "
    "Remove it from the address or the form and try again."
)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _holds_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


def refuse_nul_characters(get_response: Callable[[HttpRequest], HttpResponse]):
    """A NUL in a query string or form field is a 400 with a sentence, before any view or the database sees it.

    No text field of the site may hold one and PostgreSQL refuses them in text, so a NUL
    reaching a query used to be a 500 (the admin's list filters and autocomplete, say).
    Uploaded files are not read here: the bank importer checks what they hold.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        is_form = request.method == "POST" and request.content_type in FORM_TYPES
        if _holds_nul(request.GET) or (is_form and _holds_nul(request.POST)):
            return HttpResponseBadRequest(NUL_REFUSAL, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware


def private_pages_are_not_stored(get_response: Callable[[HttpRequest], HttpResponse]):
    """Pages and exports for a signed-in user are never kept by a shared cache or the browser's disk.

    Classroom computers are shared: the next pupil must not find the last one's results
    (or a teacher's gradebook) in the back button's cache or a proxy.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
