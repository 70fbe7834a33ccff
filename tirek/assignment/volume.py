"""Bulk requests, offers, referrals and their consents for benchmarks.

About one person in twenty asks for legal aid (5,000 requests at national
scale), most long since assigned; about one in five is referred to a
service (20,000 referrals), a few still unacknowledged past their time.
``bulk_create`` only (encrypted fields still go through ``pre_save``), in
chunks, idempotent: requests are numbered ``GENRQ-…`` and only a database
without them is filled.
"""

import datetime
import random

from django.utils import timezone

from tirek.accounts.models import Organisation, User
from tirek.accounts.roles import NRM_PROVIDER_KINDS, OrganisationKind
from tirek.assignment.models import Assignment, AssignmentState, LegalAidRequest, RequestState
from tirek.core.demo import DemoData, Volume
from tirek.nrm.models import Referral, ReferralState, Service
from tirek.people.models import Consent, Person

CHUNK = 2_000
PREFIX = "GENRQ-"
WAITING_SHARE = 0.05  # open or offered; the rest assigned or withdrawn
OVERDUE_REFERRAL_SHARE = 0.02


def generate(volume: Volume, demo: DemoData) -> None:
    if LegalAidRequest.objects.filter(number__startswith=PREFIX).exists():
        return
    rng = random.Random(volume.seed + 7)  # noqa: S311  repeatable demo data, not secrets
    now = timezone.now()
    people = list(
        Person.objects.filter(document_number_index__gt="")
        .order_by("pk")
        .values_list("pk", "organisation_id", "registered_by_id")[: volume.people]
    )
    offices = {
        office.region: office
        for office in Organisation.objects.filter(kind=OrganisationKind.LEGAL_AID_REGIONAL_OFFICE)
    }
    national = demo["org.las"]
    providers = list(
        Organisation.objects.filter(kind__in=NRM_PROVIDER_KINDS).values_list("pk", flat=True)
    )
    lawyers = list(
        User.objects.filter(username__startswith="gen-lawyer-").values_list("pk", flat=True)
    ) or [demo["user.lawyer"].pk]
    coordinator = demo["user.coordinator"]
    regions = sorted({*offices, "bishkek", "chui", "talas"})

    requests, offers = [], []
    for number, (person, organisation, worker) in enumerate(people[::20], start=1):
        region = rng.choice(regions)
        waiting = rng.random() < WAITING_SHARE
        received = now - datetime.timedelta(hours=rng.randrange(1, 24 * (30 if waiting else 720)))
        state = (
            rng.choice([RequestState.OPEN, RequestState.OFFERED])
            if waiting
            else rng.choice([RequestState.ASSIGNED] * 9 + [RequestState.WITHDRAWN])
        )
        requests.append(
            LegalAidRequest(
                number=f"{PREFIX}{number:06d}",
                person_id=person,
                from_organisation_id=organisation,
                requested_by_id=worker,
                legal_aid_office=offices.get(region, national),
                region=region,
                languages=rng.choice([["ky"], ["ru"], ["ky", "ru"], ["uz", "ru"]]),
                basis=rng.choice(["victim_status", "legal_aid_law"]),
                state=state,
                received_at=received,
                acknowledged_at=received + datetime.timedelta(hours=2),
                closed_at=None if waiting else received + datetime.timedelta(days=2),
            )
        )
    for chunk in range(0, len(requests), CHUNK):
        LegalAidRequest.objects.bulk_create(requests[chunk : chunk + CHUNK])
    for request in LegalAidRequest.objects.filter(
        number__startswith=PREFIX, state=RequestState.OFFERED
    ).only("pk", "received_at"):
        offered = request.received_at + datetime.timedelta(hours=3)
        offers.append(
            Assignment(
                request_id=request.pk,
                lawyer_id=rng.choice(lawyers),
                chosen_by=coordinator,
                rank=1,
                state=AssignmentState.OFFERED,
                offered_at=offered,
                respond_by=offered + datetime.timedelta(hours=48),
            )
        )
    Assignment.objects.bulk_create(offers, batch_size=CHUNK)
    _referrals(rng, people[1::5], providers, now)


def _referrals(rng, people, providers, now) -> None:
    for chunk in range(0, len(people), CHUNK):
        batch = people[chunk : chunk + CHUNK]
        consents = Consent.objects.bulk_create(
            [
                Consent(
                    person_id=person,
                    purpose="sharing",
                    recipient_id=rng.choice(providers),
                    scope=["identity", "contact"],
                    given_on=(now - datetime.timedelta(days=800)).date(),
                    explained_in="ky",
                    taken_by_id=worker,
                )
                for person, _organisation, worker in batch
            ]
        )
        referrals = []
        for (person, organisation, worker), consent in zip(batch, consents, strict=True):
            overdue = rng.random() < OVERDUE_REFERRAL_SHARE
            sent = now - datetime.timedelta(hours=rng.randrange(30 if overdue else 24, 24 * 720))
            referrals.append(
                Referral(
                    person_id=person,
                    service=rng.choice([s for s in Service.values if s != Service.LEGAL_AID]),
                    from_organisation_id=organisation,
                    to_organisation_id=consent.recipient_id,
                    sent_by_id=worker,
                    consent=consent,
                    carries=consent.scope,
                    state=ReferralState.SENT if overdue else ReferralState.COMPLETED,
                    sent_at=sent,
                    acknowledge_by=sent + datetime.timedelta(hours=24),
                    completed_at=None if overdue else sent + datetime.timedelta(days=5),
                )
            )
        Referral.objects.bulk_create(referrals)
