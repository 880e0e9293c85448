"""The sign-up form (a username and a password twice) and the log-in form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username",)


class LogInForm(AuthenticationForm):
    # Unticked by default: classroom computers are shared, so a session normally ends with the browser.
    remember_me = forms.BooleanField(
        required=False,
        label="Keep me logged in on this computer",
        help_text="Only on a computer nobody else uses: otherwise you are logged out when the browser closes.",
    )
