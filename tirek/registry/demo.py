"""Register entries for the demo lawyers (fictional licence numbers "DEMO-…")."""

import datetime
import random

from django.utils import timezone

from tirek.accounts.models import User
from tirek.core.demo import DemoData, Volume
from tirek.registry import actions
from tirek.registry.actions import EntryValues
from tirek.registry.models import RegisterEntry


def _entries(today: datetime.date) -> dict[str, EntryValues]:
    return {
        "user.lawyer": EntryValues(
            licence_number="DEMO-0001",
            region="bishkek",
            districts=("Leninsky", "Oktyabrsky"),
            languages=("ky", "ru"),
            gender="male",
            specialisations=("trafficking", "criminal", "labour"),
            tip_certified_on=today - datetime.timedelta(days=200),
            tip_certificate_expires_on=today + datetime.timedelta(days=530),
            capacity=12,
        ),
        "user.lawyer_osh": EntryValues(
            licence_number="DEMO-0002",
            region="osh",
            districts=("Kara-Suu", "Aravan"),
            languages=("ky", "ru", "uz"),
            gender="female",
            specialisations=("trafficking", "criminal", "family", "children"),
            tip_certified_on=today - datetime.timedelta(days=100),
            tip_certificate_expires_on=today + datetime.timedelta(days=630),
            capacity=10,
        ),
    }


def load(demo: DemoData) -> None:
    today = timezone.localdate()
    for key, values in _entries(today).items():
        lawyer = demo[key]
        entry = RegisterEntry.objects.filter(lawyer=lawyer).first()
        if entry is None:
            entry = actions.entry_create(actor=None, lawyer=lawyer, values=values)
        demo.records[f"entry.{key.removeprefix('user.')}"] = entry


REGIONS = [
    "bishkek",
    "osh_city",
    "batken",
    "jalal_abad",
    "issyk_kul",
    "naryn",
    "osh",
    "talas",
    "chui",
]
LANGUAGE_SETS = [["ky", "ru"], ["ky"], ["ru"], ["ky", "ru", "uz"], ["ru", "en"], ["ky", "tg"]]


def generate(volume: Volume, demo: DemoData) -> None:
    """An entry for every generated lawyer (bulk; the audit trail records the run)."""
    rng = random.Random(volume.seed)  # noqa: S311  repeatable demo data, not secrets
    today = timezone.localdate()
    lawyers = (
        User.objects.filter(username__startswith="gen-lawyer-", register_entry__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    entries = []
    for lawyer_id in lawyers:
        issued = today - datetime.timedelta(days=rng.randint(0, 900))
        entries.append(
            RegisterEntry(
                lawyer_id=lawyer_id,
                licence_number=f"DEMO-G{lawyer_id:06d}",
                region=REGIONS[lawyer_id % len(REGIONS)],
                languages=rng.choice(LANGUAGE_SETS),
                gender=rng.choice(["female", "male"]),
                specialisations=["trafficking", rng.choice(["criminal", "civil", "labour"])],
                tip_certified_on=issued,
                tip_certificate_expires_on=issued + datetime.timedelta(days=730),
                capacity=rng.choice([5, 8, 10, 12, 15]),
            )
        )
    RegisterEntry.objects.bulk_create(entries, batch_size=1000)
    if entries:
        from tirek.audit.log import audit

        audit(
            actor=None,
            action="register.import",
            target_type="registry.registerentry",
            changes={"created": [None, len(entries)]},
        )
