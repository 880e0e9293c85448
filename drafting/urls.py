from django.urls import path

from drafting import views

urlpatterns = [
    path("", views.source_list, name="source_list"),
    path("new/", views.source_new, name="source_new"),
    path("new/<str:token>/", views.intake_preview, name="intake_preview"),
    path("new/<str:token>/blocks/<int:index>/", views.intake_block, name="intake_block"),
    path("new/<str:token>/save/", views.intake_save, name="intake_save"),
    path("<slug:slug>/drafts/", views.source_drafts, name="source_drafts"),
    path("<slug:slug>/drafts/start/", views.draft_start, name="draft_start"),
    path("<slug:slug>/drafts/accept/", views.drafts_accept, name="drafts_accept"),
    path("<slug:slug>/drafts/<int:draft_id>/<str:action>/", views.draft_review, name="draft_review"),
    path("<slug:slug>/jobs/<int:job_id>/", views.job_detail, name="job_detail"),
    path("<slug:slug>/jobs/<int:job_id>/cancel/", views.job_cancel, name="job_cancel"),
    path("<slug:slug>/quiz/", views.quiz_make, name="quiz_make"),
]
