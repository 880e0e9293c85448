from django.urls import path

from content import views

urlpatterns = [
    path("<slug:slug>/", views.source_reader, name="source_reader"),
]
