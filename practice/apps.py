from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = "Practice"

    def ready(self) -> None:
        # quiz never imports practice: a finished attempt reaches us through its signal.
        from practice import services
        from quiz.signals import attempt_finished

        attempt_finished.connect(services.on_attempt_finished, dispatch_uid="practice_feed_cards")
