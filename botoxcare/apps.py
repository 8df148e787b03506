from django.apps import AppConfig


class BotoxcareConfig(AppConfig):
    name = "botoxcare"
    verbose_name = "Clinic"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import (
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )

        from .middleware import session_start
        from .security import (
            sign_in_failed_log,
            sign_in_locked_log,
            signed_in_log,
            signed_out_log,
        )

        # The session's clock starts at sign-in, in the request that saves the session anyway.
        user_logged_in.connect(session_start, dispatch_uid="botoxcare.session_start")
        # After axes' own receiver (axes is installed first), so the pause is already known.
        user_login_failed.connect(sign_in_failed_log, dispatch_uid="botoxcare.sign_in_failed")
        user_locked_out.connect(sign_in_locked_log, dispatch_uid="botoxcare.sign_in_locked")
        user_logged_in.connect(signed_in_log, dispatch_uid="botoxcare.signed_in_log")
        user_logged_out.connect(signed_out_log, dispatch_uid="botoxcare.signed_out_log")
