from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from accounts import throttle

        # Connected here, not at import time, so the receivers exist exactly once whoever imports the module.
        user_login_failed.connect(throttle.count_failure, dispatch_uid="accounts.throttle.failed")
        user_logged_in.connect(throttle.clear_failures, dispatch_uid="accounts.throttle.succeeded")
