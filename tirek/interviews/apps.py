from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterviewsConfig(AppConfig):
    name = "tirek.interviews"
    label = "interviews"
    verbose_name = _("Interviews")

    def ready(self) -> None:
        from tirek.audit.queries import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "interviews.plan_create": _("Planned an interview"),
                "interviews.plan_update": _("Changed an interview plan"),
                "interviews.plan_finalise": _("Finalised an interview plan"),
                "interviews.record_create": _("Recorded an interview"),
                "interviews.checklist_tick": _("Ticked an interview checklist item"),
                "interviews.checklist_untick": _("Unticked an interview checklist item"),
                "interviews.statement_create": _("Opened a person's statement"),
                "interviews.statement_version": _("Added a version of a statement"),
            }
        )
