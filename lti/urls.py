from django.urls import path
from lti_tool.views import jwks

from lti import views

urlpatterns = [
    path("jwks.json", jwks, name="lti_jwks"),
    path("register/<str:token>/", views.dynamic_registration, name="lti_register"),
    path("login/<uuid:registration_uuid>/", views.login_initiation, name="lti_login"),
    path("launch/", views.launch, name="lti_launch"),
    path("place/", views.deep_link_choose, name="lti_deep_link_choose"),
    path("continue/<str:token>/", views.continue_in_window, name="lti_continue"),
    path("classes/<int:classroom_id>/grades/", views.grade_status, name="lti_grades"),
    path("classes/<int:classroom_id>/roster/", views.roster_refresh, name="lti_roster"),
    path("grades/<int:sync_id>/resend/", views.grade_resend, name="lti_grade_resend"),
]
