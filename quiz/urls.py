from django.urls import path

from quiz.views import classes, marking, progress, taking, teach

urlpatterns = [
    path("", taking.home, name="home"),
    path("quizzes/<slug:slug>/", taking.quiz_detail, name="quiz_detail"),
    path("quizzes/<slug:slug>/start/", taking.quiz_start, name="quiz_start"),
    path("attempts/<uuid:public_id>/", taking.attempt_question, name="attempt_question"),
    path("attempts/<uuid:public_id>/questions/<int:position>/", taking.attempt_answer, name="attempt_answer"),
    path("attempts/<uuid:public_id>/questions/<int:position>/flag/", taking.attempt_flag, name="attempt_flag"),
    path("attempts/<uuid:public_id>/summary/", taking.attempt_summary, name="attempt_summary"),
    path("attempts/<uuid:public_id>/submit/", taking.attempt_submit, name="attempt_submit"),
    path("attempts/<uuid:public_id>/results/", taking.attempt_results, name="attempt_results"),
    path("me/", progress.my_progress, name="my_progress"),
    path("classes/join/", classes.join_class, name="join_class"),
    path("teach/", teach.teach_dashboard, name="teach_dashboard"),
    path("teach/classes/new/", classes.classroom_create, name="classroom_create"),
    path("teach/classes/<int:classroom_id>/assignments/", teach.assignment_save, name="assignment_save"),
    path(
        "teach/classes/<int:classroom_id>/assignments/<int:quiz_id>/remove/",
        teach.assignment_remove,
        name="assignment_remove",
    ),
    path("teach/classes/<int:classroom_id>/gradebook.csv", teach.gradebook_csv, name="gradebook_csv"),
    path("teach/classes/<int:classroom_id>/students/<int:student_id>/", teach.student_detail, name="student_detail"),
    path(
        "teach/classes/<int:classroom_id>/students/<int:student_id>/extensions/",
        teach.student_extension,
        name="student_extension",
    ),
    path(
        "teach/classes/<int:classroom_id>/students/<int:student_id>/password/",
        teach.student_password_reset,
        name="student_password_reset",
    ),
    path(
        "teach/classes/<int:classroom_id>/students/<int:student_id>/responses/<int:response_id>/mark/",
        marking.response_mark,
        name="response_mark",
    ),
    path("teach/questions/<int:question_id>/accept-answer/", marking.accept_typed_answer, name="accept_typed_answer"),
    path("teach/quizzes/<slug:slug>/statistics/", teach.quiz_statistics, name="quiz_statistics"),
    path("teach/quizzes/<slug:slug>/statistics.csv", teach.quiz_statistics_csv, name="quiz_statistics_csv"),
]
