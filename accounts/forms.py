"""The sign-up form (a username, an optional email for password resets, and a password twice) and the log-in form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        required=False,
        label="Email (optional)",
        help_text="Only to reset your password if you forget it. Without one, your teacher can reset it.",
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A refused form comes back with both passwords still typed: clearing them made people
        # retype two fields to fix one. The page goes only to the person who sent them, over
        # the same connection, and the sign-up view sends it with "no-store".
        for name in ("password1", "password2"):
            self.fields[name].widget.render_value = True

    def validate_password_for_user(self, user, password_field_name: str = "password1", **kwargs) -> None:
        # What is wrong with the password (too short, too common) is said under "Password",
        # where it was typed; only a mismatch belongs under "Password confirmation".
        # django-stubs do not know SetPasswordMixin, where Django defines this method.
        super().validate_password_for_user(  # type: ignore[misc]
            user, password_field_name=password_field_name, **kwargs
        )


class LogInForm(AuthenticationForm):
    # Unticked by default: classroom computers are shared, so a session normally ends with the browser.
    remember_me = forms.BooleanField(
        required=False,
        label="Keep me logged in on this computer",
        help_text="Only on a computer nobody else uses: otherwise you are logged out when the browser closes.",
    )
