from django.apps import AppConfig


class BoneHealthConfig(AppConfig):
    """The project package as an app, so site-wide signal handlers are connected in every process."""

    name = "bonehealth"
    verbose_name = "Bone Health site"

    def ready(self):
        from bonehealth import checks, generation, staff_sessions  # noqa: F401  (system checks, sign-in signal)

        generation.connect_signals()
