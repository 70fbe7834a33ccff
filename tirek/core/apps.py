from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tirek.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from tirek.core import api_schema  # noqa: F401  registers the schema extension
