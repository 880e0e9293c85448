from django.conf import settings
from django.contrib import admin
from django.http import FileResponse, HttpRequest
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request: HttpRequest) -> FileResponse:
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): answer it, not 404."""
    return FileResponse((settings.BASE_DIR / "static" / "favicon.ico").open("rb"), content_type="image/x-icon")


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("sources/", include("content.urls")),
    path("teach/sources/", include("drafting.urls")),
    path("practice/", include("practice.urls")),
    path("lti/", include("lti.urls")),
    path("", include("quiz.urls")),
]
