from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The pages that show several apps at once: the staff patient list and patient page, the
    registration page, the patient's portal (and, later, the schedules dashboard)."""

    name = "pages"
    verbose_name = "Pages"
