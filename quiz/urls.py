from django.urls import path

from quiz.views import progress, taking

urlpatterns = [
    path("", taking.home, name="home"),
    path("quizzes/<slug:slug>/", taking.quiz_detail, name="quiz_detail"),
    path("quizzes/<slug:slug>/start/", taking.quiz_start, name="quiz_start"),
    path("attempts/<uuid:public_id>/", taking.attempt_question, name="attempt_question"),
    path("attempts/<uuid:public_id>/questions/<int:position>/", taking.attempt_answer, name="attempt_answer"),
    path("attempts/<uuid:public_id>/submit/", taking.attempt_submit, name="attempt_submit"),
    path("attempts/<uuid:public_id>/results/", taking.attempt_results, name="attempt_results"),
    path("me/", progress.my_progress, name="my_progress"),
]
