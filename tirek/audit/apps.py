from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "tirek.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from tirek.audit import signals  # noqa: F401  records signing in and out
