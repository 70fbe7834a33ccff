from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "tirek.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from tirek.audit.queries import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "person.create": _("Registered the person"),
                "person.view": _("Opened the record"),
                "person.update": _("Changed the record"),
                "person.share": _("Shared the record"),
                "person.erase": _("Erased the identity"),
                "consent.record": _("Recorded consent"),
                "consent.withdraw": _("Recorded a withdrawal of consent"),
                "break_glass.open": _("Opened emergency access"),
            }
        )
