from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "tirek.evidence"
    label = "evidence"
    verbose_name = _("Evidence")

    def ready(self) -> None:
        from tirek.audit.queries import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "evidence.create": _("Added an item of evidence"),
                "evidence.update": _("Changed an item of evidence"),
                "evidence.status": _("Changed the status of evidence"),
                "evidence.link": _("Linked evidence to an element"),
                "evidence.unlink": _("Unlinked evidence from an element"),
                "evidence.custody": _("Recorded a custody event"),
                "evidence.upload": _("Uploaded an evidence file"),
                "evidence.download": _("Downloaded an evidence file"),
                "evidence.quarantine": _("Quarantined an altered evidence file"),
                "evidence.export": _("Exported evidence"),
            }
        )
