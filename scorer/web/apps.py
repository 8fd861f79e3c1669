from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "scorer.web"
    label = "scoreweb"
    verbose_name = "rubric-scorer web workplace"
    default_auto_field = "django.db.models.BigAutoField"
