from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = "Quizzes"

    def ready(self) -> None:
        from quiz.bank.triggers import ensure_stamp_triggers

        post_migrate.connect(ensure_stamp_triggers, sender=self, dispatch_uid="quiz.bank.triggers")
