from django.urls import path

from practice import views

urlpatterns = [
    path("", views.practice_session, name="practice_session"),
    path("cards/<int:card_id>/", views.practice_card, name="practice_card"),
    path("cards/<int:card_id>/reviews/<int:number>/", views.practice_review, name="practice_review"),
    path("classes/<int:classroom_id>/", views.practice_pause, name="practice_pause"),
]
