from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "tirek.protection"
    label = "protection"
    verbose_name = _("Protection")

    def ready(self) -> None:
        # Declaring a field encrypted also keeps its values out of the audit
        # trail: audit() refuses them in `changes`. Nothing else to remember.
        from tirek.audit.log import register_identity_fields
        from tirek.protection.fields import EncryptedField

        for model in apps.get_models():
            encrypted = [
                f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedField)
            ]
            if encrypted:
                register_identity_fields(model._meta.label_lower, encrypted)
