from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts import throttle

        # Connected here, not at import time, so it is connected exactly once whoever imports the module.
        # Failures need no receiver: the throttle backend counts every attempt before the password.
        user_logged_in.connect(throttle.clear_failures, dispatch_uid="accounts.throttle.succeeded")
