"""E-mail reminders of deadlines, run on a schedule (``tirek reminders send``).

One e-mail per lawyer per day, listing the deadlines due within
``REMIND_DAYS_AHEAD`` days and those already overdue, in the lawyer's
language. No client identity: case numbers and legal bases only. A deadline
is claimed with a compare-and-swap update of ``reminded_on``, so two runs at
once never send the same reminder twice.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tirek.cases.models import Deadline

REMIND_DAYS_AHEAD = 3


def reminders_send(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    due = (
        Deadline.objects.filter(
            done_at__isnull=True,
            due_on__isnull=False,
            due_on__lte=today + datetime.timedelta(days=REMIND_DAYS_AHEAD),
            case__closed_at__isnull=True,
        )
        .exclude(reminded_on=today)
        .select_related("case", "responsible")
        .order_by("due_on")
    )
    by_lawyer: dict[int, list[Deadline]] = defaultdict(list)
    for deadline in due:
        claimed = (
            Deadline.objects.filter(pk=deadline.pk)
            .exclude(reminded_on=today)
            .update(reminded_on=today)
        )
        if claimed:
            by_lawyer[deadline.responsible_id].append(deadline)
    for deadlines in by_lawyer.values():
        lawyer = deadlines[0].responsible
        if not lawyer.email or not lawyer.is_active:
            continue
        with translation.override(lawyer.preferred_language or settings.LANGUAGE_CODE):
            send_mail(
                _("Tirek: deadlines in your cases"),
                render_to_string(
                    "cases/email/reminder.txt",
                    {
                        "lawyer": lawyer,
                        "deadlines": deadlines,
                        "today": today,
                        "site": settings.TIREK_SITE_URL,
                    },
                ),
                None,
                [lawyer.email],
            )
    return sum(len(d) for d in by_lawyer.values())
