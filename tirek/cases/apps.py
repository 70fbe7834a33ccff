from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "tirek.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from tirek.audit.queries import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "case.open": _("Opened the case"),
                "case.view": _("Opened the workspace"),
                "case.update": _("Changed the case"),
                "case.criminal_case": _("Linked the criminal case"),
                "case.party_add": _("Added a party"),
                "case.event": _("Recorded an event"),
                "case.action": _("Marked a next action"),
                "case.note": _("Wrote a note"),
                "case.conflict_cleared": _("Cleared a conflict of interest"),
            }
        )
