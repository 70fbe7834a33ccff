from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentConfig(AppConfig):
    name = "tirek.assignment"
    label = "assignment"
    verbose_name = _("Assignment of lawyers")

    def ready(self) -> None:
        from tirek.audit.queries import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "request.create": _("Requested legal aid"),
                "request.acknowledge": _("Acknowledged a request for legal aid"),
                "request.withdraw": _("Withdrew a request for legal aid"),
                "assignment.offer": _("Offered a request to a lawyer"),
                "assignment.accept": _("Accepted an assignment"),
                "assignment.decline": _("Declined an assignment"),
                "assignment.expire": _("An assignment went unanswered"),
                "assignment.withdraw": _("Withdrew an offer to a lawyer"),
                "order.issue": _("Issued an assignment order"),
                "order.download": _("Downloaded an assignment order"),
            }
        )
