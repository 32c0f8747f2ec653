from django.apps import AppConfig


class CalculatorConfig(AppConfig):
    name = "calculator"
    verbose_name = "Calculator and reference data"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from calculator import panel, services

        panel.connect_signals()  # the recommendation panel's product catalogue cache

        for model in services.REFERENCE_MODELS:
            post_save.connect(
                services.drop_reference_cache, sender=model, dispatch_uid=f"reference-save-{model.__name__}"
            )
            post_delete.connect(
                services.drop_reference_cache, sender=model, dispatch_uid=f"reference-delete-{model.__name__}"
            )
