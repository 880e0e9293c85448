from django.contrib.auth import views as auth_views
from django.urls import path

from quiz.views import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("login/", accounts.log_in, name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
