from django.apps import AppConfig


class BotoxcareConfig(AppConfig):
    name = "botoxcare"
    verbose_name = "Clinic"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_start

        # The session's clock starts at sign-in, in the request that saves the session anyway.
        user_logged_in.connect(session_start, dispatch_uid="botoxcare.session_start")
