from django.apps import AppConfig


class LtiConfig(AppConfig):
    name = "lti"
    verbose_name = "LMS connection (LTI 1.3)"

    def ready(self) -> None:
        # Grades go back to the LMS when an attempt finishes or a regrade changes it;
        # quiz only announces the event, so it never imports this app.
        from lti import receivers  # noqa: F401
