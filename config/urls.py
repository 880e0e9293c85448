from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("sources/", include("content.urls")),
    path("practice/", include("practice.urls")),
    path("lti/", include("lti.urls")),
    path("", include("quiz.urls")),
]
