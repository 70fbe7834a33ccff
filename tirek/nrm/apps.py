from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NrmConfig(AppConfig):
    name = "tirek.nrm"
    label = "nrm"
    verbose_name = _("Identification and referral")

    def ready(self) -> None:
        from tirek.audit.queries import ACTION_LABELS

        ACTION_LABELS.update(
            {
                "screening.record": _("Recorded a screening"),
                "status.record": _("Recorded a decision on victim status"),
                "status.challenge": _("Recorded a challenge of a refusal"),
                "referral.send": _("Sent a referral"),
                "referral.view": _("Opened a referral"),
                "referral.answer": _("Answered a referral"),
                "referral.withdraw": _("Withdrew a referral"),
                "referral.escalate": _("Escalated an unanswered referral"),
                "duplicate.signal": _("Signalled a possible duplicate"),
                "duplicate.introduce": _("Put two organisations in touch"),
            }
        )
