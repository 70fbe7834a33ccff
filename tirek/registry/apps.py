from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "tirek.registry"
    label = "registry"
    verbose_name = _("Register of lawyers")

    def ready(self) -> None:
        from tirek.audit.queries import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "register.entry_create": _("Entered a lawyer in the register"),
                "register.entry_update": _("Changed a register entry"),
                "register.import": _("Imported the register"),
                "register.export": _("Exported the register"),
            }
        )
