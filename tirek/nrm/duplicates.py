"""Possible duplicate registrations, signalled without exposing either record.

When a caseworker registers a person, or changes the name, date of birth or
document number, Tirek compares the blind indexes of that record with those
of the current people of every other organisation. A match creates a
``DuplicateSignal``; the caseworker is told only that the person "may already
be known to another organisation". A coordinator of the Legal Aid Service sees
the two organisations (never a person) and puts them in touch.

What this discloses, and to whom:

- The warning is an intended disclosure of one bit: "known elsewhere". It
  can be used as an oracle ("is someone with this name and date of birth
  registered anywhere?"), but only by a caseworker, who must register (or
  change) a real record to ask, and every probe leaves a ``person.create`` or
  ``person.update`` event and a ``duplicate.signal`` event in the audit trail
  and a signal on a coordinator's list. A pair already signalled is not
  signalled again, so repeating an edit teaches nothing new.
- Timing adds nothing to that bit: the lookup runs on every registration,
  and the extra work on a match (one insert and one audit row per match)
  reveals only what the warning already says.
- The comparison uses the stored index columns only: no other record is
  decrypted, and nothing of it (not even its record key) leaves this module
  except inside the signal, which only coordinators' pages and the
  introduction e-mails read.
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.accounts.roles import Role
from tirek.audit.log import audit
from tirek.nrm.models import DuplicateSignal
from tirek.people.models import Person

NAME_AND_BIRTH_DATE = "name_and_birth_date"
DOCUMENT_NUMBER = "document_number"

# The fields whose change may make a new pair (person_update re-checks on these).
MATCHED_FIELDS = frozenset({"full_name", "birth_date", "document_number"})


def signal_duplicates(*, actor, person: Person) -> list[DuplicateSignal]:
    """Signal every current person of another organisation who matches ``person``.

    Call inside the transaction that saved ``person`` (its index columns must
    be current). Returns only the signals created now: pairs signalled
    before, in either direction, are left alone.

    1. Build the match from the person's own index columns (name and date of
       birth together, or the document number); nothing to match, nothing done.
    2. Read the index columns of matching people of other organisations, never
       their encrypted values, skipping pairs already signalled.
    3. Create one signal per match, saying which indexes matched, and audit it.
    """
    match = _match_for(person)
    if match is None:
        return []
    # The one place that reads people across organisations, by design: only
    # ids and index columns, and they leave here only inside a signal.
    candidates = (
        Person.objects.current()
        .filter(match)
        .exclude(organisation_id=person.organisation_id)
        .exclude(pk__in=_already_paired(person))
        .order_by("pk")
        .values_list("pk", "full_name_index", "birth_date_index", "document_number_index")
    )
    signals = []
    for known_as_id, name_index, birth_index, document_index in candidates:
        signal = DuplicateSignal.objects.create(
            person=person,
            known_as_id=known_as_id,
            matched_on=_matched_on(person, name_index, birth_index, document_index),
        )
        audit(
            actor=actor,
            action="duplicate.signal",
            target=person,
            changes={"signal": [None, signal.pk]},
        )
        signals.append(signal)
    return signals


def _match_for(person: Person) -> Q | None:
    match = None
    if person.full_name_index and person.birth_date_index:
        match = Q(full_name_index=person.full_name_index, birth_date_index=person.birth_date_index)
    if person.document_number_index:
        by_document = Q(document_number_index=person.document_number_index)
        match = by_document if match is None else match | by_document
    return match


def _already_paired(person: Person):
    return (
        DuplicateSignal.objects.filter(person=person)
        .values("known_as_id")
        .union(DuplicateSignal.objects.filter(known_as=person).values("person_id"))
    )


def _matched_on(person: Person, name_index: str, birth_index: str, document_index: str):
    matched = []
    if (
        person.full_name_index
        and person.birth_date_index
        and name_index == person.full_name_index
        and birth_index == person.birth_date_index
    ):
        matched.append(NAME_AND_BIRTH_DATE)
    if person.document_number_index and document_index == person.document_number_index:
        matched.append(DOCUMENT_NUMBER)
    return matched


# --- Putting two organisations in touch -----------------------------------------


@transaction.atomic
def duplicate_introduce(*, actor, signal: DuplicateSignal, note: str = "") -> DuplicateSignal:
    """A coordinator puts the two organisations in touch, once.

    1. Claim the signal with a compare-and-swap update, so a double click or
       two coordinators at once send the e-mails only once.
    2. Audit it (no identity, and not the note: free text stays out of the trail).
    3. On commit, e-mail each organisation's caseworkers the other's name and
       addresses and their own record key.
    """
    now = timezone.now()
    claimed = DuplicateSignal.objects.filter(pk=signal.pk, introduced_at__isnull=True).update(
        introduced_at=now, introduced_by=actor
    )
    if not claimed:
        raise ValidationError(_("These organisations have already been put in touch."))
    signal.introduced_at = now
    signal.introduced_by = actor
    audit(
        actor=actor,
        action="duplicate.introduce",
        target=signal,
        changes={"introduced_at": [None, now], "introduced_by": [None, actor.pk]},
    )
    transaction.on_commit(
        partial(_send_introductions, signal_id=signal.pk, note=note.strip()), robust=True
    )
    return signal


def caseworker_addresses(organisation_id: int) -> list[str]:
    """The e-mail addresses of an organisation's active caseworkers."""
    return list(
        get_user_model()
        .objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            role_grants__role=Role.CASEWORKER,
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def _send_introductions(*, signal_id: int, note: str) -> None:
    signal = (
        DuplicateSignal.objects.select_related("person__organisation", "known_as__organisation")
        .only(
            *(
                f"{side}__{column}"
                for side in ("person", "known_as")
                for column in ("record_key", "organisation__name")
            )
        )
        .get(pk=signal_id)
    )
    sides = [
        (signal.person.organisation, signal.person.record_key),
        (signal.known_as.organisation, signal.known_as.record_key),
    ]
    # Only the organisation that already knew the person is told who else
    # registered them: telling the newcomer would hand anyone who registers a
    # victim's name and date of birth the shelter that holds them. The holder
    # judges whether to get in touch.
    (newcomer, _new_key), (holder, holder_key) = sides
    addresses = caseworker_addresses(holder.pk)
    if addresses:
        send_mail(
            _("Tirek: another organisation may know a person you registered"),
            _introduction_text(
                other=newcomer,
                other_addresses=caseworker_addresses(newcomer.pk),
                own_key=holder_key,
                note=note,
            ),
            settings.DEFAULT_FROM_EMAIL,
            addresses,
        )


def _introduction_text(*, other, other_addresses: list[str], own_key, note: str) -> str:
    text = _(
        "A person your organisation registered in Tirek (record %(key)s) may since have "
        "been registered by %(organisation)s as well. Tirek shows neither organisation the "
        "other's record, and %(organisation)s has not been told who you are. A coordinator "
        "of the Legal Aid Service asks you to judge whether it is safe to get in touch, "
        "and to share only what the person agrees to.\n\n"
        "Caseworkers of %(organisation)s: %(addresses)s"
    ) % {
        "key": own_key,
        "organisation": other.name,
        "addresses": ", ".join(other_addresses) or _("none with an e-mail address in Tirek"),
    }
    if note:
        text += "\n\n" + _("The coordinator's note: %(note)s") % {"note": note}
    return text
