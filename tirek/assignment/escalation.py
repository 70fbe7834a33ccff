"""Escalation of what went unanswered in time (``tirek escalate``, run on a schedule).

- A referral still "sent" past ``acknowledge_by`` is marked escalated, once;
  the coordinators of the sender's region, the national ones and the sender
  are told by e-mail.
- An offer still "offered" past ``respond_by`` expires; its request goes back
  to "open" so a coordinator can offer it to another lawyer; the coordinator
  who chose the lawyer and the region's coordinators are told.

The e-mails name numbers, the service, organisations, the lawyer and dates,
never the person: they leave Tirek, and coordinators never see identity.

Each item is escalated in its own transaction, under a row lock, after
checking again that it is still due: a provider acknowledging, or a lawyer
accepting, at the same moment either happens first (and the item is left
alone) or waits for the escalation and finds the item no longer open. Locks
are taken in the order offer, then request; an action locking both must do
the same. A second run finds nothing left to do.
"""

import contextlib
import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tirek.accounts.roles import LEGAL_AID_KINDS, Role
from tirek.assignment.models import Assignment, AssignmentState, LegalAidRequest, RequestState
from tirek.audit.log import audit
from tirek.nrm.models import Referral, ReferralState, Service

log = logging.getLogger(__name__)


@dataclass
class Report:
    referrals: int = 0
    assignments: int = 0
    emails: int = 0
    dry_run: bool = False

    def summary(self) -> str:
        line = (
            f"escalate: referrals={self.referrals} assignments={self.assignments} "
            f"emails={self.emails}"
        )
        return f"{line} (dry run: nothing written or sent)" if self.dry_run else line


def escalate(*, now: datetime.datetime | None = None, dry_run: bool = False) -> Report:
    """Escalate every referral and offer overdue at ``now``.

    1. List the ids of what is due (a snapshot; each is re-checked under lock).
    2. Referrals: mark, audit, e-mail on commit — one transaction each.
    3. Offers: expire, reopen the request, audit, e-mail on commit — likewise.
    In a dry run, count what would be done and the e-mails, and write nothing.
    """
    now = now or timezone.now()
    report = Report(dry_run=dry_run)
    coordinators = _legal_aid_coordinators()
    referral_ids = list(
        Referral.objects.unacknowledged_past(now)
        .filter(escalated_at__isnull=True)
        .order_by("acknowledge_by", "pk")
        .values_list("pk", flat=True)
    )
    for referral_id in referral_ids:
        sent = referral_escalate(
            referral_id=referral_id, now=now, coordinators=coordinators, dry_run=dry_run
        )
        if sent is not None:
            report.referrals += 1
            report.emails += sent
    offer_ids = list(
        Assignment.objects.unanswered_past(now)
        .order_by("respond_by", "pk")
        .values_list("pk", flat=True)
    )
    for offer_id in offer_ids:
        sent = offer_expire(
            assignment_id=offer_id, now=now, coordinators=coordinators, dry_run=dry_run
        )
        if sent is not None:
            report.assignments += 1
            report.emails += sent
    return report


# --- Referrals -------------------------------------------------------------------


def referral_escalate(
    *, referral_id: int, now: datetime.datetime, coordinators: list, dry_run: bool = False
) -> int | None:
    """Escalate one referral if still due; the number of e-mails, or None if not due."""
    with _writing(dry_run):
        referral = (
            _locked(Referral.objects, dry_run)
            .filter(
                pk=referral_id,
                state=ReferralState.SENT,
                acknowledge_by__lt=now,
                escalated_at__isnull=True,
            )
            .select_related("from_organisation", "to_organisation", "sent_by")
            .first()
        )
        if referral is None:  # acknowledged, or escalated by another run, meanwhile
            return None
        region = referral.from_organisation.region
        recipients = _unique(
            [
                *(user for user in coordinators if user.organisation.region in ("", region)),
                referral.sent_by,
            ]
        )
        if dry_run:
            return len(recipients)
        referral.escalated_at = now
        referral.save(update_fields=["escalated_at"])
        # The person is named by id only: escalation never reads identity.
        audit(
            actor=None,
            action="referral.escalate",
            target_type="people.person",
            target_id=referral.person_id,
            changes={"referral": [None, referral.pk]},
        )
        transaction.on_commit(
            partial(_send, recipients=recipients, message=partial(_referral_message, referral))
        )
        return len(recipients)


def _referral_message(referral: Referral) -> tuple[str, str]:
    subject = _("Tirek: referral No. %(number)s was not acknowledged in time") % {
        "number": referral.pk
    }
    body = _(
        "Referral No. %(number)s for %(service)s, sent by %(sender)s to %(provider)s "
        "on %(sent)s, was to be acknowledged by %(due)s and has not been.\n\n"
        "Please contact the two organisations. The referral itself is seen only "
        "by them."
    ) % {
        "number": referral.pk,
        "service": Service(referral.service).label,
        "sender": referral.from_organisation.name,
        "provider": referral.to_organisation.name,
        "sent": _when(referral.sent_at),
        "due": _when(referral.acknowledge_by),
    }
    return subject, body


# --- Offers to lawyers ---------------------------------------------------------


def offer_expire(
    *, assignment_id: int, now: datetime.datetime, coordinators: list, dry_run: bool = False
) -> int | None:
    """Expire one unanswered offer if still due; e-mails sent, or None if not due."""
    with _writing(dry_run):
        offer = (
            _locked(Assignment.objects, dry_run)
            .filter(pk=assignment_id, state=AssignmentState.OFFERED, respond_by__lt=now)
            .select_related("lawyer", "chosen_by")
            .first()
        )
        if offer is None:  # answered, withdrawn or expired meanwhile
            return None
        requests = LegalAidRequest.objects.only("number", "region", "state")
        request = _locked(requests, dry_run).get(pk=offer.request_id)
        recipients = _unique(
            [
                offer.chosen_by,
                *(user for user in coordinators if user.organisation.region == request.region),
            ]
        )
        if dry_run:
            return len(recipients)
        offer.state = AssignmentState.EXPIRED
        offer.escalated_at = now
        offer.save(update_fields=["state", "escalated_at"])
        reopened = request.state == RequestState.OFFERED
        if reopened:
            request.state = RequestState.OPEN
            request.save(update_fields=["state"])
        changes = {"assignment": [None, offer.pk]}
        if reopened:
            changes["state"] = [RequestState.OFFERED.value, RequestState.OPEN.value]
        audit(actor=None, action="assignment.expire", target=request, changes=changes)
        transaction.on_commit(
            partial(
                _send,
                recipients=recipients,
                message=partial(_offer_message, number=request.number, offer=offer),
            )
        )
        return len(recipients)


def _offer_message(*, number: str, offer: Assignment) -> tuple[str, str]:
    subject = _("Tirek: no answer in time to the offer of request %(number)s") % {"number": number}
    body = _(
        "Request %(number)s was offered to %(lawyer)s on %(offered)s, with an answer "
        "due by %(due)s. No answer came, so the offer has expired and the request is "
        "waiting for a lawyer again.\n\nPlease choose another lawyer in Tirek."
    ) % {
        "number": number,
        "lawyer": offer.lawyer,
        "offered": _when(offer.offered_at),
        "due": _when(offer.respond_by),
    }
    return subject, body


# --- Transactions ------------------------------------------------------------------


def _writing(dry_run: bool):
    # A dry run reads only: no transaction that would take SQLite's write lock.
    return contextlib.nullcontext() if dry_run else transaction.atomic()


def _locked(rows, dry_run: bool):
    # of=("self",): lock the item only, not the users and organisations joined to it.
    return rows.all() if dry_run else rows.select_for_update(of=("self",))


# --- Recipients and sending -------------------------------------------------------


def _legal_aid_coordinators() -> list:
    """Every active coordinator of the Legal Aid Service and its regional offices.

    A few dozen in the country: read once per run, chosen by region in Python.
    """
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            role_grants__role=Role.COORDINATOR,
            organisation__kind__in=LEGAL_AID_KINDS,
        )
        .select_related("organisation")
        .distinct()
        .order_by("pk")
    )


def _unique(users: list) -> list:
    seen: set[int] = set()
    unique = []
    for user in users:
        if user.pk in seen or not user.is_active or not user.email:
            continue
        seen.add(user.pk)
        unique.append(user)
    return unique


def _send(*, recipients: list, message: Callable[[], tuple[str, str]]) -> None:
    """One e-mail per recipient, in their language; one failure stops no other."""
    for user in recipients:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject, body = message()
            try:
                send_mail(subject, body, None, [user.email])
            except Exception:  # the item is escalated; the board still shows it
                log.exception("escalation e-mail to user %s failed", user.pk)


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
